//! The core's one integration-test binary: every test enters through `Core` and
//! `commands::dispatch`, the boundary the shells use, on a real SQLite file in a
//! temporary folder. Test names carry the R-numbers of ../shared/spec/requirements.md
//! they check (`cargo xtask trace` prints the table).

mod catalogue;
mod crash;
mod documents;
mod electronic;
mod goods;
mod journal_invariants;
mod link;
mod link_frames;
mod migrations;
mod period;
mod printing;
mod read_only;
mod reports;
mod returns;
mod sale;
mod shift;
mod support;
mod tidy;
