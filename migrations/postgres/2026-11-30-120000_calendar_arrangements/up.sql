-- Each year's announced arrangement of a calendar computed from the statute (`vn`), imported with
-- `hailong calendar import`. It replaces the statute's days of that year; importing the same
-- calendar and year again replaces the row. `definition` is the arrangement in its file format.
CREATE TABLE calendar_arrangements (
    calendar TEXT NOT NULL,
    year INTEGER NOT NULL,
    source TEXT NOT NULL,
    definition TEXT NOT NULL,
    imported_from TEXT NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    PRIMARY KEY (calendar, year)
);
