//! Calendar feeds of the published programme: RFC 5545 text written by [`ics`] over
//! the `ical` crate's types, the venue's VTIMEZONE from the tz database
//! ([`vtimezone`]), the programme feed with stable UIDs, sequences and cancellations
//! ([`calendar`]), personal agendas behind secret tokens ([`agendas`]), and the HTTP
//! side with caching ([`handlers`]).

pub mod agendas;
pub mod calendar;
pub mod handlers;
pub mod ics;
pub mod vtimezone;
