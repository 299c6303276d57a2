CREATE INDEX ratings_desk_time ON ratings (desk_id, created_at);
DROP INDEX ratings_desk_time_browser;
