//! Repairs text that a keyboard-wedge scanner typed while the operating system had a
//! Russian or Kazakh layout active (devices.md §5.2, "The keyboard-layout problem").
//!
//! A scanner presses the keys that type each character on a US-QWERTY keyboard; the OS
//! turns those key positions into other characters. Knowing the layout, each character
//! maps back to the US character of the same key and shift level. This is the last-resort
//! fix of §5.2: it cannot undo CapsLock and it must not touch characters the layout does
//! not produce (digits from the numeric keypad, the GS byte, spaces).

/// The OS keyboard layout that was active while the scanner typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum KeyboardLayout {
    Us,
    /// Windows "Russian" (ЙЦУКЕН), xkb `ru(winkeys)`, the xkb default.
    Russian,
    /// RST KazSSR 903-90, xkb `kz(basic)`, the Windows "Kazakh" layout.
    Kazakh,
    /// Guess from the text itself (see [`to_us`]).
    #[default]
    Auto,
}

impl KeyboardLayout {
    pub fn parse(text: &str) -> Option<KeyboardLayout> {
        match text.trim().to_ascii_lowercase().as_str() {
            "us" | "en" => Some(KeyboardLayout::Us),
            "ru" => Some(KeyboardLayout::Russian),
            "kk" | "kz" => Some(KeyboardLayout::Kazakh),
            "auto" => Some(KeyboardLayout::Auto),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            KeyboardLayout::Us => "us",
            KeyboardLayout::Russian => "ru",
            KeyboardLayout::Kazakh => "kk",
            KeyboardLayout::Auto => "auto",
        }
    }
}

/// One key: (US level 1, US level 2, Russian 1, Russian 2, Kazakh 1, Kazakh 2), taken key
/// by key from /usr/share/X11/xkb/symbols/{us,ru,kz}. Russian is `ru(winkeys)` (the
/// Windows layout: Shift+3 `№`, `/` key types `.`), not the typewriter-style `ru(common)`.
type KeyRow = (char, char, char, char, char, char);

const KEYS: [KeyRow; 47] = [
    ('`', '~', 'ё', 'Ё', '(', ')'), // TLDE
    ('1', '!', '1', '!', '"', '!'), // AE01
    ('2', '@', '2', '"', 'ә', 'Ә'),
    ('3', '#', '3', '№', 'і', 'І'),
    ('4', '$', '4', ';', 'ң', 'Ң'),
    ('5', '%', '5', '%', 'ғ', 'Ғ'),
    ('6', '^', '6', ':', ',', ';'),
    ('7', '&', '7', '?', '.', ':'),
    ('8', '*', '8', '*', 'ү', 'Ү'),
    ('9', '(', '9', '(', 'ұ', 'Ұ'),
    ('0', ')', '0', ')', 'қ', 'Қ'),
    ('-', '_', '-', '_', 'ө', 'Ө'),
    ('=', '+', '=', '+', 'һ', 'Һ'), // AE12
    ('q', 'Q', 'й', 'Й', 'й', 'Й'), // AD01
    ('w', 'W', 'ц', 'Ц', 'ц', 'Ц'),
    ('e', 'E', 'у', 'У', 'у', 'У'),
    ('r', 'R', 'к', 'К', 'к', 'К'),
    ('t', 'T', 'е', 'Е', 'е', 'Е'),
    ('y', 'Y', 'н', 'Н', 'н', 'Н'),
    ('u', 'U', 'г', 'Г', 'г', 'Г'),
    ('i', 'I', 'ш', 'Ш', 'ш', 'Ш'),
    ('o', 'O', 'щ', 'Щ', 'щ', 'Щ'),
    ('p', 'P', 'з', 'З', 'з', 'З'),
    ('[', '{', 'х', 'Х', 'х', 'Х'),
    (']', '}', 'ъ', 'Ъ', 'ъ', 'Ъ'), // AD12
    ('a', 'A', 'ф', 'Ф', 'ф', 'Ф'), // AC01
    ('s', 'S', 'ы', 'Ы', 'ы', 'Ы'),
    ('d', 'D', 'в', 'В', 'в', 'В'),
    ('f', 'F', 'а', 'А', 'а', 'А'),
    ('g', 'G', 'п', 'П', 'п', 'П'),
    ('h', 'H', 'р', 'Р', 'р', 'Р'),
    ('j', 'J', 'о', 'О', 'о', 'О'),
    ('k', 'K', 'л', 'Л', 'л', 'Л'),
    ('l', 'L', 'д', 'Д', 'д', 'Д'),
    (';', ':', 'ж', 'Ж', 'ж', 'Ж'),
    ('\'', '"', 'э', 'Э', 'э', 'Э'), // AC11
    ('z', 'Z', 'я', 'Я', 'я', 'Я'),  // AB01
    ('x', 'X', 'ч', 'Ч', 'ч', 'Ч'),
    ('c', 'C', 'с', 'С', 'с', 'С'),
    ('v', 'V', 'м', 'М', 'м', 'М'),
    ('b', 'B', 'и', 'И', 'и', 'И'),
    ('n', 'N', 'т', 'Т', 'т', 'Т'),
    ('m', 'M', 'ь', 'Ь', 'ь', 'Ь'),
    (',', '<', 'б', 'Б', 'б', 'Б'),
    ('.', '>', 'ю', 'Ю', 'ю', 'Ю'),
    ('/', '?', '.', ',', '№', '?'),    // AB10
    ('\\', '|', '\\', '/', '\\', '/'), // BKSL
];

/// Letters only the Kazakh layout types; their presence tells Kazakh from Russian.
const KAZAKH_ONLY: &str = "әіңғүұқөһӘІҢҒҮҰҚӨҺ";

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

/// The layout `Auto` stands for in `text`: any Kazakh-only letter means Kazakh, other
/// Cyrillic means Russian, otherwise the text is taken as typed under US. A Kazakh-layout
/// code made only of the digits 1, 6 and 7 (`"` `,` `.`) is therefore not recognised.
pub fn detect(text: &str) -> KeyboardLayout {
    if text.chars().any(|c| KAZAKH_ONLY.contains(c)) {
        KeyboardLayout::Kazakh
    } else if text.chars().any(is_cyrillic) {
        KeyboardLayout::Russian
    } else {
        KeyboardLayout::Us
    }
}

/// Picks a layout's (level 1, level 2) pair out of a key row.
type Column = fn(&KeyRow) -> (char, char);

fn column(layout: KeyboardLayout) -> Option<Column> {
    match layout {
        KeyboardLayout::Russian => Some(|k| (k.2, k.3)),
        KeyboardLayout::Kazakh => Some(|k| (k.4, k.5)),
        KeyboardLayout::Us | KeyboardLayout::Auto => None,
    }
}

/// Maps text typed under `layout` back to what the scanner meant on US-QWERTY.
pub fn to_us(text: &str, layout: KeyboardLayout) -> String {
    let layout = match layout {
        KeyboardLayout::Auto => detect(text),
        other => other,
    };
    let Some(col) = column(layout) else {
        return text.to_string();
    };
    text.chars()
        .map(|c| {
            KEYS.iter()
                .find_map(|k| match col(k) {
                    (lo, _) if lo == c => Some(k.0),
                    (_, up) if up == c => Some(k.1),
                    _ => None,
                })
                .unwrap_or(c)
        })
        .collect()
}

/// What the OS shows when a scanner types US-QWERTY `text` under `layout`: the damage
/// [`to_us`] undoes. Used by tests and to show a cashier what went wrong.
pub fn from_us(text: &str, layout: KeyboardLayout) -> String {
    let Some(col) = column(layout) else {
        return text.to_string();
    };
    text.chars()
        .map(|c| {
            KEYS.iter()
                .find_map(|k| match (k.0 == c, k.1 == c) {
                    (true, _) => Some(col(k).0),
                    (_, true) => Some(col(k).1),
                    _ => None,
                })
                .unwrap_or(c)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const GS1_82: &str = "[!\"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]{0,60}";

    #[test]
    fn each_layout_types_94_distinct_characters() {
        let columns: [fn(&KeyRow) -> [char; 2]; 3] =
            [|k| [k.0, k.1], |k| [k.2, k.3], |k| [k.4, k.5]];
        for col in columns {
            let mut all: Vec<char> = KEYS.iter().flat_map(col).collect();
            all.sort_unstable();
            all.dedup();
            assert_eq!(all.len(), 94);
        }
    }

    #[test]
    fn damaged_scans_map_back() {
        let pack = "04870123456789!%&'5rZAAAA1234";
        for (layout, typed, meant) in [
            // The top row types Kazakh letters and punctuation instead of digits.
            (KeyboardLayout::Kazakh, "ңү.қ\"әіңғ,.үұ", "4870123456789"),
            (KeyboardLayout::Auto, "ңү.қ\"әіңғ,.үұ", "4870123456789"),
            (KeyboardLayout::Russian, "4870123456789", "4870123456789"),
            (
                KeyboardLayout::Russian,
                "ъв20104870123456789215Ци!фЕ?чэб8Цп\u{1d}91УУ06",
                "]d20104870123456789215Wb!aT&x',8Wg\u{1d}91EE06",
            ),
            (
                KeyboardLayout::Auto,
                "ъв20104870123456789215Ци!фЕэчйб8Цп\u{1d}91УУ06",
                "]d20104870123456789215Wb!aT'xq,8Wg\u{1d}91EE06",
            ),
            (KeyboardLayout::Russian, "/,.№;:", "|?/#$^"),
            (KeyboardLayout::Us, "ъУ0", "ъУ0"),
            (KeyboardLayout::Auto, "]E04870123456789", "]E04870123456789"),
        ] {
            assert_eq!(to_us(typed, layout), meant, "{typed} under {layout:?}");
        }
        for layout in [KeyboardLayout::Russian, KeyboardLayout::Kazakh] {
            let typed = from_us(pack, layout);
            assert_eq!(typed.chars().count(), 29);
            assert_eq!(to_us(&typed, layout), pack, "{typed}");
        }
        assert_eq!(
            from_us(pack, KeyboardLayout::Russian),
            "04870123456789!%?э5кЯФФФФ1234"
        );
        assert_eq!(
            from_us(pack, KeyboardLayout::Kazakh),
            "қңү.қ\"әіңғ,.үұ!Ғ:эғкЯФФФФ\"әің"
        );
        // Digits typed on the numeric keypad stay digits under Kazakh.
        assert_eq!(to_us("4870ЙФ", KeyboardLayout::Kazakh), "4870QA");
    }

    #[test]
    fn layout_names_read_back() {
        for (text, want) in [
            ("us", Some(KeyboardLayout::Us)),
            ("EN", Some(KeyboardLayout::Us)),
            ("ru", Some(KeyboardLayout::Russian)),
            ("kz", Some(KeyboardLayout::Kazakh)),
            ("kk", Some(KeyboardLayout::Kazakh)),
            (" auto ", Some(KeyboardLayout::Auto)),
            ("de", None),
        ] {
            assert_eq!(KeyboardLayout::parse(text), want, "{text}");
            if let Some(layout) = want {
                assert_eq!(KeyboardLayout::parse(layout.as_str()), want);
            }
        }
    }

    proptest! {
        #[test]
        fn to_us_undoes_from_us(text in GS1_82) {
            for layout in [KeyboardLayout::Us, KeyboardLayout::Russian, KeyboardLayout::Kazakh] {
                prop_assert_eq!(to_us(&from_us(&text, layout), layout), text.clone());
            }
        }

        #[test]
        fn auto_repairs_text_with_letters(text in "[A-Za-z][!\"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]{0,40}") {
            prop_assert_eq!(to_us(&from_us(&text, KeyboardLayout::Russian), KeyboardLayout::Auto), text.clone());
            let kk = from_us(&format!("2{text}"), KeyboardLayout::Kazakh);
            prop_assert_eq!(to_us(&kk, KeyboardLayout::Auto), format!("2{text}"));
        }
    }
}
