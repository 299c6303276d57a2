DROP TABLE roster;
DROP TABLE desks;
DROP TABLE officers;
DROP TABLE units;
