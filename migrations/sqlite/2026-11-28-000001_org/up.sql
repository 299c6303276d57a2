-- Organisation: units (a tree), officers, desks, duty roster. Rows are never deleted, only
-- deactivated, so old ratings and cases keep their meaning across reorganisations.
-- Timestamps are UTC.
CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id BIGINT REFERENCES units (id),
    email TEXT,
    oversight_id BIGINT REFERENCES units (id),
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX units_parent ON units (parent_id);

CREATE TABLE officers (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    email TEXT,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    role TEXT NOT NULL CHECK (role IN ('head', 'deputy', 'staff')),
    lang TEXT NOT NULL DEFAULT 'vi' CHECK (lang IN ('vi', 'en')),
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX officers_unit ON officers (unit_id);
-- At most one active head per unit, enforced by the database as well as by the importer.
CREATE UNIQUE INDEX officers_one_active_head ON officers (unit_id) WHERE role = 'head' AND active;

CREATE TABLE desks (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    location TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX desks_unit ON desks (unit_id);

CREATE TABLE roster (
    id INTEGER PRIMARY KEY,
    desk_id BIGINT NOT NULL REFERENCES desks (id),
    officer_id BIGINT NOT NULL REFERENCES officers (id),
    days TEXT NOT NULL DEFAULT '',
    time_range TEXT NOT NULL DEFAULT '',
    from_date DATE,
    until_date DATE,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX roster_desk ON roster (desk_id);
