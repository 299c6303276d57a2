//! Vocabulary enums as text columns on both backends. A value is written as its code; a code
//! read back that the enum does not know is an error (the row is refused), never a default.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::expression::AsExpression;
use diesel::internal::derives::as_expression::Bound;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::{Nullable, Text};

use crate::domain::access::StaffRole;
use crate::domain::case::{Category, Dismissal, EventKind, LinkRole, Status, TextKind, Verdict};
use crate::domain::org::Role;
use crate::i18n::Lang;

/// Implements the text mapping for types with `as_str` and `FromStr`.
macro_rules! text_column {
    ($($t:ty),+ $(,)?) => {$(
        impl<DB: Backend> ToSql<Text, DB> for $t
        where
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.as_str().to_sql(out)
            }
        }

        impl<DB: Backend> FromSql<Text, DB> for $t
        where
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let s = String::from_sql(bytes)?;
                s.parse::<$t>().map_err(|e| format!("database: {e}").into())
            }
        }

        impl<DB: Backend> Queryable<Text, DB> for $t
        where
            $t: FromSql<Text, DB>,
        {
            type Row = $t;
            fn build(row: $t) -> deserialize::Result<$t> {
                Ok(row)
            }
        }

        // What `#[derive(AsExpression)]` would write, kept here so `src/domain` needs no diesel.
        impl AsExpression<Text> for $t {
            type Expression = Bound<Text, $t>;
            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl<'a> AsExpression<Text> for &'a $t {
            type Expression = Bound<Text, &'a $t>;
            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl AsExpression<Nullable<Text>> for $t {
            type Expression = Bound<Nullable<Text>, $t>;
            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl<'a> AsExpression<Nullable<Text>> for &'a $t {
            type Expression = Bound<Nullable<Text>, &'a $t>;
            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl<DB: Backend> ToSql<Nullable<Text>, DB> for $t
        where
            $t: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                ToSql::<Text, DB>::to_sql(self, out)
            }
        }
    )+};
}

text_column!(Status, Category, Dismissal, EventKind, LinkRole, TextKind, Verdict, Role, Lang, StaffRole);
