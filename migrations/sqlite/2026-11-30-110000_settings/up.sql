-- Facts about the deployment that every process of it must share (e.g. the public URL the
-- server derived when none was configured, so CLI commands write the same links).
CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
