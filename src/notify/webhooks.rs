//! Webhooks: the endpoints the secretariat registers per meeting with the events they
//! want; each event is written to the outbox for each endpoint that wants it, in the
//! event's own transaction; a worker delivers it signed as the Standard Webhooks
//! specification says (`webhook-id`, `webhook-timestamp`, `webhook-signature`: HMAC-SHA256
//! over `id.timestamp.body`), logs every attempt, and disables an endpoint that keeps
//! failing, with the reason.

use std::net::{IpAddr, ToSocketAddrs};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit;
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::db::schema::{outbox as ob, webhook_deliveries as wd, webhook_endpoints as we};
use crate::error::{ApiError, Code};
use crate::meetings::service::load_visible;
use crate::page::{Page, Paginated};
use crate::time::{from_db, to_db};
use crate::validate::Checker;

/// The events an endpoint may ask for.
pub const EVENTS: [&str; 5] = [
    "proposal.submitted",
    "results.published",
    "schedule.published",
    "session.changed",
    "session.cancelled",
];

/// Endpoints a meeting may have.
const MOST_ENDPOINTS: i64 = 20;

/// Body of `POST /api/v1/meetings/{meeting_id}/webhooks`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointInput {
    /// Where deliveries go: `https://`, or `http://` with `allow_http`.
    pub url: String,
    /// The events it wants.
    pub events: Vec<String>,
    /// Allows plain `http` for this endpoint's host.
    #[serde(default)]
    pub allow_http: bool,
}

/// Body of `PATCH /api/v1/webhooks/{webhook_id}`: what is present is changed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointChange {
    /// New address.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub url: Option<String>,
    /// New events.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub events: Option<Vec<String>>,
    /// Allows plain `http`.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub allow_http: Option<bool>,
    /// `true` enables a disabled endpoint again (its failures are forgotten); `false`
    /// pauses it.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub active: Option<bool>,
}

/// An endpoint as the secretariat sees it.
#[derive(Debug, Clone, Serialize)]
pub struct EndpointView {
    /// Id.
    pub id: i64,
    /// Meeting.
    pub meeting_id: i64,
    /// Address.
    pub url: String,
    /// Events it wants.
    pub events: Vec<String>,
    /// Whether plain `http` is allowed.
    pub allow_http: bool,
    /// Whether deliveries go to it.
    pub active: bool,
    /// Why it was disabled, if it was.
    pub disabled_reason: Option<String>,
    /// Deliveries failed in a row.
    pub failures: i32,
    /// Created, RFC 3339 UTC.
    pub created_at: String,
    /// The signing secret (`whsec_…`), shown once: when the endpoint is made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// An endpoint row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = we)]
struct Row {
    id: i64,
    meeting_id: i64,
    url: String,
    events: String,
    allow_http: bool,
    active: bool,
    disabled_reason: Option<String>,
    failures: i32,
    created_at: chrono::NaiveDateTime,
}

fn view(r: Row) -> Result<EndpointView, ApiError> {
    Ok(EndpointView {
        events: crate::db::json_column(&r.events, "webhook_endpoints.events", r.id)?,
        id: r.id,
        meeting_id: r.meeting_id,
        url: r.url,
        allow_http: r.allow_http,
        active: r.active,
        disabled_reason: r.disabled_reason,
        failures: r.failures,
        created_at: from_db(r.created_at).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        secret: None,
    })
}

fn load(c: &mut DbConn, id: i64) -> Result<Row, ApiError> {
    we::table
        .find(id)
        .select(Row::as_select())
        .first(c)
        .optional()?
        .ok_or(ApiError::NotFound("webhook"))
}

/// Whether an address is one deliveries never go to unless allowed: loopback, private,
/// link-local, shared, unspecified, multicast or documentation ranges.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || o[0] == 0
                || o[0] >= 240
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || (o[0] == 198 && (o[1] == 18 || o[1] == 19))
                || (o[0] == 192 && o[1] == 0 && o[2] == 0)
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let v4 = |hi: u16, lo: u16| {
                IpAddr::V4(std::net::Ipv4Addr::from(
                    (u32::from(hi) << 16) | u32::from(lo),
                ))
            };
            // IPv4 inside IPv6 (mapped, compatible, NAT64, 6to4) names an IPv4 host.
            if let Some(mapped) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(mapped));
            }
            if s[..6] == [0; 6] && !v6.is_loopback() && !v6.is_unspecified() {
                return is_private(v4(s[6], s[7]));
            }
            if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                return is_private(v4(s[6], s[7]));
            }
            if s[0] == 0x2002 {
                return is_private(v4(s[1], s[2]));
            }
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || (s[0] & 0xffc0) == 0xfec0
                || (s[0] == 0x2001 && s[1] == 0x0db8)
        }
    }
}

/// Checks an endpoint's address: a URL without credentials, `https` unless `allow_http`,
/// and no private address written as such unless the configuration allows it.
fn check_url(c: &mut Checker, url: &str, allow_http: bool, allowed: &[IpAddr]) {
    if url.len() > 2000 {
        c.add("url", "max_length", "url must be at most 2000 characters");
        return;
    }
    let parsed = match url::Url::parse(url) {
        Ok(u) => u,
        Err(e) => {
            c.add("url", "url", format!("url must be an absolute URL: {e}"));
            return;
        }
    };
    match parsed.scheme() {
        "https" => {}
        "http" if allow_http => {}
        "http" => c.add(
            "url",
            "https",
            "url must be https; set allow_http to accept plain http for this endpoint",
        ),
        other => c.add("url", "url", format!("url must be https, not {other}")),
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        c.add(
            "url",
            "no_credentials",
            "url must not carry a user name or password; deliveries are signed",
        );
    }
    let ip = match parsed.host() {
        Some(url::Host::Ipv4(v4)) => Some(IpAddr::V4(v4)),
        Some(url::Host::Ipv6(v6)) => Some(IpAddr::V6(v6)),
        Some(url::Host::Domain(_)) => None,
        None => {
            c.add("url", "url", "url must name a host");
            None
        }
    };
    if let Some(ip) = ip
        && is_private(ip)
        && !allowed.contains(&ip)
    {
        c.add(
            "url",
            "public_address",
            format!("url names {ip}, a private or loopback address; deliveries go only to public addresses"),
        );
    }
}

fn check_events(c: &mut Checker, events: &[String]) {
    if events.is_empty() {
        c.add("events", "required", "name at least one event");
    }
    for (i, e) in events.iter().enumerate() {
        if !EVENTS.contains(&e.as_str()) {
            c.add(
                format!("events[{i}]"),
                "one_of",
                format!("events[{i}] must be one of {}", EVENTS.join(", ")),
            );
        } else if events[..i].contains(e) {
            c.add(
                format!("events[{i}]"),
                "unique",
                format!("{e} is named twice"),
            );
        }
    }
}

/// A new signing secret: `whsec_` and 24 random bytes in base64.
fn new_secret() -> Result<String, ApiError> {
    let mut b = [0u8; 24];
    getrandom::fill(&mut b)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("no randomness: {e}")))?;
    Ok(format!("whsec_{}", B64.encode(b)))
}

/// The secretariat registers an endpoint; its secret is in the answer, once.
pub fn create(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    body: &EndpointInput,
    allowed: &[IpAddr],
) -> Result<EndpointView, ApiError> {
    actor.require(Role::Secretariat)?;
    let mut c = Checker::new();
    check_url(&mut c, body.url.trim(), body.allow_http, allowed);
    check_events(&mut c, &body.events);
    c.finish()?;
    let secret = new_secret()?;
    crate::db::write_tx(conn, |c| {
        load_visible(c, meeting_id, &Some(actor.clone()))?;
        crate::db::lock_meeting(c, meeting_id)?;
        let n: i64 = we::table
            .filter(we::meeting_id.eq(meeting_id))
            .count()
            .get_result(c)?;
        if n >= MOST_ENDPOINTS {
            return Err(ApiError::field(
                "url",
                "max_items",
                format!("a meeting has at most {MOST_ENDPOINTS} webhook endpoints"),
            ));
        }
        let at = to_db(crate::db::now(c)?);
        let events =
            serde_json::to_string(&body.events).map_err(|e| ApiError::Internal(e.into()))?;
        let id: i64 = crate::with_backend!(c, |b| diesel::insert_into(we::table)
            .values((
                we::meeting_id.eq(meeting_id),
                we::url.eq(body.url.trim()),
                we::events.eq(&events),
                we::secret.eq(&secret),
                we::allow_http.eq(body.allow_http),
                we::active.eq(true),
                we::failures.eq(0),
                we::created_at.eq(at),
            ))
            .returning(we::id)
            .get_result(b))?;
        audit::record(
            c,
            Some(actor.id),
            "webhook.create",
            "webhook",
            id,
            Some(meeting_id),
            json!({"url": body.url.trim(), "events": body.events, "allow_http": body.allow_http}),
        )?;
        let mut v = view(load(c, id)?)?;
        v.secret = Some(secret.clone());
        Ok(v)
    })
}

/// A meeting's endpoints (without their secrets).
pub fn list(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
) -> Result<Vec<EndpointView>, ApiError> {
    actor.require(Role::Secretariat)?;
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    let rows: Vec<Row> = we::table
        .filter(we::meeting_id.eq(meeting_id))
        .order(we::id)
        .select(Row::as_select())
        .load(conn)?;
    rows.into_iter().map(view).collect()
}

/// One endpoint (without its secret).
pub fn get(conn: &mut DbConn, actor: &AuthUser, id: i64) -> Result<EndpointView, ApiError> {
    actor.require(Role::Secretariat)?;
    view(load(conn, id)?)
}

/// Changes an endpoint; enabling it again forgets its failures.
pub fn update(
    conn: &mut DbConn,
    actor: &AuthUser,
    id: i64,
    body: &EndpointChange,
    allowed: &[IpAddr],
) -> Result<EndpointView, ApiError> {
    actor.require(Role::Secretariat)?;
    crate::db::write_tx(conn, |c| {
        let before = load(c, id)?;
        let allow_http = body.allow_http.unwrap_or(before.allow_http);
        let url = body.url.clone().unwrap_or_else(|| before.url.clone());
        let events: Vec<String> = match &body.events {
            Some(e) => e.clone(),
            None => crate::db::json_column(&before.events, "webhook_endpoints.events", id)?,
        };
        let mut ck = Checker::new();
        check_url(&mut ck, url.trim(), allow_http, allowed);
        check_events(&mut ck, &events);
        ck.finish()?;
        let active = body.active.unwrap_or(before.active);
        let (reason, failures) = match body.active {
            Some(true) => (None, 0),
            Some(false) => (
                Some("paused by the secretariat".to_string()),
                before.failures,
            ),
            None => (before.disabled_reason.clone(), before.failures),
        };
        diesel::update(we::table.find(id))
            .set((
                we::url.eq(url.trim()),
                we::events
                    .eq(serde_json::to_string(&events).map_err(|e| ApiError::Internal(e.into()))?),
                we::allow_http.eq(allow_http),
                we::active.eq(active),
                we::disabled_reason.eq(reason),
                we::failures.eq(failures),
            ))
            .execute(c)?;
        let after = view(load(c, id)?)?;
        audit::record(
            c,
            Some(actor.id),
            "webhook.update",
            "webhook",
            id,
            Some(before.meeting_id),
            audit::diff(
                &serde_json::to_value(view(before.clone())?).unwrap_or_default(),
                &serde_json::to_value(&after).unwrap_or_default(),
            ),
        )?;
        Ok(after)
    })
}

/// Removes an endpoint with its deliveries still owed.
pub fn delete(conn: &mut DbConn, actor: &AuthUser, id: i64) -> Result<(), ApiError> {
    actor.require(Role::Secretariat)?;
    crate::db::write_tx(conn, |c| {
        let before = load(c, id)?;
        diesel::delete(ob::table.filter(ob::endpoint_id.eq(id))).execute(c)?;
        diesel::delete(we::table.find(id)).execute(c)?;
        audit::record(
            c,
            Some(actor.id),
            "webhook.delete",
            "webhook",
            id,
            Some(before.meeting_id),
            json!({"url": before.url}),
        )
    })
}

/// One attempt to deliver a message, as logged.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryView {
    /// Id of the attempt.
    pub id: i64,
    /// The message (its `webhook-id` is `msg_` and this).
    pub message_id: i64,
    /// The event.
    pub event: String,
    /// Which attempt of the message this was.
    pub attempt: i32,
    /// The endpoint's HTTP status, if it answered.
    pub status: Option<i32>,
    /// How long the attempt took.
    pub duration_ms: i32,
    /// What went wrong, if anything.
    pub error: Option<String>,
    /// When, RFC 3339 UTC.
    pub at: String,
    /// Where the message is now: `queued`, `sending`, `sent` or `failed`.
    pub message_state: String,
}

/// Query of a delivery log.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliveriesQuery {
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}

/// An endpoint's delivery attempts, newest first.
pub fn deliveries(
    conn: &mut DbConn,
    actor: &AuthUser,
    id: i64,
    q: &DeliveriesQuery,
) -> Result<Paginated<DeliveryView>, ApiError> {
    actor.require(Role::Secretariat)?;
    let page = Page::new(q.page, q.per_page)?;
    load(conn, id)?;
    let total: i64 = wd::table
        .filter(wd::endpoint_id.eq(id))
        .count()
        .get_result(conn)?;
    type D = (
        i64,
        i64,
        i32,
        Option<i32>,
        i32,
        Option<String>,
        chrono::NaiveDateTime,
        String,
        String,
    );
    let rows: Vec<D> = wd::table
        .inner_join(ob::table.on(ob::id.eq(wd::outbox_id)))
        .filter(wd::endpoint_id.eq(id))
        .order(wd::id.desc())
        .offset(page.offset())
        .limit(page.per_page)
        .select((
            wd::id,
            wd::outbox_id,
            wd::attempt,
            wd::status,
            wd::duration_ms,
            wd::error,
            wd::at,
            ob::kind,
            ob::state,
        ))
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(
            |(id, message_id, attempt, status, duration_ms, error, at, event, state)| {
                DeliveryView {
                    id,
                    message_id,
                    event,
                    attempt,
                    status,
                    duration_ms,
                    error,
                    at: from_db(at).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    message_state: state,
                }
            },
        )
        .collect();
    Ok(page.of(items, total))
}

/// Sends a message of an endpoint again, by hand, with the same `webhook-id` (so a
/// receiver that has it already can tell); the endpoint must be active.
pub fn redeliver(
    conn: &mut DbConn,
    actor: &AuthUser,
    id: i64,
    message_id: i64,
) -> Result<(), ApiError> {
    actor.require(Role::Secretariat)?;
    crate::db::write_tx(conn, |c| {
        let endpoint = load(c, id)?;
        if !endpoint.active {
            return Err(ApiError::conflict(
                Code::Disabled,
                "the endpoint is disabled; enable it (PATCH active: true) before redelivering",
            ));
        }
        let state: Option<String> = ob::table
            .find(message_id)
            .filter(ob::endpoint_id.eq(id))
            .select(ob::state)
            .first(c)
            .optional()?;
        match state.as_deref() {
            None => return Err(ApiError::NotFound("webhook message")),
            Some(super::outbox::state::QUEUED | super::outbox::state::SENDING) => {
                return Err(ApiError::conflict(
                    Code::InUse,
                    "the message is still being delivered",
                ));
            }
            Some(_) => {}
        }
        let now = to_db(crate::db::now(c)?);
        diesel::update(ob::table.find(message_id))
            .set((
                ob::state.eq(super::outbox::state::QUEUED),
                ob::attempts.eq(0),
                ob::next_attempt_at.eq(now),
                ob::last_error.eq(None::<String>),
            ))
            .execute(c)?;
        audit::record(
            c,
            Some(actor.id),
            "webhook.redeliver",
            "webhook",
            id,
            Some(endpoint.meeting_id),
            json!({"message_id": message_id}),
        )
    })
}

/// Owes every active endpoint of the meeting that wants `event` a delivery of `data`,
/// in the current transaction; `key` names the event (one delivery per endpoint).
pub fn event(
    c: &mut DbConn,
    meeting_id: i64,
    event: &str,
    key: &str,
    data: serde_json::Value,
) -> Result<(), ApiError> {
    let endpoints: Vec<(i64, String, String)> = we::table
        .filter(we::meeting_id.eq(meeting_id))
        .filter(we::active.eq(true))
        .select((we::id, we::url, we::events))
        .load(c)?;
    let now = crate::db::now(c)?;
    for (id, url, events) in endpoints {
        let wanted: Vec<String> = crate::db::json_column(&events, "webhook_endpoints.events", id)?;
        if !wanted.iter().any(|e| e == event) {
            continue;
        }
        let body = json!({
            "type": event,
            "timestamp": now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "data": data,
        })
        .to_string();
        crate::with_backend!(c, |b| diesel::insert_into(ob::table)
            .values((
                ob::meeting_id.eq(Some(meeting_id)),
                ob::channel.eq("webhook"),
                ob::endpoint_id.eq(Some(id)),
                ob::kind.eq(event),
                ob::dedupe_key.eq(format!("{key}:webhook{id}")),
                ob::recipient.eq(&url),
                ob::template.eq(event),
                ob::data.eq(&body),
                ob::state.eq(super::outbox::state::QUEUED),
                ob::attempts.eq(0),
                ob::next_attempt_at.eq(to_db(now)),
                ob::created_at.eq(to_db(now)),
            ))
            .on_conflict(ob::dedupe_key)
            .do_nothing()
            .execute(b))?;
    }
    Ok(())
}

/// The `webhook-signature` of a delivery: `v1,` and the base64 HMAC-SHA256, keyed by
/// the secret's bytes, of `id.timestamp.body`.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> Result<String, String> {
    let key = B64
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .map_err(|e| format!("the endpoint's secret does not decode: {e}"))?;
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).map_err(|e| e.to_string())?;
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    Ok(format!("v1,{}", B64.encode(mac.finalize().into_bytes())))
}

/// How one delivery attempt went.
#[derive(Debug)]
pub struct Attempt {
    /// The endpoint's status, if it answered.
    pub status: Option<u16>,
    /// Time taken.
    pub duration_ms: i32,
    /// What went wrong, if anything.
    pub error: Option<String>,
    /// Trying again cannot help (a private address, a 410 Gone).
    pub permanent: bool,
    /// The endpoint asked to be removed (410 Gone).
    pub gone: bool,
}

/// Delivers a message's body to an endpoint, signed, refusing private addresses the
/// configuration does not allow (by every address the host resolves to) and following
/// no redirects.
pub fn deliver(
    agent: &ureq::Agent,
    allowed: &[IpAddr],
    url: &str,
    secret: &str,
    message_id: i64,
    body: &str,
) -> Attempt {
    let started = std::time::Instant::now();
    let took = |s: std::time::Instant| i32::try_from(s.elapsed().as_millis()).unwrap_or(i32::MAX);
    let fail = |error: String, permanent: bool| Attempt {
        status: None,
        duration_ms: took(started),
        error: Some(error),
        permanent,
        gone: false,
    };
    let parsed = match url::Url::parse(url) {
        Ok(u) => u,
        Err(e) => return fail(format!("the url does not parse: {e}"), true),
    };
    let (Some(host), Some(port)) = (parsed.host_str(), parsed.port_or_known_default()) else {
        return fail("the url names no host".into(), true);
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addresses: Vec<IpAddr> = match (host, port).to_socket_addrs() {
        Ok(a) => a.map(|s| s.ip()).collect(),
        Err(e) => return fail(format!("{host} does not resolve: {e}"), false),
    };
    if let Some(ip) = addresses
        .iter()
        .find(|ip| is_private(**ip) && !allowed.contains(ip))
    {
        return fail(
            format!(
                "{host} resolves to {ip}, a private or loopback address; deliveries go only to public addresses"
            ),
            true,
        );
    }
    let id = format!("msg_{message_id}");
    let timestamp = chrono::Utc::now().timestamp();
    let signature = match sign(secret, &id, timestamp, body) {
        Ok(s) => s,
        Err(e) => return fail(e, true),
    };
    let sent = agent
        .post(url)
        .header("content-type", "application/json")
        .header("user-agent", "igf-scheduler webhooks")
        .header("webhook-id", &id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", &signature)
        .send(body);
    match sent {
        Ok(r) => {
            let status = r.status().as_u16();
            let ok = (200..300).contains(&status);
            Attempt {
                status: Some(status),
                duration_ms: took(started),
                error: (!ok).then(|| format!("the endpoint answered {status}")),
                permanent: status == 410,
                gone: status == 410,
            }
        }
        Err(e) => fail(format!("no answer: {e}"), false),
    }
}

/// Records an attempt and what it means for the endpoint: its failures in a row are
/// counted, and at `disable_after` (or a 410 Gone) it is disabled with the reason.
pub fn record(
    c: &mut DbConn,
    outbox_id: i64,
    endpoint_id: i64,
    attempt_no: i32,
    a: &Attempt,
    disable_after: u32,
) -> Result<(), ApiError> {
    let now = to_db(crate::db::now(c)?);
    diesel::insert_into(wd::table)
        .values((
            wd::outbox_id.eq(outbox_id),
            wd::endpoint_id.eq(endpoint_id),
            wd::attempt.eq(attempt_no),
            wd::status.eq(a.status.map(i32::from)),
            wd::duration_ms.eq(a.duration_ms),
            wd::error.eq(&a.error),
            wd::at.eq(now),
        ))
        .execute(c)?;
    match &a.error {
        None => {
            diesel::update(we::table.find(endpoint_id))
                .set(we::failures.eq(0))
                .execute(c)?;
        }
        Some(error) => {
            // Counted in the database, so that instances delivering at once add up.
            diesel::update(we::table.find(endpoint_id))
                .set(we::failures.eq(we::failures + 1))
                .execute(c)?;
            let failures: i32 = we::table.find(endpoint_id).select(we::failures).first(c)?;
            let reason = if a.gone {
                Some("the endpoint answered 410 Gone".to_string())
            } else if failures >= i32::try_from(disable_after).unwrap_or(i32::MAX) {
                Some(format!(
                    "disabled after {failures} failed deliveries in a row; the last: {error}"
                ))
            } else {
                None
            };
            if let Some(reason) = reason {
                diesel::update(we::table.find(endpoint_id))
                    .set((we::active.eq(false), we::disabled_reason.eq(Some(reason))))
                    .execute(c)?;
            }
        }
    }
    Ok(())
}

/// An endpoint's address and secret, for delivering.
pub fn target(c: &mut DbConn, endpoint_id: i64) -> Result<Option<(String, String)>, ApiError> {
    Ok(we::table
        .find(endpoint_id)
        .select((we::url, we::secret))
        .first(c)
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_specs_example() {
        // The example of the Standard Webhooks specification.
        let s = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        )
        .unwrap();
        assert_eq!(s, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn private_addresses_are_known() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "169.254.1.1",
            "100.64.0.1",
            "198.18.0.1",
            "240.0.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "fec0::1",
            "2001:db8::1",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
            "0.0.0.0",
        ] {
            assert!(is_private(a.parse().unwrap()), "{a}");
        }
        for a in ["93.184.216.34", "2606:2800:220:1::1"] {
            assert!(!is_private(a.parse().unwrap()), "{a}");
        }
    }
}
