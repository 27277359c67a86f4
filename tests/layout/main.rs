//! Rules about how the source is laid out, read from the source itself: the optimisers
//! import no framework ([`purity`]); no file imports another that imports it back, and
//! request handlers leave transactions and queries to the use cases ([`imports`]).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod imports;
mod purity;
