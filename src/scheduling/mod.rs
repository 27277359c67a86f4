//! Scheduling: placing sessions in rooms and time slots. [`solver`] is pure (no web,
//! database or auth imports, enforced by a test); [`bench`] reads and writes the shared
//! benchmark's instance and solution files.

pub mod bench;
pub mod solver;
