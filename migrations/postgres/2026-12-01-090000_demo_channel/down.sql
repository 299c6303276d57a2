-- Back to web and api only; fails while demo ratings exist (delete them first).
ALTER TABLE ratings DROP CONSTRAINT ratings_channel_check;
ALTER TABLE ratings ADD CONSTRAINT ratings_channel_check CHECK (channel IN ('web', 'api'));
