//! Calendar feeds of the published programme: RFC 5545 text written by [`ics`] over
//! the `ical` crate's types, the venue's VTIMEZONE from the tz database
//! ([`vtimezone`]), the programme feed with stable UIDs, sequences and cancellations
//! ([`calendar`]), the c3voc `schedule.json` for conference apps ([`c3voc`]),
//! personal agendas behind secret tokens ([`agendas`]), and the HTTP side: the use cases ([`service`], [`agendas`]) with caching ([`cache`]) and their
//! HTTP ([`handlers`]); what they are made from, kept true in each change's own
//! transaction, is [`truth`].

pub mod agendas;
pub mod c3voc;
pub mod cache;
pub mod calendar;
pub mod handlers;
pub mod ics;
pub mod service;
pub mod truth;
pub mod vtimezone;
