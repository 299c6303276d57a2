//! Closed vocabularies (statuses, categories, roles, event kinds…) as enums with one fixed code
//! each: the code is what the database, the case log, URLs and the API hold. [`vocabulary!`]
//! writes the code table once, so `as_str`, `parse`, `ALL`, `Display`, `FromStr`, serde and (when
//! the variants carry words) the bilingual `label` cannot drift apart.

/// A value that is not one of a vocabulary's codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    pub vocabulary: &'static str,
    pub value: String,
    pub known: &'static [&'static str],
}

impl std::fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown {} {:?} (known: {})", self.vocabulary, self.value, self.known.join(", "))
    }
}

impl std::error::Error for UnknownCode {}

/// Defines a vocabulary enum. Each variant is `Name = "code"`, optionally followed by
/// `=> ("Tiếng Việt", "English")`, its words; with words on every variant the enum also gets
/// `label(lang)`.
///
/// ```ignore
/// vocabulary! {
///     /// A case's status.
///     pub enum Status {
///         Received = "received" => ("Đã tiếp nhận", "Received"),
///         Resolved = "resolved" => ("Đã giải quyết", "Resolved"),
///     }
/// }
/// ```
#[macro_export]
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal => ($vi:literal, $en:literal) ),+ $(,)?
        }
    ) => {
        $crate::vocabulary! { @base $(#[$meta])* $vis enum $name { $( $(#[$vmeta])* $variant = $code ),+ } }

        impl $name {
            /// The words for this value in a language.
            pub fn label(self, lang: $crate::i18n::Lang) -> &'static str {
                let (vi, en) = match self { $( $name::$variant => ($vi, $en) ),+ };
                match lang {
                    $crate::i18n::Lang::Vi => vi,
                    $crate::i18n::Lang::En => en,
                }
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+ $(,)?
        }
    ) => {
        $crate::vocabulary! { @base $(#[$meta])* $vis enum $name { $( $(#[$vmeta])* $variant = $code ),+ } }
    };
    (
        @base
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),+ ];
            /// Every code, in declaration order.
            pub const CODES: &'static [&'static str] = &[ $( $code ),+ ];

            /// The stored code.
            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $code ),+ }
            }

            /// The value of a code; `None` for anything else (no fallback).
            pub fn parse(s: &str) -> Option<$name> {
                match s { $( $code => Some($name::$variant), )+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::domain::vocabulary::UnknownCode;
            fn from_str(s: &str) -> Result<$name, Self::Err> {
                $name::parse(s).ok_or_else(|| $crate::domain::vocabulary::UnknownCode {
                    vocabulary: stringify!($name),
                    value: s.to_string(),
                    known: $name::CODES,
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                $name::parse(&s).ok_or_else(|| serde::de::Error::unknown_variant(&s, $name::CODES))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::i18n::Lang;

    crate::vocabulary! {
        /// A test vocabulary.
        enum Colour {
            Red = "red" => ("Đỏ", "Red"),
            DarkBlue = "dark_blue" => ("Xanh đậm", "Dark blue"),
        }
    }

    crate::vocabulary! {
        enum Plain {
            One = "one",
            Two = "two",
        }
    }

    #[test]
    fn codes_round_trip_and_nothing_else_parses() {
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.as_str()), Some(*c));
            assert_eq!(c.as_str().parse::<Colour>(), Ok(*c));
        }
        assert_eq!(Colour::parse("Red"), None, "codes are exact");
        let e = "green".parse::<Colour>().unwrap_err();
        assert_eq!(e.to_string(), "unknown Colour \"green\" (known: red, dark_blue)");
        assert_eq!(Colour::DarkBlue.label(Lang::Vi), "Xanh đậm");
        assert_eq!(Colour::DarkBlue.label(Lang::En), "Dark blue");
        assert_eq!(Plain::Two.to_string(), "two");
        assert_eq!(Plain::CODES, &["one", "two"]);
        assert_eq!(Plain::ALL, &[Plain::One, Plain::Two]);
    }

    #[test]
    fn serde_uses_the_codes() {
        assert_eq!(serde_json::to_string(&Colour::DarkBlue).unwrap(), "\"dark_blue\"");
        assert_eq!(serde_json::from_str::<Colour>("\"red\"").unwrap(), Colour::Red);
        let e = serde_json::from_str::<Colour>("\"green\"").unwrap_err().to_string();
        assert!(e.contains("unknown variant `green`, expected `red` or `dark_blue`"), "{e}");
    }
}
