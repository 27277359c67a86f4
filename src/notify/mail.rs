//! Sending one message through the configured SMTP server.

use lettre::message::{Mailbox, MultiPart, header};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};

use super::messages::Rendered;
use crate::config::{MailSettings, SmtpTls};

/// A connection pool to the SMTP server, built once per worker.
pub struct Mailer {
    transport: SmtpTransport,
    from: Mailbox,
    /// The host part of every Message-ID.
    domain: String,
}

/// Why a message was not sent, and whether trying again can help.
#[derive(Debug)]
pub struct NotSent {
    /// In words, for the secretariat.
    pub error: String,
    /// Refused for good (a bad address, a 5xx answer): no retry.
    pub permanent: bool,
}

impl Mailer {
    /// The mailer for the settings; `base` is the public address, whose host names
    /// the messages.
    pub fn new(s: &MailSettings, base: &str) -> anyhow::Result<Mailer> {
        let builder = match s.tls {
            SmtpTls::Tls => SmtpTransport::relay(&s.host)?,
            SmtpTls::StartTls => SmtpTransport::starttls_relay(&s.host)?,
            SmtpTls::None => SmtpTransport::builder_dangerous(&s.host),
        };
        let mut builder = builder
            .port(s.port)
            .timeout(Some(std::time::Duration::from_secs(30)));
        if let Some((user, password)) = &s.credentials {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                String::from_utf8_lossy(password.expose()).into_owned(),
            ));
        }
        let domain = base
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split(['/', ':']).next())
            .filter(|h| !h.is_empty())
            .unwrap_or("igf-scheduler.invalid")
            .to_string();
        Ok(Mailer {
            transport: builder.build(),
            from: s.from.parse()?,
            domain,
        })
    }

    /// Sends message `id` to `to`. The Message-ID is the outbox id's, so a copy sent
    /// again after a crash is known by mail clients as the same message.
    pub fn send(&self, id: i64, to: &str, r: &Rendered) -> Result<(), NotSent> {
        let to: Mailbox = to.parse().map_err(|e| NotSent {
            error: format!("the address {to:?} is not valid: {e}"),
            permanent: true,
        })?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&r.subject)
            .message_id(Some(format!("<outbox-{id}@{}>", self.domain)))
            .header(AutoSubmitted)
            .multipart(MultiPart::alternative_plain_html(
                r.text.clone(),
                r.html.clone(),
            ))
            .map_err(|e| NotSent {
                error: format!("the message could not be built: {e}"),
                permanent: true,
            })?;
        self.transport
            .send(&message)
            .map(|_| ())
            .map_err(|e| NotSent {
                permanent: e.is_permanent(),
                error: e.to_string(),
            })
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834): no auto-replies, please.
#[derive(Clone)]
struct AutoSubmitted;

impl header::Header for AutoSubmitted {
    fn name() -> header::HeaderName {
        header::HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> header::HeaderValue {
        header::HeaderValue::new(Self::name(), "auto-generated".into())
    }
}
