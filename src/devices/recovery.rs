//! Marking codes a keyboard-wedge scanner damaged: separators dropped, or the read cut
//! short (devices.md §5.2 "GS in keyboard mode", §6.3 step 3).
//!
//! Without its GS separators a GS1 code is ambiguous, because a variable-length serial
//! swallows whatever follows it. Codes are re-split only for the known layouts of §6.2
//! (serial 13 with `91`/`92`, serial 6–7 with `93`), and the caller marks the result
//! "reconstructed". This module must not guess any other layout: a wrong split would
//! send a wrong code to IS MPT, whereas a refusal only costs a rescan in COM mode.

use super::gs1::{parse_element_string, render};
use super::marking::text;

type Fields = Vec<(String, String)>;

/// `01` GTIN `21` serial(13) `91` key(4) `92` code(44) without its two separators.
const LONG_LEN: usize = 83;
/// `91` + 4 + `92` + 44: the crypto tail of the long layout.
const LONG_TAIL: usize = 52;
/// Lengths of the crypto fields in this system family (devices.md §6.2, [verify] per
/// product group).
const CRYPTO_LENGTHS: [(&str, usize); 3] = [("91", 4), ("92", 44), ("93", 4)];

/// The fields of a GS1 marking code whose separators were dropped, if it has a known
/// layout: serial 13, optional fields such as `17` and `10`, then `91`+4 `92`+44; or
/// serial 6–7 then `93`+4.
pub(crate) fn reconstruct(chars: &[char]) -> Option<Fields> {
    let n = chars.len();
    let s = |a: usize, b: usize| text(&chars[a..b]);
    if n < 30 || s(0, 2) != "01" || s(16, 18) != "21" {
        return None;
    }
    if n >= LONG_LEN && s(n - 52, n - 50) == "91" && s(n - 46, n - 44) == "92" {
        let mut fields = vec![("01".to_string(), s(2, 16)), ("21".to_string(), s(18, 31))];
        // Medicines put fixed fields and a final batch between serial and key (§6.2).
        if n > LONG_LEN {
            fields.extend(parse_element_string(&s(31, n - LONG_TAIL)).ok()?);
        }
        fields.push(("91".into(), s(n - 50, n - 46)));
        fields.push(("92".into(), s(n - 44, n)));
        return Some(fields);
    }
    if matches!(n, 30 | 31) && s(n - 6, n - 4) == "93" {
        return Some(vec![
            ("01".into(), s(2, 16)),
            ("21".into(), s(18, n - 6)),
            ("93".into(), s(n - 4, n)),
        ]);
    }
    None
}

/// The length the code would have had if its crypto fields were whole, when they are
/// not: a short `91`/`92`/`93`, or a key without its signature. Such a code would be
/// refused by IS MPT later, so it is refused at the till now.
pub(crate) fn cut_short(fields: &[(String, String)]) -> Option<usize> {
    let has = |ai: &str| fields.iter().any(|(a, _)| a == ai);
    let mut complete = fields.to_vec();
    if has("91") && !has("92") {
        complete.push(("92".into(), String::new()));
    }
    for (ai, value) in complete.iter_mut() {
        if let Some(&(_, len)) = CRYPTO_LENGTHS.iter().find(|(a, _)| a == ai) {
            while value.chars().count() < len {
                value.push('A');
            }
        }
    }
    (complete != fields).then(|| render(&complete).chars().count())
}

/// A long-layout code without separators that stops after its key identifier starts.
pub(crate) fn cut_short_without_separators(chars: &[char]) -> Option<usize> {
    ((33..LONG_LEN).contains(&chars.len()) && text(&chars[31..33]) == "91").then_some(LONG_LEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(a, v)| (a.to_string(), v.to_string()))
            .collect()
    }

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn known_layouts_are_re_split() {
        let tail = "f4GMwfaaxZdBapz1Kn+RKa8yiAv7zPumlaNf/NBhIAY=";
        let gtin = ("01", "04870123456789");
        for (code, want) in [
            (
                format!("010487012345678921aB3dE5gH7jK9m91FFD092{tail}"),
                Some(f(&[
                    gtin,
                    ("21", "aB3dE5gH7jK9m"),
                    ("91", "FFD0"),
                    ("92", tail),
                ])),
            ),
            (
                format!("010487012345678921Q1w2E3r4T5y6U1728123110LOT42A91EE0792{tail}"),
                Some(f(&[
                    gtin,
                    ("21", "Q1w2E3r4T5y6U"),
                    ("17", "281231"),
                    ("10", "LOT42A"),
                    ("91", "EE07"),
                    ("92", tail),
                ])),
            ),
            (
                "0104870123456789215aB7cD93Xy9Z".into(),
                Some(f(&[gtin, ("21", "5aB7cD"), ("93", "Xy9Z")])),
            ),
            (
                "01048701234567892112345Ab93AbCd".into(),
                Some(f(&[gtin, ("21", "12345Ab"), ("93", "AbCd")])),
            ),
            // A 13-character serial and nothing else is not re-split.
            ("0104870123456789211234567890123".into(), None),
            ("0104870123456789215aB7cD94Xy9Z".into(), None),
            (format!("010487012345678921aB3dE5gH7jK9m91FFD0{tail}"), None),
            ("0104870123456789".into(), None),
        ] {
            assert_eq!(reconstruct(&chars(&code)), want, "{code}");
        }
    }

    #[test]
    fn short_crypto_fields_mean_a_cut_read() {
        let gtin = ("01", "04870123456789");
        let sig = "f4GMwfaaxZdBapz1Kn+RKa8yiAv7zPumlaNf/NBhIAY=";
        for (fields, want) in [
            (
                f(&[gtin, ("21", "aB3dE5gH7jK9m"), ("91", "FFD0"), ("92", sig)]),
                None,
            ),
            (
                f(&[
                    gtin,
                    ("21", "aB3dE5gH7jK9m"),
                    ("91", "FFD0"),
                    ("92", "f4GM"),
                ]),
                Some(85),
            ),
            (
                f(&[gtin, ("21", "aB3dE5gH7jK9m"), ("91", "FFD0")]),
                Some(85),
            ),
            (f(&[gtin, ("21", "aB3dE5gH7jK9m"), ("91", "FF")]), Some(85)),
            (f(&[gtin, ("21", "5aB7cD"), ("93", "Xy")]), Some(31)),
            (f(&[gtin, ("21", "5aB7cD"), ("93", "Xy9Z")]), None),
            (f(&[gtin, ("21", "1234567890123")]), None),
        ] {
            assert_eq!(cut_short(&fields), want, "{fields:?}");
        }
        for (code, want) in [
            ("010487012345678921aB3dE5gH7jK9m91FF", Some(83)),
            ("010487012345678921aB3dE5gH7jK9m17", None),
            ("010487012345678921aB3dE5gH7jK9m", None),
        ] {
            assert_eq!(cut_short_without_separators(&chars(code)), want, "{code}");
        }
    }
}
