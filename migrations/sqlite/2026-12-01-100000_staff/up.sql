-- The staff console (/staff): accounts beyond the heads and deputies of the organisation file,
-- one-time sign-in links, sessions, optional passwords, and the admin audit log.

-- Accounts added with `hailong user add`: admin, oversight, viewer. Heads and deputies with an
-- email in the organisation file sign in without a row here.
CREATE TABLE staff_accounts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    unit_id BIGINT REFERENCES units (id),
    officer_id BIGINT REFERENCES officers (id),
    created_at TIMESTAMP NOT NULL,
    disabled_at TIMESTAMP
);
CREATE INDEX staff_accounts_email ON staff_accounts (email);

-- A password proves an address, as a sign-in email does (argon2id PHC string).
CREATE TABLE staff_passwords (
    email TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);

-- One-time sign-in links: only the token's hash is kept.
CREATE TABLE staff_signins (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX staff_signins_email ON staff_signins (email, created_at);

-- Signed-in browsers: the cookie's hash, who (an officer of the file or an account), and the
-- two clocks (idle and absolute).
CREATE TABLE staff_sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    officer_id BIGINT REFERENCES officers (id),
    account_id BIGINT REFERENCES staff_accounts (id),
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX staff_sessions_email ON staff_sessions (email);

-- What staff did outside a case's own log (sign-ins, account changes, contact views, report
-- downloads, organisation edits), hash-chained like the case ledger.
CREATE TABLE staff_audit (
    seq BIGINT PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
-- The chain's head; updating it first serialises appenders on every backend.
CREATE TABLE staff_audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO staff_audit_head (id, seq, hash) VALUES (1, 0, '');

-- The console inbox: cases by handling unit (a scope is "desk's unit or handling unit"), and the
-- closed cases' pages by last change.
CREATE INDEX cases_handler_unit ON cases (handler_unit_id);
CREATE INDEX cases_updated ON cases (updated_at);
-- Counting a scope's cases per status reads this index alone, not the table.
CREATE INDEX cases_scope ON cases (status, unit_id, handler_unit_id, handler_officer_id, officer_id);

-- Organisation changes made on the console (a desk's name, place, hours; deactivations). A later
-- `org import` whose file would undo one names it and needs --force; an import settles them.
CREATE TABLE org_edits (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    settled_at TIMESTAMP
);
