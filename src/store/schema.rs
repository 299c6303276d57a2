//! The schema shared by both backends. Written by hand (not `diesel print-schema`): ids are BigInt
//! on both, timestamps are `Timestamp` holding UTC.

diesel::table! {
    units (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        kind -> Text,
        parent_id -> Nullable<BigInt>,
        email -> Nullable<Text>,
        oversight_id -> Nullable<BigInt>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        calendar -> Nullable<Text>,
    }
}

diesel::table! {
    officers (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        title -> Text,
        email -> Nullable<Text>,
        unit_id -> BigInt,
        role -> Text,
        lang -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    desks (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        unit_id -> BigInt,
        location -> Text,
        hours -> Text,
        token -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    roster (id) {
        id -> BigInt,
        desk_id -> BigInt,
        officer_id -> BigInt,
        days -> Text,
        time_range -> Text,
        from_date -> Nullable<Date>,
        until_date -> Nullable<Date>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    retired_desk_tokens (token) {
        token -> Text,
        desk_id -> BigInt,
        retired_at -> Timestamp,
    }
}

diesel::table! {
    ratings (id) {
        id -> BigInt,
        desk_id -> BigInt,
        unit_id -> BigInt,
        officer_id -> Nullable<BigInt>,
        survey_version -> Text,
        scale -> Text,
        overall -> Integer,
        answers -> Text,
        idx1 -> Nullable<Integer>,
        idx3 -> Nullable<Integer>,
        idx4 -> Nullable<Integer>,
        idx7 -> Nullable<Integer>,
        file_code -> Nullable<Text>,
        comment -> Nullable<Text>,
        outside_hours -> Bool,
        channel -> Text,
        browser_hash -> Nullable<Text>,
        ip_hash -> Nullable<Text>,
        revisions -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    cases (id) {
        id -> BigInt,
        receipt -> Text,
        rating_id -> Nullable<BigInt>,
        desk_id -> BigInt,
        unit_id -> BigInt,
        officer_id -> Nullable<BigInt>,
        category -> Text,
        description -> Nullable<Text>,
        occurred_at -> Nullable<Timestamp>,
        status -> Text,
        event_count -> Integer,
        last_hash -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        handler_unit_id -> Nullable<BigInt>,
        handler_officer_id -> Nullable<BigInt>,
        level -> Integer,
        stage -> Integer,
        route_unit_id -> Nullable<BigInt>,
        clock_started_at -> Nullable<Timestamp>,
        paused_at -> Nullable<Timestamp>,
        paused_seconds -> BigInt,
        ack_due_at -> Nullable<Timestamp>,
        resolve_due_at -> Nullable<Timestamp>,
        next_timer_at -> Nullable<Timestamp>,
        notified -> Text,
        outcome -> Nullable<Text>,
        citizen_verdict -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    case_events (id) {
        id -> BigInt,
        case_id -> BigInt,
        seq -> Integer,
        at -> Timestamp,
        actor -> Text,
        kind -> Text,
        data -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    ledger (seq) {
        seq -> BigInt,
        case_id -> BigInt,
        at -> Timestamp,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    ledger_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    case_contacts (case_id) {
        case_id -> BigInt,
        sealed -> Nullable<Text>,
        consent_at -> Timestamp,
        erase_after -> Nullable<Timestamp>,
        erased_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    calendars (code) {
        code -> Text,
        name -> Text,
        definition -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    calendar_arrangements (calendar, year) {
        calendar -> Text,
        year -> Integer,
        source -> Text,
        definition -> Text,
        imported_from -> Text,
        imported_at -> Timestamp,
    }
}

diesel::table! {
    delegations (id) {
        id -> BigInt,
        unit_id -> BigInt,
        from_officer_id -> BigInt,
        to_officer_id -> BigInt,
        starts_on -> Date,
        ends_on -> Date,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    case_texts (id) {
        id -> BigInt,
        case_id -> BigInt,
        kind -> Text,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    action_links (id) {
        id -> BigInt,
        token_hash -> Text,
        case_id -> BigInt,
        officer_id -> Nullable<BigInt>,
        email -> Text,
        role -> Text,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    link_uses (id) {
        id -> BigInt,
        link_id -> BigInt,
        at -> Timestamp,
        method -> Text,
        action -> Nullable<Text>,
        result -> Text,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        dedupe_key -> Text,
        case_id -> Nullable<BigInt>,
        kind -> Text,
        recipient -> Text,
        cc -> Text,
        lang -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        link_id -> Nullable<BigInt>,
        link_nonce -> Nullable<Text>,
        not_before -> Timestamp,
        next_attempt_at -> Timestamp,
        attempts -> Integer,
        claimed_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        sent_at -> Nullable<Timestamp>,
        failed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

// `rating_days` and `rating_months` (the report rollups) have more columns than diesel's table
// macro takes here: store::rollups reaches them with SQL of its own, the same on both backends.

diesel::table! {
    files_handled (desk_id, month) {
        desk_id -> BigInt,
        month -> Integer,
        files -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    files_handled_log (id) {
        id -> BigInt,
        desk_id -> BigInt,
        month -> Integer,
        files -> BigInt,
        previous -> Nullable<BigInt>,
        source -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    report_links (id) {
        id -> BigInt,
        token_hash -> Text,
        kind -> Text,
        period -> Integer,
        unit_id -> Nullable<BigInt>,
        officer_id -> Nullable<BigInt>,
        email -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    report_link_uses (id) {
        id -> BigInt,
        link_id -> BigInt,
        at -> Timestamp,
        method -> Text,
        what -> Text,
        result -> Text,
    }
}

diesel::table! {
    report_runs (kind, period) {
        kind -> Text,
        period -> Integer,
        recipients -> Integer,
        at -> Timestamp,
    }
}

diesel::table! {
    outbox_attachments (outbox_id, filename) {
        outbox_id -> BigInt,
        filename -> Text,
        content_type -> Text,
        content -> Binary,
    }
}

diesel::table! {
    staff_accounts (id) {
        id -> BigInt,
        email -> Text,
        role -> Text,
        unit_id -> Nullable<BigInt>,
        officer_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        disabled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    staff_passwords (email) {
        email -> Text,
        hash -> Text,
        failures -> Integer,
        locked_until -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    staff_signins (id) {
        id -> BigInt,
        token_hash -> Text,
        email -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    staff_sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        email -> Text,
        officer_id -> Nullable<BigInt>,
        account_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    staff_audit (seq) {
        seq -> BigInt,
        at -> Timestamp,
        actor -> Text,
        action -> Text,
        detail -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    org_edits (id) {
        id -> BigInt,
        kind -> Text,
        code -> Text,
        field -> Text,
        value -> Text,
        actor -> Text,
        at -> Timestamp,
        settled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    staff_audit_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::joinable!(officers -> units (unit_id));
diesel::joinable!(desks -> units (unit_id));
diesel::joinable!(roster -> desks (desk_id));
diesel::joinable!(roster -> officers (officer_id));

diesel::joinable!(ratings -> desks (desk_id));
diesel::joinable!(cases -> desks (desk_id));
diesel::joinable!(case_events -> cases (case_id));
diesel::joinable!(case_contacts -> cases (case_id));

diesel::allow_tables_to_appear_in_same_query!(
    units,
    officers,
    desks,
    roster,
    retired_desk_tokens,
    ratings,
    cases,
    case_events,
    ledger,
    ledger_head,
    case_contacts,
    calendars,
    calendar_arrangements,
    delegations,
    case_texts,
    action_links,
    link_uses,
    outbox,
    settings,
    files_handled,
    files_handled_log,
    report_links,
    report_link_uses,
    report_runs,
    outbox_attachments,
    staff_accounts,
    staff_passwords,
    staff_signins,
    staff_sessions,
    staff_audit,
    staff_audit_head,
    org_edits
);
