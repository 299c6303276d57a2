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

diesel::joinable!(officers -> units (unit_id));
diesel::joinable!(desks -> units (unit_id));
diesel::joinable!(roster -> desks (desk_id));
diesel::joinable!(roster -> officers (officer_id));

diesel::allow_tables_to_appear_in_same_query!(units, officers, desks, roster);
