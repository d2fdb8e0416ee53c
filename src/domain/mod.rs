//! The register's rules as pure functions and plain types: money, quantities, VAT,
//! receipt arithmetic, shift limits and identifier shapes.
//!
//! Nothing here does IO, reads a clock, touches SQLite or derives serde: the journal
//! and the command layer translate to and from these types at their boundaries.

pub mod discount;
pub mod goods;
pub mod identity;
pub mod money;
pub mod quantity;
pub mod receipt;
pub mod shift;
pub mod vat;

pub use goods::MeasureUnit;
pub use money::Money;
pub use quantity::Quantity;
pub use receipt::{Operation, PaymentKind};
pub use vat::{Taxation, VatRate};
