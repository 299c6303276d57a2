DROP TABLE outbox_attachments;
DROP TABLE report_runs;
DROP TABLE report_link_uses;
DROP TABLE report_links;
DROP TABLE files_handled_log;
DROP TABLE files_handled;
DROP TABLE rating_months;
DROP TABLE rating_days;
