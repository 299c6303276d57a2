DROP TABLE calendar_arrangements;
