DROP TABLE outbox;
DROP TABLE link_uses;
DROP TABLE action_links;
DROP TABLE case_texts;
-- SQLite cannot drop columns that carry foreign keys: rebuild `cases` as it was.
CREATE TABLE cases_v2 (
    id INTEGER PRIMARY KEY,
    receipt TEXT NOT NULL UNIQUE,
    rating_id BIGINT UNIQUE REFERENCES ratings (id),
    desk_id BIGINT NOT NULL REFERENCES desks (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    officer_id BIGINT REFERENCES officers (id),
    category TEXT NOT NULL,
    description TEXT,
    occurred_at TIMESTAMP,
    status TEXT NOT NULL,
    event_count INTEGER NOT NULL DEFAULT 0,
    last_hash TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO cases_v2 SELECT id, receipt, rating_id, desk_id, unit_id, officer_id, category, description,
    occurred_at, status, event_count, last_hash, created_at, updated_at FROM cases;
DROP TABLE cases;
ALTER TABLE cases_v2 RENAME TO cases;
CREATE INDEX cases_unit_time ON cases (unit_id, created_at);
CREATE INDEX cases_status ON cases (status);
DROP TABLE delegations;
ALTER TABLE units DROP COLUMN calendar;
DROP TABLE calendars;
