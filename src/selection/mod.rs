//! Programme selection. [`optimizer`] is pure: it chooses the programme from scored
//! candidates under the meeting's quotas and says why each declined one is out.

pub mod optimizer;
