-- Ratings, cases, the tamper-evident case log and the contact vault.

-- Tokens a desk had before `hailong desk rotate`: their old posters answer 410, not 404.
CREATE TABLE retired_desk_tokens (
    token TEXT PRIMARY KEY,
    desk_id BIGINT NOT NULL REFERENCES desks (id),
    retired_at TIMESTAMP NOT NULL
);

CREATE TABLE ratings (
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
CREATE INDEX ratings_desk_time ON ratings (desk_id, created_at);
CREATE INDEX ratings_unit_time ON ratings (unit_id, created_at);
CREATE INDEX ratings_officer_time ON ratings (officer_id, created_at);
CREATE INDEX ratings_browser ON ratings (desk_id, browser_hash, updated_at);

CREATE TABLE cases (
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
    -- Head of this case's event chain; bumping event_count locks the row for the appender.
    event_count INTEGER NOT NULL DEFAULT 0,
    last_hash TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX cases_unit_time ON cases (unit_id, created_at);
CREATE INDEX cases_status ON cases (status);

-- Append-only: no code path updates or deletes these rows.
CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    seq INTEGER NOT NULL,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (case_id, seq)
);

-- One entry per case creation, chained across the whole database.
CREATE TABLE ledger (
    seq BIGINT PRIMARY KEY,
    case_id BIGINT NOT NULL UNIQUE REFERENCES cases (id),
    at TIMESTAMP NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
-- The chain's head; updating it first serialises appenders on every backend.
CREATE TABLE ledger_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO ledger_head (id, seq, hash) VALUES (1, 0, '');

-- Complainant contact details, encrypted (AEAD); only with consent; erased after the case closes.
CREATE TABLE case_contacts (
    case_id BIGINT PRIMARY KEY REFERENCES cases (id),
    sealed TEXT,
    consent_at TIMESTAMP NOT NULL,
    erase_after TIMESTAMP,
    erased_at TIMESTAMP
);
