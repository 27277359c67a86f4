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
    // An IPv4 peer on a dual-stack socket arrives as ::ffff:a.b.c.d.
    let is_trusted = |ip: &IpAddr| {
        trusted
            .iter()
            .any(|t| t.to_canonical() == ip.to_canonical())
    };
    let peer = req.peer_addr().map(|a| a.ip().to_canonical())?;
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let entries: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    // From the right: each trusted proxy names who it heard from. The first entry
    // that is not a trusted proxy is the client; one that is not an address (the
    // proxies in front wrote nothing readable) ends the walk at the last hop known.
    let mut client = peer;
    for e in entries.iter().rev() {
        match e.parse::<IpAddr>() {
            Ok(ip) if is_trusted(&ip) => client = ip.to_canonical(),
            Ok(ip) => return Some(ip.to_canonical()),
            Err(_) => break,
        }
    }
    Some(client)
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

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    fn from(peer: &str, xff: Option<&str>, trusted: &[&str]) -> Option<IpAddr> {
        let mut r = TestRequest::default().peer_addr(std::net::SocketAddr::new(ip(peer), 4000));
        if let Some(v) = xff {
            r = r.insert_header(("x-forwarded-for", v));
        }
        let trusted: Vec<IpAddr> = trusted.iter().map(|t| ip(t)).collect();
        client_ip(&r.to_http_request(), &trusted)
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        assert_eq!(from("10.0.0.9", Some("1.2.3.4"), &[]), Some(ip("10.0.0.9")));
        assert_eq!(
            from("10.0.0.1", Some("6.6.6.6, 1.2.3.4"), &["10.0.0.1"]),
            Some(ip("1.2.3.4"))
        );
        // Two proxies in a row: the right-most address that is not one of them.
        assert_eq!(
            from(
                "10.0.0.1",
                Some("1.2.3.4, 10.0.0.2"),
                &["10.0.0.1", "10.0.0.2"]
            ),
            Some(ip("1.2.3.4"))
        );
    }

    #[test]
    fn a_proxy_on_a_dual_stack_socket_is_still_trusted() {
        assert_eq!(
            from("::ffff:10.0.0.1", Some("1.2.3.4"), &["10.0.0.1"]),
            Some(ip("1.2.3.4"))
        );
    }

    #[test]
    fn an_unreadable_entry_ends_the_walk_at_the_last_known_hop() {
        assert_eq!(
            from(
                "10.0.0.1",
                Some("1.2.3.4:5678, 10.0.0.2"),
                &["10.0.0.1", "10.0.0.2"]
            ),
            Some(ip("10.0.0.2"))
        );
        assert_eq!(
            from("10.0.0.1", Some("1.2.3.4, junk"), &["10.0.0.1"]),
            Some(ip("10.0.0.1"))
        );
    }
}
