//! A problem with what a person gave (an item, a row of a price list), or a notice about
//! a document just made (autonomous mode, a receipt not printed), said twice: once as
//! an English sentence for logs, the CLI and the service engineer, and once as a key
//! with the values it names, so the till words it in Kazakh or Russian
//! instead of showing English inside a Kazakh screen.
//!
//! The keys are a closed enum exported to the UI, so a key without a Kazakh and a
//! Russian sentence fails the UI's type check rather than reaching a cashier. This
//! module only names problems; it must not decide what is valid.

use serde::{Deserialize, Serialize};

/// What went wrong, for the UI's table of sentences. The values a sentence names come
/// in [`Problem::args`], in the order given in each key's comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
pub enum ProblemKey {
    /// (none)
    CodeEmpty,
    /// code
    CodeTooLong,
    /// code: another item has it
    CodeTaken,
    /// (none)
    NoName,
    /// name
    NameTooLong,
    /// price as written
    PriceRange,
    /// price as written
    PriceUnreadable,
    /// unit name
    WeighedInPieces,
    /// unit name
    MarkedNotInPieces,
    /// unit as written
    UnknownUnit,
    /// (none)
    WeighedAndMarked,
    /// group as written, the groups there are
    VatUnknown,
    /// rate
    VatOnlyReturns,
    /// НТИН as written
    NtinInvalid,
    /// barcode as written
    BarcodeShape,
    /// barcode as written
    BarcodeCheckDigit,
    /// code as written
    NotABarcode,
    /// barcode, the item that holds it
    BarcodeTaken,
    /// key, the highest key
    QuickKeyRange,
    /// key, the item that holds it
    QuickKeyTaken,
    /// column, value
    FlagUnreadable,
    /// value
    QuickKeyUnreadable,
    /// the reader's reason
    RowUnreadable,
    /// fields in the row, fields in the header
    RowFieldCount,
    /// the reader's reason
    HeaderUnreadable,
    /// column
    ColumnTwice,
    /// column, the columns there are
    ColumnUnknown,
    /// column
    ColumnMissing,
    /// (none)
    NameColumnMissing,
    /// code, the line it is also on
    CodeRepeated,
    /// barcode, the line it is also on
    BarcodeRepeated,
    /// key, the line it is also on
    QuickKeyRepeated,
    /// barcode, the item in the catalogue that holds it
    BarcodeTakenInCatalogue,
    /// key, the item in the catalogue that holds it
    QuickKeyTakenInCatalogue,
    /// (none): the scanner sent nothing readable
    ScanEmpty,
    /// code as read
    BarcodeNotDigits,
    /// code, its number of digits
    BarcodeLength,
    /// code
    UpcEInvalid,
    /// characters read, characters expected
    MarkingTruncated,
    /// (none)
    NotMarking,
    /// GTIN, the right check digit
    GtinCheckDigit,
    /// character, its position: a keyboard layout or CapsLock changed it
    LayoutCharacter,
    /// GTIN
    MarkingNoSerial,
    /// application identifier, position
    Gs1UnknownAi,
    /// application identifier
    Gs1CutShort,
    /// application identifier
    Gs1SeparatorLost,
    /// application identifier, value
    Gs1NotDigits,
    /// group as written, the groups there are
    MarkingGroupUnknown,
    /// the item's group: a tobacco code was expected
    MarkingShapeTobacco,
    /// the item's group: serial 13, key 91 and crypto code 92 were expected
    MarkingShapeLongCrypto,
    /// the item's group: a short crypto code 93 was expected
    MarkingShapeShortCrypto,
    // Notices on a document that stands (the receipt, the slip or the Z is recorded).
    /// (none): the operator did not answer; the document has an autonomous sign
    Autonomous,
    /// hours, minutes left of the 72 h autonomous limit
    AutonomousTimeLeft,
    /// (none): the exchange failed; the reason is in the message for the engineer
    LinkTrouble,
    /// the operator's or tax authority's text, as sent (R-50, item 96)
    OperatorMessage,
    /// document number: print it again once the printer is fixed
    NotPrinted,
    /// the printer's reason: the Z report is recorded, print it again from the shift screen
    ReportNotPrinted,
    /// the printer's reason: the receipt goes to the buyer electronically only
    ElectronicOnly,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
pub struct Problem {
    pub key: ProblemKey,
    /// The values the sentence names, in the order the key's comment gives.
    pub args: Vec<String>,
    /// The English sentence, for logs and the command line.
    pub message: String,
}

impl Problem {
    pub fn new<A: ToString>(
        key: ProblemKey,
        args: impl IntoIterator<Item = A>,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            key,
            args: args.into_iter().map(|a| a.to_string()).collect(),
            message: message.into(),
        }
    }

    /// A problem whose sentence names nothing.
    pub fn bare(key: ProblemKey, message: impl Into<String>) -> Problem {
        Problem::new(key, std::iter::empty::<String>(), message)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The English sentences joined, for a single-line message.
pub fn joined(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| p.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_serialises_as_key_args_and_sentence() {
        let p = Problem::new(
            ProblemKey::BarcodeRepeated,
            ["4870123456789", "3"],
            "barcode 4870123456789 is also on line 3",
        );
        let json = serde_json::to_value(&p).expect("json");
        assert_eq!(json["key"], "barcode_repeated");
        assert_eq!(json["args"][1], "3");
        assert_eq!(p.to_string(), "barcode 4870123456789 is also on line 3");
    }
}
