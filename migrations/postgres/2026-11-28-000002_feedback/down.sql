DROP TABLE case_contacts;
DROP TABLE ledger_head;
DROP TABLE ledger;
DROP TABLE case_events;
DROP TABLE cases;
DROP TABLE ratings;
DROP TABLE retired_desk_tokens;
