//! Access tokens: HS256 JWTs whose issuer, audience, algorithm and expiry are all
//! checked. Each token purpose has its own audience so that a token made for one
//! purpose can never be used for another.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::Role;

/// Issuer written into and required of every token.
pub const ISSUER: &str = "igf-scheduler";
/// Audience of API session tokens.
pub const SESSION_AUDIENCE: &str = "igf-scheduler:session";

/// How far in the future a token's issue time may lie (other instances' clocks).
const FUTURE_TOLERANCE: i64 = 300;

/// What a session token says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The account id, as a string.
    pub sub: String,
    /// The account's role when the token was made (re-checked against the database).
    pub role: Role,
    /// Expiry, seconds since the epoch.
    pub exp: i64,
    /// Issue time, seconds since the epoch.
    pub iat: i64,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// The account's token version when the token was made: changing the password,
    /// signing out everywhere, a role change or deactivation moves it on, and every
    /// older token stops working.
    pub ver: i32,
}

/// Signing and verification keys with the validation rules.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl_seconds: i64,
}

/// A freshly issued token and its lifetime.
pub struct IssuedToken {
    /// The compact JWT.
    pub token: String,
    /// Seconds until it expires.
    pub expires_in: i64,
}

impl JwtKeys {
    /// Keys from the shared secret, tokens living `ttl_seconds`.
    pub fn new(secret: &[u8], ttl_seconds: i64) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[SESSION_AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = 30;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl_seconds,
        }
    }

    /// Issues a session token for an account at its current token version.
    pub fn issue(&self, user_id: i64, role: Role, version: i32) -> anyhow::Result<IssuedToken> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            role,
            exp: now + self.ttl_seconds,
            iat: now,
            iss: ISSUER.to_string(),
            aud: SESSION_AUDIENCE.to_string(),
            ver: version,
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok(IssuedToken {
            token,
            expires_in: self.ttl_seconds,
        })
    }

    /// Decodes and validates a session token; one issued more than five minutes in
    /// the future is refused, as no instance of this service made it (a few minutes
    /// are allowed: instances' clocks drift apart, and each checks with its own).
    pub fn decode_session(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        let claims =
            jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)?.claims;
        let now = chrono::Utc::now().timestamp();
        if claims.iat > now + FUTURE_TOLERANCE || claims.iat > claims.exp {
            return Err(jsonwebtoken::errors::ErrorKind::ImmatureSignature.into());
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn an_issued_token_decodes_with_its_role() {
        let keys = JwtKeys::new(SECRET, 60);
        let t = keys.issue(42, Role::Evaluator, 0).unwrap();
        let c = keys.decode_session(&t.token).unwrap();
        assert_eq!(c.sub, "42");
        assert_eq!(c.role, Role::Evaluator);
    }

    #[test]
    fn a_token_signed_with_another_secret_is_refused() {
        let other = JwtKeys::new(b"another secret that is long enough!!", 60);
        let t = other.issue(1, Role::Secretariat, 0).unwrap();
        assert!(JwtKeys::new(SECRET, 60).decode_session(&t.token).is_err());
    }

    #[test]
    fn an_expired_token_is_refused() {
        let keys = JwtKeys::new(SECRET, -3600);
        let t = keys.issue(1, Role::Proposer, 0).unwrap();
        assert!(keys.decode_session(&t.token).is_err());
    }

    #[test]
    fn a_token_from_the_future_is_refused() {
        use jsonwebtoken::{EncodingKey, Header, encode};
        let keys = JwtKeys::new(SECRET, 60);
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: "1".into(),
            role: Role::Secretariat,
            exp: now + 10 * 365 * 86_400,
            iat: now + 9 * 365 * 86_400,
            iss: ISSUER.into(),
            aud: SESSION_AUDIENCE.into(),
            ver: 0,
        };
        let t = encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(SECRET),
        )
        .unwrap();
        assert!(keys.decode_session(&t).is_err());
    }

    #[test]
    fn alg_none_is_refused() {
        use base64::Engine;
        let encode = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
        let keys = JwtKeys::new(SECRET, 60);
        let now = chrono::Utc::now().timestamp();
        let header = encode(br#"{"alg":"none","typ":"JWT"}"#);
        let body = format!(
            r#"{{"sub":"1","role":"secretariat","exp":{},"iat":{now},"iss":"{ISSUER}","aud":"{SESSION_AUDIENCE}","ver":0}}"#,
            now + 60
        );
        let token = format!("{header}.{}.", encode(body.as_bytes()));
        assert!(keys.decode_session(&token).is_err());
    }
}
