//! Email: building messages and sending them (SMTP, or .eml files).
