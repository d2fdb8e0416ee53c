//! A failed scan as a [`Problem`]: the key and values the till words in the cashier's
//! language, next to the English sentence the decoders already give. A
//! cashier under a Kazakh screen must read "the check digit is wrong, scan again", not
//! an English line. Only wording: the decoders decide what is wrong.

use super::barcode::BarcodeError;
use super::gs1::Gs1Error;
use super::marking::MarkingError;
use super::scan::ScanError;
use crate::problem::{Problem, ProblemKey as K};

impl ScanError {
    pub fn problem(&self) -> Problem {
        let message = self.to_string();
        match self {
            ScanError::Empty => Problem::bare(K::ScanEmpty, message),
            ScanError::Barcode(e) => barcode(e, message),
            ScanError::Marking(e) => marking(e, message),
            ScanError::Gs1(e) => gs1(e, message),
        }
    }
}

fn barcode(e: &BarcodeError, message: String) -> Problem {
    match e {
        BarcodeError::NotDigits { code } => Problem::new(K::BarcodeNotDigits, [code], message),
        BarcodeError::Length { code, len } => {
            Problem::new(K::BarcodeLength, [code.clone(), len.to_string()], message)
        }
        BarcodeError::CheckDigit { code, expected } => Problem::new(
            K::BarcodeCheckDigit,
            [code.clone(), expected.to_string()],
            message,
        ),
        BarcodeError::UpcE { code } => Problem::new(K::UpcEInvalid, [code], message),
    }
}

fn marking(e: &MarkingError, message: String) -> Problem {
    match e {
        MarkingError::Truncated { got, expected } => {
            Problem::new(K::MarkingTruncated, [got, expected], message)
        }
        MarkingError::TooShort { got, min } => {
            Problem::new(K::MarkingTruncated, [got, min], message)
        }
        MarkingError::NotMarking => Problem::bare(K::NotMarking, message),
        MarkingError::GtinCheck { gtin, expected } => Problem::new(
            K::GtinCheckDigit,
            [gtin.clone(), expected.to_string()],
            message,
        ),
        MarkingError::SerialCharacter { ch, position } => Problem::new(
            K::LayoutCharacter,
            [ch.to_string(), position.to_string()],
            message,
        ),
        MarkingError::NoSerial { gtin } => Problem::new(K::MarkingNoSerial, [gtin], message),
        MarkingError::Gs1(inner) => gs1(inner, message),
    }
}

fn gs1(e: &Gs1Error, message: String) -> Problem {
    match e {
        Gs1Error::Empty => Problem::bare(K::ScanEmpty, message),
        Gs1Error::UnknownAi { ai, position } => {
            Problem::new(K::Gs1UnknownAi, [ai.clone(), position.to_string()], message)
        }
        Gs1Error::Truncated { ai, .. } | Gs1Error::EmptyField { ai, .. } => {
            Problem::new(K::Gs1CutShort, [ai], message)
        }
        Gs1Error::TooLong { ai, .. } => Problem::new(K::Gs1SeparatorLost, [ai], message),
        Gs1Error::NotDigits { ai, value } => {
            Problem::new(K::Gs1NotDigits, [ai.clone(), value.clone()], message)
        }
        Gs1Error::BadCharacter { ch, position, .. } => Problem::new(
            K::LayoutCharacter,
            [ch.to_string(), position.to_string()],
            message,
        ),
        Gs1Error::GtinCheck { gtin, expected } => Problem::new(
            K::GtinCheckDigit,
            [gtin.clone(), expected.to_string()],
            message,
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::devices::normalise::{ScannerSetup, normalise};
    use crate::devices::weighted::default_layouts;
    use crate::devices::{ScanError, classify};
    use crate::problem::ProblemKey as K;

    fn problem_of(raw: &str) -> crate::problem::Problem {
        let n = normalise(raw, &ScannerSetup::default());
        match classify(&n, &default_layouts()) {
            Err(e) => e.problem(),
            Ok(scan) => panic!("{raw:?} was read as {scan:?}"),
        }
    }

    #[test]
    fn each_kind_of_bad_scan_has_its_key_and_values() {
        let p = problem_of("]E04870123456788");
        assert_eq!(
            (p.key, p.args.as_slice()),
            (
                K::BarcodeCheckDigit,
                &["4870123456788".to_string(), "9".to_string()][..]
            )
        );
        let short = problem_of("]d2010487002402005821");
        assert!(
            matches!(short.key, K::MarkingTruncated | K::Gs1CutShort),
            "{short:?}"
        );
        let layout = problem_of(
            "]d20104870024020058215W£!aTxq,8WgE\u{1d}91EE06\u{1d}92YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY3",
        );
        assert_eq!(layout.key, K::LayoutCharacter, "{layout:?}");
        assert_eq!(ScanError::Empty.problem().key, K::ScanEmpty);
        assert!(!p.message.is_empty());
    }
}
