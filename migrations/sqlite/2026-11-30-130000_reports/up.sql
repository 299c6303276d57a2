-- Report rollups (domain::rollup): the counters of the ratings given per local day and per month,
-- for each desk, officer (0 = none named) and unit, kept in the transaction of every rating and of
-- every later change that moves a figure. Reports sum these; `hailong reports rebuild` recomputes
-- them from the ratings. Days are yyyymmdd and months yyyymm integers in Việt Nam time.
CREATE TABLE rating_days (
    day INTEGER NOT NULL,
    desk_id BIGINT NOT NULL,
    officer_id BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    ratings BIGINT NOT NULL DEFAULT 0,
    satisfied BIGINT NOT NULL DEFAULT 0,
    dissatisfied BIGINT NOT NULL DEFAULT 0,
    with_case BIGINT NOT NULL DEFAULT 0,
    dissatisfied_with_case BIGINT NOT NULL DEFAULT 0,
    l1 BIGINT NOT NULL DEFAULT 0,
    l2 BIGINT NOT NULL DEFAULT 0,
    l3 BIGINT NOT NULL DEFAULT 0,
    l4 BIGINT NOT NULL DEFAULT 0,
    l5 BIGINT NOT NULL DEFAULT 0,
    i1_0 BIGINT NOT NULL DEFAULT 0,
    i1_1 BIGINT NOT NULL DEFAULT 0,
    i1_2 BIGINT NOT NULL DEFAULT 0,
    i3_0 BIGINT NOT NULL DEFAULT 0,
    i3_1 BIGINT NOT NULL DEFAULT 0,
    i3_2 BIGINT NOT NULL DEFAULT 0,
    i4_0 BIGINT NOT NULL DEFAULT 0,
    i4_1 BIGINT NOT NULL DEFAULT 0,
    i4_2 BIGINT NOT NULL DEFAULT 0,
    i7_0 BIGINT NOT NULL DEFAULT 0,
    i7_1 BIGINT NOT NULL DEFAULT 0,
    i7_2 BIGINT NOT NULL DEFAULT 0,
    outside_hours BIGINT NOT NULL DEFAULT 0,
    yes1 BIGINT NOT NULL DEFAULT 0,
    yes2 BIGINT NOT NULL DEFAULT 0,
    yes3 BIGINT NOT NULL DEFAULT 0,
    yes4 BIGINT NOT NULL DEFAULT 0,
    answered1 BIGINT NOT NULL DEFAULT 0,
    answered2 BIGINT NOT NULL DEFAULT 0,
    answered3 BIGINT NOT NULL DEFAULT 0,
    answered4 BIGINT NOT NULL DEFAULT 0,
    tick1 BIGINT NOT NULL DEFAULT 0,
    tick2 BIGINT NOT NULL DEFAULT 0,
    tick3 BIGINT NOT NULL DEFAULT 0,
    tick4 BIGINT NOT NULL DEFAULT 0,
    tick5 BIGINT NOT NULL DEFAULT 0,
    tick6 BIGINT NOT NULL DEFAULT 0,
    tick7 BIGINT NOT NULL DEFAULT 0,
    tick8 BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, desk_id, officer_id, unit_id)
) WITHOUT ROWID;
CREATE INDEX rating_days_unit ON rating_days (unit_id, day);

CREATE TABLE rating_months (
    month INTEGER NOT NULL,
    desk_id BIGINT NOT NULL,
    officer_id BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    ratings BIGINT NOT NULL DEFAULT 0,
    satisfied BIGINT NOT NULL DEFAULT 0,
    dissatisfied BIGINT NOT NULL DEFAULT 0,
    with_case BIGINT NOT NULL DEFAULT 0,
    dissatisfied_with_case BIGINT NOT NULL DEFAULT 0,
    l1 BIGINT NOT NULL DEFAULT 0,
    l2 BIGINT NOT NULL DEFAULT 0,
    l3 BIGINT NOT NULL DEFAULT 0,
    l4 BIGINT NOT NULL DEFAULT 0,
    l5 BIGINT NOT NULL DEFAULT 0,
    i1_0 BIGINT NOT NULL DEFAULT 0,
    i1_1 BIGINT NOT NULL DEFAULT 0,
    i1_2 BIGINT NOT NULL DEFAULT 0,
    i3_0 BIGINT NOT NULL DEFAULT 0,
    i3_1 BIGINT NOT NULL DEFAULT 0,
    i3_2 BIGINT NOT NULL DEFAULT 0,
    i4_0 BIGINT NOT NULL DEFAULT 0,
    i4_1 BIGINT NOT NULL DEFAULT 0,
    i4_2 BIGINT NOT NULL DEFAULT 0,
    i7_0 BIGINT NOT NULL DEFAULT 0,
    i7_1 BIGINT NOT NULL DEFAULT 0,
    i7_2 BIGINT NOT NULL DEFAULT 0,
    outside_hours BIGINT NOT NULL DEFAULT 0,
    yes1 BIGINT NOT NULL DEFAULT 0,
    yes2 BIGINT NOT NULL DEFAULT 0,
    yes3 BIGINT NOT NULL DEFAULT 0,
    yes4 BIGINT NOT NULL DEFAULT 0,
    answered1 BIGINT NOT NULL DEFAULT 0,
    answered2 BIGINT NOT NULL DEFAULT 0,
    answered3 BIGINT NOT NULL DEFAULT 0,
    answered4 BIGINT NOT NULL DEFAULT 0,
    tick1 BIGINT NOT NULL DEFAULT 0,
    tick2 BIGINT NOT NULL DEFAULT 0,
    tick3 BIGINT NOT NULL DEFAULT 0,
    tick4 BIGINT NOT NULL DEFAULT 0,
    tick5 BIGINT NOT NULL DEFAULT 0,
    tick6 BIGINT NOT NULL DEFAULT 0,
    tick7 BIGINT NOT NULL DEFAULT 0,
    tick8 BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (month, desk_id, officer_id, unit_id)
) WITHOUT ROWID;
CREATE INDEX rating_months_unit ON rating_months (unit_id, month);

-- Files (hồ sơ) each desk handled in a month, entered by the unit, for the Decision 766 rate over
-- files. Setting it again replaces it; every setting is kept in files_handled_log.
CREATE TABLE files_handled (
    desk_id BIGINT NOT NULL REFERENCES desks (id),
    month INTEGER NOT NULL,
    files BIGINT NOT NULL CHECK (files >= 0),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (desk_id, month)
);

CREATE TABLE files_handled_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    desk_id BIGINT NOT NULL REFERENCES desks (id),
    month INTEGER NOT NULL,
    files BIGINT NOT NULL,
    previous BIGINT,
    -- cli, import:FILE, link:ID
    source TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);

-- Signed report links: like action links (only the token's hash is kept), for one scope (a unit
-- and its subtree; NULL = the whole organisation) and one period.
CREATE TABLE report_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    -- monthly, yearly
    kind TEXT NOT NULL,
    -- yyyymm for a month, yyyy for a year
    period INTEGER NOT NULL,
    unit_id BIGINT REFERENCES units (id),
    -- The reader: their own cases (as the accused) are never listed to them.
    officer_id BIGINT REFERENCES officers (id),
    email TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);

CREATE TABLE report_link_uses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    link_id BIGINT NOT NULL REFERENCES report_links (id),
    at TIMESTAMP NOT NULL,
    method TEXT NOT NULL,
    -- html, csv, xlsx, json, files
    what TEXT NOT NULL,
    result TEXT NOT NULL
);

-- One row per report run (monthly delivery of a month, a yearly reminder): whoever inserts it
-- first sends, so two instances or a restart never send twice.
CREATE TABLE report_runs (
    kind TEXT NOT NULL,
    period INTEGER NOT NULL,
    recipients INTEGER NOT NULL,
    at TIMESTAMP NOT NULL,
    PRIMARY KEY (kind, period)
);

-- A file sent with an email (the monthly report's XLSX), written with its outbox row.
CREATE TABLE outbox_attachments (
    outbox_id BIGINT NOT NULL REFERENCES outbox (id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (outbox_id, filename)
);
