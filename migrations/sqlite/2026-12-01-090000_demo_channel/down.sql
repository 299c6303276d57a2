-- Back to web and api only; fails while demo ratings exist (delete them first).
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE ratings_new (
    id INTEGER PRIMARY KEY,
    desk_id BIGINT NOT NULL REFERENCES desks (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    officer_id BIGINT REFERENCES officers (id),
    survey_version TEXT NOT NULL,
    scale TEXT NOT NULL,
    overall INTEGER NOT NULL,
    answers TEXT NOT NULL,
    -- Circular 01/2018 points (2/1/0, NULL = no data) as computed when stored.
    idx1 INTEGER,
    idx3 INTEGER,
    idx4 INTEGER,
    idx7 INTEGER,
    file_code TEXT,
    comment TEXT,
    outside_hours BOOLEAN NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('web', 'api')),
    -- Keyed hashes only: of the browser's random cookie (to count repeats) and of the IP address
    -- with the day (rotates daily). Never the raw values.
    browser_hash TEXT,
    ip_hash TEXT,
    revisions INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO ratings_new SELECT * FROM ratings;
DROP TABLE ratings;
ALTER TABLE ratings_new RENAME TO ratings;
CREATE INDEX ratings_desk_time ON ratings (desk_id, created_at);
CREATE INDEX ratings_unit_time ON ratings (unit_id, created_at);
CREATE INDEX ratings_officer_time ON ratings (officer_id, created_at);
CREATE INDEX ratings_browser ON ratings (desk_id, browser_hash, updated_at);
COMMIT;
PRAGMA foreign_keys = ON;
