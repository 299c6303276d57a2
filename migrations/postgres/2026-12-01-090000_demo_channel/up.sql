-- Ratings may now have the channel 'demo': the synthetic history `hailong demo` writes
-- (service::feedback::Channel::Demo), so demo figures can be told from real ones.
ALTER TABLE ratings DROP CONSTRAINT ratings_channel_check;
ALTER TABLE ratings ADD CONSTRAINT ratings_channel_check CHECK (channel IN ('web', 'api', 'demo'));
