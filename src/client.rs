//! Who the client is, as far as limits are concerned: its address, read from
//! `X-Forwarded-For` only when the connection comes from a trusted proxy (a client
//! can write any header it likes, so an untrusted one is never believed).

use std::future::{Ready, ready};
use std::net::IpAddr;

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use crate::error::ApiError;
use crate::state::AppState;

/// The client's address key (see [`crate::throttle::address_key`]).
#[derive(Debug, Clone)]
pub struct ClientAddress(pub String);

/// The client's address: the connection's peer, or, when the peer is a trusted
/// proxy, the right-most address in `X-Forwarded-For` that is not a trusted proxy.
pub fn client_ip(req: &HttpRequest, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = req.peer_addr().map(|a| a.ip())?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().parse::<IpAddr>())
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    Some(
        forwarded
            .into_iter()
            .rev()
            .find(|ip| !trusted.contains(ip))
            .unwrap_or(peer),
    )
}

impl FromRequest for ClientAddress {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let trusted = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.settings.trusted_proxies.clone())
            .unwrap_or_default();
        let key = client_ip(req, &trusted)
            .map(crate::throttle::address_key)
            .unwrap_or_else(|| "unknown".to_string());
        ready(Ok(ClientAddress(key)))
    }
}
