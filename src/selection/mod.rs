//! Programme selection. [`aggregate`] turns evaluators' scores into per-proposal
//! statistics and normalised scores; [`optimizer`] is pure: it chooses the programme from scored
//! candidates under the meeting's quotas and says why each declined one is out.

pub mod aggregate;
pub mod assignment;
pub mod optimizer;
