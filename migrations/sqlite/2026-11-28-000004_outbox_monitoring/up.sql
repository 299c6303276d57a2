-- Monitoring counts failed emails at every scrape (/metrics); the outbox keeps every email
-- ever sent, so the count must not scan it.
CREATE INDEX outbox_failed ON outbox (failed_at) WHERE failed_at IS NOT NULL;
