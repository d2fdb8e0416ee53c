//! GS1 element strings: the `01…21…␝91…` text inside GS1 DataMatrix, GS1-128 and GS1 QR
//! symbols (devices.md §6.2 table, §6.3 step 3).
//!
//! A fixed-length field is read by its length; a variable-length field ends at GS
//! (`'\u{1d}'`, FNC1) or at the end of the data. Only the identifiers a shop till meets
//! are known; an unknown one is an error, never a guess, because guessing its length
//! would move every field after it. This module must not apply marking rules (lengths
//! per product group, the crypto tail): that is `marking`'s job.

use super::barcode::{BarcodeError, verify_check_digit};

const GS: char = '\u{1d}';

/// GS1 character set 82, the only characters an X field may hold.
pub const CHARSET_82: &str =
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

pub fn is_charset_82(c: char) -> bool {
    c.is_ascii() && CHARSET_82.contains(c)
}

/// One application identifier: its digits (`n` = any digit), whether the data is digits
/// only, its shortest and longest data, and whether it is in GS1's predefined-length
/// list (those never need a separator after them).
struct Ai {
    pattern: &'static str,
    numeric: bool,
    min: usize,
    max: usize,
    predefined: bool,
}

const fn ai(pattern: &'static str, numeric: bool, min: usize, max: usize) -> Ai {
    let p = pattern.as_bytes();
    // GS1 General Specifications, "predefined length" table: 00–04, 11–20, 31–36, 41.
    let predefined = min == max
        && matches!(
            (p[0], p[1]),
            (b'0', b'0'..=b'4') | (b'1', _) | (b'2', b'0') | (b'3', b'1'..=b'6') | (b'4', b'1')
        );
    Ai {
        pattern,
        numeric,
        min,
        max,
        predefined,
    }
}

const N: bool = true;
const X: bool = false;

/// First match wins, so `90` comes before `9n`.
const TABLE: &[Ai] = &[
    ai("00", N, 18, 18),
    ai("01", N, 14, 14),
    ai("02", N, 14, 14),
    ai("10", X, 1, 20),
    ai("11", N, 6, 6),
    ai("12", N, 6, 6),
    ai("13", N, 6, 6),
    ai("15", N, 6, 6),
    ai("16", N, 6, 6),
    ai("17", N, 6, 6),
    ai("20", N, 2, 2),
    ai("21", X, 1, 20),
    ai("22", X, 1, 20),
    ai("240", X, 1, 30),
    ai("241", X, 1, 30),
    ai("250", X, 1, 30),
    ai("251", X, 1, 30),
    ai("254", X, 1, 20),
    ai("30", N, 1, 8),
    ai("31nn", N, 6, 6),
    ai("32nn", N, 6, 6),
    ai("33nn", N, 6, 6),
    ai("34nn", N, 6, 6),
    ai("35nn", N, 6, 6),
    ai("36nn", N, 6, 6),
    ai("37", N, 1, 8),
    ai("390n", N, 1, 15),
    ai("391n", N, 4, 18),
    ai("392n", N, 1, 15),
    ai("393n", N, 4, 18),
    ai("400", X, 1, 30),
    ai("401", X, 1, 30),
    ai("402", N, 17, 17),
    ai("403", X, 1, 30),
    ai("41n", N, 13, 13), // 410–417, checked below
    ai("420", X, 1, 20),
    ai("421", X, 4, 12),
    ai("422", N, 3, 3),
    ai("7003", N, 10, 10),
    ai("8005", N, 6, 6),
    ai("8008", N, 9, 12),
    ai("90", X, 1, 30),
    // 91–99: company internal; in marking codes 91 key id, 92 signature, 93 short code.
    ai("9n", X, 1, 90),
];

fn lookup(rest: &[char]) -> Option<&'static Ai> {
    TABLE.iter().find(|ai| {
        ai.pattern.len() <= rest.len()
            && ai.pattern.chars().zip(rest).all(
                |(p, &c)| {
                    if p == 'n' { c.is_ascii_digit() } else { p == c }
                },
            )
            && !(ai.pattern == "41n" && matches!(rest[2], '8' | '9'))
    })
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Gs1Error {
    #[error("Nothing was read: scan the code again.")]
    Empty,
    #[error(
        "The code has an unknown application identifier ({ai}) at character {position}: scan it again; if this repeats, the code is not one this till reads."
    )]
    UnknownAi { ai: String, position: usize },
    #[error(
        "Field ({ai}) at character {position} has {got} characters but needs {expected}: the code was cut short, scan it again."
    )]
    Truncated {
        ai: String,
        position: usize,
        got: usize,
        expected: usize,
    },
    #[error(
        "Field ({ai}) has {got} characters, more than its {max}: a separator was probably lost; set the scanner to COM mode or a GS substitute and scan again."
    )]
    TooLong { ai: String, got: usize, max: usize },
    #[error(
        "Field ({ai}) at character {position} is empty: the code was cut short, scan it again."
    )]
    EmptyField { ai: String, position: usize },
    #[error(
        "Field ({ai}) must be digits only but reads '{value}': the keyboard layout probably changed it; switch the scanner to COM mode or the US layout and scan again."
    )]
    NotDigits { ai: String, value: String },
    #[error(
        "Field ({ai}) has '{ch}' at character {position}, which GS1 codes never contain: the keyboard layout or CapsLock probably changed it; switch the scanner to COM mode or the US layout and scan again."
    )]
    BadCharacter {
        ai: String,
        ch: char,
        position: usize,
    },
    #[error(
        "The GTIN {gtin} in the code has a wrong check digit (should be {expected}): scan it again; if this repeats, the code is damaged."
    )]
    GtinCheck { gtin: String, expected: u8 },
}

/// Splits a GS1 element string into (identifier, data) pairs, checking each field's
/// length and characters and the GTIN check digit. Positions in errors count from 1.
pub fn parse_element_string(text: &str) -> Result<Vec<(String, String)>, Gs1Error> {
    let chars: Vec<char> = text.chars().collect();
    let mut fields = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == GS {
            i += 1;
            continue;
        }
        let Some(spec) = lookup(&chars[i..]) else {
            return Err(Gs1Error::UnknownAi {
                ai: chars[i..].iter().take(2).collect(),
                position: i + 1,
            });
        };
        let ai: String = chars[i..i + spec.pattern.len()].iter().collect();
        let start = i + spec.pattern.len();
        let end = chars[start..]
            .iter()
            .position(|&c| c == GS)
            .map_or(chars.len(), |p| start + p);
        let end = if spec.min == spec.max {
            // A fixed field may be followed directly by the next identifier.
            end.min(start + spec.max)
        } else {
            end
        };
        let got = end - start;
        if got == 0 {
            return Err(Gs1Error::EmptyField {
                ai,
                position: start + 1,
            });
        }
        if got < spec.min {
            return Err(Gs1Error::Truncated {
                ai,
                position: start + 1,
                got,
                expected: spec.min,
            });
        }
        if got > spec.max {
            return Err(Gs1Error::TooLong {
                ai,
                got,
                max: spec.max,
            });
        }
        let value: String = chars[start..end].iter().collect();
        if spec.numeric && !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Gs1Error::NotDigits { ai, value });
        }
        if let Some(k) = value.chars().position(|c| !is_charset_82(c)) {
            return Err(Gs1Error::BadCharacter {
                ai,
                ch: chars[start + k],
                position: start + k + 1,
            });
        }
        if matches!(ai.as_str(), "01" | "02")
            && let Err(BarcodeError::CheckDigit { expected, .. }) = verify_check_digit(&value)
        {
            return Err(Gs1Error::GtinCheck {
                gtin: value,
                expected,
            });
        }
        fields.push((ai, value));
        i = end;
    }
    if fields.is_empty() {
        return Err(Gs1Error::Empty);
    }
    Ok(fields)
}

/// The element string of `fields`, with GS after every field that is not of predefined
/// length, except the last (GS1 General Specifications; `8005` needs one, devices.md §6.2).
pub fn render(fields: &[(String, String)]) -> String {
    let mut out = String::new();
    for (k, (ai, value)) in fields.iter().enumerate() {
        out.push_str(ai);
        out.push_str(value);
        let chars: Vec<char> = ai.chars().collect();
        let predefined = lookup(&chars).is_some_and(|spec| spec.predefined);
        if k + 1 < fields.len() && !predefined {
            out.push(GS);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, v)| (a.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn element_strings_split_into_fields() {
        let tail = "f4GMwfaaxZdBapz1Kn+RKa8yiAv7zPumlaNf/NBhIAY=";
        for (text, want) in [
            (
                "010487012345678921aB3dE5gH7jK9m\u{1d}91FFD0\u{1d}92f4GM",
                "(01)04870123456789(21)aB3dE5gH7jK9m(91)FFD0(92)f4GM",
            ),
            (
                "0104870123456789172812311012A\u{1d}3103001250",
                "(01)04870123456789(17)281231(10)12A(3103)001250",
            ),
            (
                "01048701234567892112345678\u{1d}8005012000\u{1d}93AbCd",
                "(01)04870123456789(21)12345678(8005)012000(93)AbCd",
            ),
            ("00148701230000000016\u{1d}", "(00)148701230000000016"),
            (&format!("92{tail}"), &format!("(92){tail}")),
        ] {
            assert_eq!(
                parse_element_string(text).map(|f| hri(&f)).as_deref(),
                Ok(want),
                "{text:?}"
            );
        }
    }

    #[test]
    fn render_puts_separators_only_where_needed() {
        let fields = f(&[
            ("01", "04870123456789"),
            ("21", "5aB7cD"),
            ("8005", "012000"),
        ]);
        let more = [fields.clone(), f(&[("17", "281231"), ("93", "Xy9Z")])].concat();
        assert_eq!(render(&fields), "0104870123456789215aB7cD\u{1d}8005012000");
        assert_eq!(
            render(&more),
            "0104870123456789215aB7cD\u{1d}8005012000\u{1d}1728123193Xy9Z"
        );
    }

    #[test]
    fn broken_element_strings_say_what_is_wrong() {
        for (text, want) in [
            ("", "Empty"),
            (
                "0104870123456789554",
                r#"UnknownAi { ai: "55", position: 17 }"#,
            ),
            (
                "01048701234",
                r#"Truncated { ai: "01", position: 3, got: 9, expected: 14 }"#,
            ),
            (
                "010487012345678921",
                r#"EmptyField { ai: "21", position: 19 }"#,
            ),
            (
                "010487012345678921123456789012345678901",
                r#"TooLong { ai: "21", got: 21, max: 20 }"#,
            ),
            (
                "0104870123456789174a1231",
                r#"NotDigits { ai: "17", value: "4a1231" }"#,
            ),
            (
                "010487012345678921ab~c",
                r#"BadCharacter { ai: "21", ch: '~', position: 21 }"#,
            ),
            (
                "0104870123456788",
                r#"GtinCheck { gtin: "04870123456788", expected: 9 }"#,
            ),
            (
                "01048701234567894181234567890123",
                r#"UnknownAi { ai: "41", position: 17 }"#,
            ),
        ] {
            let got = parse_element_string(text).map_err(|e| format!("{e:?}"));
            assert_eq!(got, Err(want.to_string()), "{text:?}");
        }
        assert_eq!(
            parse_element_string("0104870123456789554").map_err(|e| e.to_string()),
            Err("The code has an unknown application identifier (55) at character 17: scan it again; if this repeats, the code is not one this till reads.".into())
        );
    }

    /// The human-readable form, `(01)…(21)…`, to keep expectations on one line.
    fn hri(fields: &[(String, String)]) -> String {
        fields.iter().map(|(ai, v)| format!("({ai}){v}")).collect()
    }

    fn field() -> impl Strategy<Value = (String, String)> {
        let x = |ai: &'static str, max: usize| {
            proptest::string::string_regex(&format!(
                "[!\"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]{{1,{max}}}"
            ))
            .expect("the test input is valid")
            .prop_map(move |v| (ai.to_string(), v))
        };
        let n = |ai: &'static str, len: &str| {
            proptest::string::string_regex(&format!("[0-9]{{{len}}}"))
                .expect("the test input is valid")
                .prop_map(move |v| (ai.to_string(), v))
        };
        prop_oneof![
            "[0-9]{13}".prop_map(|d| {
                let check =
                    crate::devices::barcode::gs1_check_digit(&d).expect("the test input is valid");
                ("01".to_string(), format!("{d}{check}"))
            }),
            x("21", 20),
            x("10", 20),
            x("240", 30),
            x("91", 90),
            x("92", 90),
            x("93", 90),
            n("17", "6"),
            n("11", "6"),
            n("8005", "6"),
            n("3103", "6"),
            n("410", "13"),
            n("30", "1,8"),
            n("37", "1,8"),
        ]
    }

    proptest! {
        #[test]
        fn render_then_parse_is_identity(fields in proptest::collection::vec(field(), 1..8)) {
            let text = render(&fields);
            prop_assert_eq!(parse_element_string(&text), Ok(fields));
        }
    }
}
