DROP INDEX cases_updated;
DROP INDEX cases_handler_unit;
DROP TABLE staff_audit_head;
DROP TABLE staff_audit;
DROP TABLE staff_sessions;
DROP TABLE staff_signins;
DROP TABLE staff_passwords;
DROP TABLE staff_accounts;
