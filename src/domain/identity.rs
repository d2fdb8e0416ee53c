//! Identifiers the law fixes the shape of: IIN/BIN (12 digits with a check digit),
//! the register's number with the tax authority (RNM, at least 12 characters, R-90),
//! the factory number (at most 20 characters, A-17) and PINs (at least 4 digits, R-11).
//! Pure validation, no IO.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    #[error("IIN/BIN '{0}' must be exactly 12 digits")]
    IinShape(String),
    #[error("IIN/BIN '{0}' has a wrong check digit: check the number for a typo")]
    IinCheckDigit(String),
    #[error(
        "registration number '{0}' must have at least 12 characters (letters, digits, '-'), as issued by the tax authority"
    )]
    Rnm(String),
    #[error("factory number '{0}' must have 1 to 20 characters (letters, digits, '-')")]
    FactoryNumber(String),
    #[error("a PIN must be 4 to 12 digits")]
    Pin,
}

/// Checks an IIN or BIN: 12 digits whose last is the weighted check digit.
pub fn check_iin_bin(text: &str) -> Result<(), IdentityError> {
    let digits: Vec<u32> = text.chars().filter_map(|c| c.to_digit(10)).collect();
    if text.len() != 12 || digits.len() != 12 {
        return Err(IdentityError::IinShape(text.to_string()));
    }
    if iin_check_digit(&digits[..11]) != Some(digits[11]) {
        return Err(IdentityError::IinCheckDigit(text.to_string()));
    }
    Ok(())
}

/// The check digit of the first 11 digits: weights 1..11, and if the remainder is 10,
/// weights 3..11,1,2; a second 10 means no valid number has these 11 digits.
pub fn iin_check_digit(first: &[u32]) -> Option<u32> {
    let weighted = |offset: u32| -> u32 {
        first
            .iter()
            .enumerate()
            .map(|(i, d)| d * ((i as u32 + offset) % 11 + 1))
            .sum::<u32>()
            % 11
    };
    match weighted(0) {
        10 => match weighted(2) {
            10 => None,
            d => Some(d),
        },
        d => Some(d),
    }
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

pub fn check_rnm(text: &str) -> Result<(), IdentityError> {
    if text.len() < 12 || text.len() > 32 || !text.chars().all(is_id_char) {
        return Err(IdentityError::Rnm(text.to_string()));
    }
    Ok(())
}

pub fn check_factory_number(text: &str) -> Result<(), IdentityError> {
    if text.is_empty() || text.len() > 20 || !text.chars().all(is_id_char) {
        return Err(IdentityError::FactoryNumber(text.to_string()));
    }
    Ok(())
}

/// R-11 (item 77): at least four digits.
pub fn check_pin(pin: &str) -> Result<(), IdentityError> {
    if pin.len() < 4 || pin.len() > 12 || !pin.chars().all(|c| c.is_ascii_digit()) {
        return Err(IdentityError::Pin);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iin_check_digit_is_verified() {
        // 11 digits + computed check digit form a valid number; a changed digit does not.
        let first = [9, 0, 0, 1, 0, 1, 3, 0, 0, 0, 1];
        let check = iin_check_digit(&first).expect("has a check digit");
        let mut text: String = first.iter().map(|d| char::from(b'0' + *d as u8)).collect();
        text.push(char::from(b'0' + check as u8));
        assert_eq!(check_iin_bin(&text), Ok(()));
        let mut broken = text.clone().into_bytes();
        broken[3] = if broken[3] == b'9' {
            b'8'
        } else {
            broken[3] + 1
        };
        let broken = String::from_utf8(broken).expect("ascii");
        assert!(check_iin_bin(&broken).is_err());
        assert!(check_iin_bin("12345").is_err());
    }

    #[test]
    fn r11_pin_needs_four_digits() {
        assert!(check_pin("123").is_err());
        assert!(check_pin("12a4").is_err());
        assert!(check_pin("1234").is_ok());
    }

    #[test]
    fn r90_rnm_needs_twelve_characters() {
        assert!(check_rnm("12345678901").is_err());
        assert!(check_rnm("123456789012").is_ok());
        assert!(check_rnm("010100123456-7").is_ok());
        assert!(check_rnm("1234 5678 9012").is_err());
    }
}
