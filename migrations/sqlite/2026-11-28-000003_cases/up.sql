-- Case handling: routing, SLA timers, action links, the email outbox, calendars, delegations.

-- Working-time calendars imported with `hailong calendar import`; built-in ones (vn-2026, 24x7)
-- need no row. `definition` is the calendar in its file format.
CREATE TABLE calendars (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- A unit's calendar (a code); NULL = the configured default.
ALTER TABLE units ADD COLUMN calendar TEXT;

-- A head lets a deputy act for them over a date range.
CREATE TABLE delegations (
    id INTEGER PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    from_officer_id BIGINT NOT NULL REFERENCES officers (id),
    to_officer_id BIGINT NOT NULL REFERENCES officers (id),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX delegations_unit ON delegations (unit_id);

-- Who handles the case now, at which rung of the escalation ladder, and its clocks.
ALTER TABLE cases ADD COLUMN handler_unit_id BIGINT REFERENCES units (id);
ALTER TABLE cases ADD COLUMN handler_officer_id BIGINT REFERENCES officers (id);
ALTER TABLE cases ADD COLUMN level INTEGER NOT NULL DEFAULT 0;
-- Each assignment (routing, escalation, forwarding, appeal) starts a new stage; a notification
-- is sent once per case, stage and kind.
ALTER TABLE cases ADD COLUMN stage INTEGER NOT NULL DEFAULT 0;
-- The unit the escalation ladder starts from when it is not the default (after forwarding).
ALTER TABLE cases ADD COLUMN route_unit_id BIGINT REFERENCES units (id);
-- When the current handler's windows started, and time spent waiting for the citizen since.
ALTER TABLE cases ADD COLUMN clock_started_at TIMESTAMP;
ALTER TABLE cases ADD COLUMN paused_at TIMESTAMP;
ALTER TABLE cases ADD COLUMN paused_seconds BIGINT NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN ack_due_at TIMESTAMP;
ALTER TABLE cases ADD COLUMN resolve_due_at TIMESTAMP;
-- The next instant the scheduler must look at this case (reminder, breach); NULL = never.
ALTER TABLE cases ADD COLUMN next_timer_at TIMESTAMP;
-- Which notifications this level has had: 'ack_reminder', 'resolve_reminder' (comma list).
ALTER TABLE cases ADD COLUMN notified TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN outcome TEXT;
ALTER TABLE cases ADD COLUMN citizen_verdict TEXT;
ALTER TABLE cases ADD COLUMN closed_at TIMESTAMP;
CREATE INDEX cases_next_timer ON cases (next_timer_at);

-- What people wrote while handling a case: the answer, questions to the citizen and their
-- replies, the officer's explanation. The hash-chained log refers to these by digest, so the log
-- holds no personal data.
CREATE TABLE case_texts (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_texts_case ON case_texts (case_id, kind);

-- Signed links in emails. Only the hash of the token is stored.
CREATE TABLE action_links (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    officer_id BIGINT REFERENCES officers (id),
    email TEXT NOT NULL,
    -- handler (may act), observer (reads), explainer (the officer concerned: writes a giải trình)
    role TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX action_links_case ON action_links (case_id);

-- Every use of a link: opened, acted, refused.
CREATE TABLE link_uses (
    id INTEGER PRIMARY KEY,
    link_id BIGINT NOT NULL REFERENCES action_links (id),
    at TIMESTAMP NOT NULL,
    method TEXT NOT NULL,
    action TEXT,
    result TEXT NOT NULL
);

-- Every email is a row here, written in the transaction of the change that causes it.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    -- (case, event, recipient): the same notification is never created twice.
    dedupe_key TEXT NOT NULL UNIQUE,
    case_id BIGINT REFERENCES cases (id),
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    cc TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    -- The action link in the body is rebuilt at sending time from this link and the secret key,
    -- so the database never holds a usable token.
    link_id BIGINT REFERENCES action_links (id),
    link_nonce TEXT,
    not_before TIMESTAMP NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_until TIMESTAMP,
    last_error TEXT,
    sent_at TIMESTAMP,
    failed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
