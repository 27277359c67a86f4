//! Programme selection. The pure parts: [`aggregate`] turns evaluators' scores into
//! per-proposal statistics and normalised scores; [`assignment`] assigns evaluators;
//! [`optimizer`] chooses the programme from scored candidates under the meeting's
//! quotas and says why each declined one is out; [`programme`] measures a programme's
//! diversity against its targets. The service side: [`service`] (the use cases) over [`runs`], [`decisions`]
//! and [`report`], with [`types`] and [`handlers`].

pub mod aggregate;
pub mod assignment;
pub mod bench;
pub mod decisions;
pub mod handlers;
pub mod optimizer;
pub mod programme;
pub mod report;
pub mod runs;
pub mod service;
pub mod types;
