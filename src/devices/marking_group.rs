//! The product groups of IS MPT marking and the shape each group's codes have
//! (devices.md §6.1–6.2, §6.3 step 4 "lengths per product group"). A code that parses
//! but has the wrong shape for its goods (a drinks code on a cigarette pack, a shoe code
//! without its crypto tail) is most often the wrong code scanned, or one a keyboard
//! wedge cut short; refusing it at the till is cheaper than a refusal by IS MPT.
//!
//! The shapes are the ones devices.md gives for this system family; their Kazakh
//! lengths are marked [verify] there, so each rule only asks for what every published
//! layout of the group shares. A shop that meets a code outside them can clear the
//! item's group: the general checks of [`super::marking`] still apply. This module
//! must not parse codes itself, nor look at the catalogue.

use super::marking::{MarkingCode, MarkingKind};
use crate::problem::{Problem, ProblemKey};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MarkingGroup {
    /// Cigarettes and other tobacco: the 29-character pack code, or a block's GS1
    /// code with a 7-character serial.
    Tobacco,
    /// Shoes, clothing and other light-industry goods, medicines: serial of 13, key
    /// `91` (4) and crypto code `92` (44).
    Shoes,
    LightIndustry,
    Medicines,
    /// Beer, packaged water and other drinks: a short crypto code `93` (4).
    Beer,
    Drinks,
    /// Motor oils and groups whose layout is not published yet: any marking code.
    Oils,
}

/// Which rule a group's codes follow, so the refusal can say what was expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeShape {
    Tobacco,
    LongCrypto,
    ShortCrypto,
    Any,
}

const ALL: [MarkingGroup; 7] = [
    MarkingGroup::Tobacco,
    MarkingGroup::Shoes,
    MarkingGroup::LightIndustry,
    MarkingGroup::Medicines,
    MarkingGroup::Beer,
    MarkingGroup::Drinks,
    MarkingGroup::Oils,
];

impl MarkingGroup {
    /// The stored and exported name.
    pub fn code(self) -> &'static str {
        match self {
            MarkingGroup::Tobacco => "tobacco",
            MarkingGroup::Shoes => "shoes",
            MarkingGroup::LightIndustry => "light_industry",
            MarkingGroup::Medicines => "medicines",
            MarkingGroup::Beer => "beer",
            MarkingGroup::Drinks => "drinks",
            MarkingGroup::Oils => "oils",
        }
    }

    /// Reads the stored name, or the Russian or Kazakh word a price list carries.
    pub fn parse(text: &str) -> Option<MarkingGroup> {
        let t = text.trim().to_lowercase();
        if let Some(g) = ALL.into_iter().find(|g| g.code() == t) {
            return Some(g);
        }
        Some(match t.as_str() {
            "табак" | "сигареты" | "темекі" => MarkingGroup::Tobacco,
            "обувь" | "аяқ киім" => MarkingGroup::Shoes,
            "одежда" | "лёгкая промышленность" | "легкая промышленность" | "киім" => {
                MarkingGroup::LightIndustry
            }
            "лекарства" | "лекарственные средства" | "дәрі" | "дәрілік заттар" => {
                MarkingGroup::Medicines
            }
            "пиво" | "сыра" => MarkingGroup::Beer,
            "напитки" | "вода" | "сусын" | "сусындар" | "су" => {
                MarkingGroup::Drinks
            }
            "масла" | "моторные масла" | "май" | "мотор майы" => {
                MarkingGroup::Oils
            }
            _ => return None,
        })
    }

    pub fn all() -> [MarkingGroup; 7] {
        ALL
    }

    pub fn shape(self) -> CodeShape {
        match self {
            MarkingGroup::Tobacco => CodeShape::Tobacco,
            MarkingGroup::Shoes | MarkingGroup::LightIndustry | MarkingGroup::Medicines => {
                CodeShape::LongCrypto
            }
            MarkingGroup::Beer | MarkingGroup::Drinks => CodeShape::ShortCrypto,
            MarkingGroup::Oils => CodeShape::Any,
        }
    }

    /// Whether `code` has the shape of this group's codes.
    pub fn fits(self, code: &MarkingCode) -> bool {
        let serial = code.serial.chars().count();
        let field = |ai: &str| {
            code.fields()
                .into_iter()
                .find(|(a, _)| a == ai)
                .map(|(_, v)| v.chars().count())
        };
        match self.shape() {
            CodeShape::Tobacco => {
                code.kind == MarkingKind::TobaccoPack
                    || (code.kind == MarkingKind::Gs1 && serial == 7)
            }
            CodeShape::LongCrypto => {
                code.kind == MarkingKind::Gs1
                    && serial == 13
                    && field("91") == Some(4)
                    && field("92") == Some(44)
            }
            CodeShape::ShortCrypto => {
                code.kind == MarkingKind::Gs1
                    && (6..=13).contains(&serial)
                    && field("93") == Some(4)
            }
            CodeShape::Any => true,
        }
    }
}

impl MarkingGroup {
    /// Refuses a code that does not have this group's shape, saying what was expected.
    pub fn check(self, code: &MarkingCode) -> Result<(), Problem> {
        if self.fits(code) {
            return Ok(());
        }
        let group = self.code();
        Err(match self.shape() {
            CodeShape::Tobacco => Problem::new(
                ProblemKey::MarkingShapeTobacco,
                [group],
                "this is not a tobacco marking code: a pack carries a 29-character code, a block a GS1 code with a 7-character serial; scan the code on the pack or block itself",
            ),
            CodeShape::LongCrypto => Problem::new(
                ProblemKey::MarkingShapeLongCrypto,
                [group],
                format!(
                    "this marking code does not have the shape of {group} codes (a 13-character serial, key 91 and crypto code 92): scan the DataMatrix on the unit again; in keyboard mode, switch the scanner to COM mode"
                ),
            ),
            CodeShape::ShortCrypto => Problem::new(
                ProblemKey::MarkingShapeShortCrypto,
                [group],
                format!(
                    "this marking code does not have the shape of {group} codes (crypto code 93 of 4 characters): scan the DataMatrix on the unit itself"
                ),
            ),
            // `fits` accepts every code of a group without a rule.
            CodeShape::Any => return Ok(()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::marking::parse_marking;

    const PACK: &str = "04870020020014Ab3!x9QMDEwMjAy";
    const SHOES: &str = "0104870024020058215Wb!aTxq,8WgE\u{1d}91EE06\u{1d}92YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY3";
    const BEER: &str = "010487002202003621aBc1234\u{1d}93dGVz";
    const BLOCK: &str = "010487002002001421Zx9!k3Q\u{1d}8005145000\u{1d}93a1B2";

    fn code(raw: &str) -> MarkingCode {
        parse_marking(raw).expect("a marking code")
    }

    #[test]
    fn each_group_takes_its_own_shape_and_refuses_the_others() {
        let table: [(MarkingGroup, &str, bool); 12] = [
            (MarkingGroup::Tobacco, PACK, true),
            (MarkingGroup::Tobacco, BLOCK, true),
            (MarkingGroup::Tobacco, SHOES, false),
            (MarkingGroup::Shoes, SHOES, true),
            (MarkingGroup::Shoes, BEER, false),
            (MarkingGroup::Shoes, PACK, false),
            (MarkingGroup::Medicines, SHOES, true),
            (MarkingGroup::Beer, BEER, true),
            (MarkingGroup::Beer, PACK, false),
            (MarkingGroup::Drinks, SHOES, false),
            (MarkingGroup::Oils, BEER, true),
            (MarkingGroup::Oils, PACK, true),
        ];
        for (group, raw, fits) in table {
            assert_eq!(group.fits(&code(raw)), fits, "{group:?} {raw:?}");
        }
    }

    #[test]
    fn a_code_without_its_crypto_part_fits_only_a_group_without_a_rule() {
        let bare = code("0104870024020058215Wb!aTxq,8WgE");
        assert!(!MarkingGroup::Shoes.fits(&bare));
        assert!(!MarkingGroup::Drinks.fits(&bare));
        assert!(MarkingGroup::Oils.fits(&bare));
    }

    #[test]
    fn groups_read_back_from_their_code_and_from_russian_and_kazakh_words() {
        for g in MarkingGroup::all() {
            assert_eq!(MarkingGroup::parse(g.code()), Some(g));
        }
        assert_eq!(MarkingGroup::parse(" Темекі "), Some(MarkingGroup::Tobacco));
        assert_eq!(MarkingGroup::parse("Обувь"), Some(MarkingGroup::Shoes));
        assert_eq!(MarkingGroup::parse("сыра"), Some(MarkingGroup::Beer));
        assert_eq!(MarkingGroup::parse("мебель"), None);
    }
}
