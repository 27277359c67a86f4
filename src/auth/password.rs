//! Password hashing with Argon2id (default parameters, random salt, PHC strings).
//!
//! Each hash needs 19 MiB of working memory. Left to the allocator, every thread that
//! hashes keeps its own 19 MiB arena and a burst of sign-ups grows the process by
//! gigabytes that it never gives back; so hashes run on a fixed number of working
//! memories that are reused (at most [`configure`]'s bound at once), and a request
//! that would have to queue behind too many others is refused as busy.

use std::sync::{Condvar, Mutex, OnceLock};

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// Shortest password accepted.
pub const MIN_LENGTH: usize = 10;
/// Longest password accepted (bounds hashing work).
pub const MAX_LENGTH: usize = 256;
/// Largest memory cost (KiB) a stored hash may ask for when it is verified.
const MAX_M_COST: u32 = 64 * 1024;

/// Why a password could not be hashed or checked now.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Too many hashes are waiting already; retry shortly.
    #[error("too many passwords are being checked at once; retry in a moment")]
    Busy,
    /// The hasher failed (it should not).
    #[error("password hashing failed: {0}")]
    Failed(String),
}

/// The working memories and the bound on their use.
struct Memories {
    free: Mutex<Pool>,
    returned: Condvar,
    bound: usize,
}

struct Pool {
    idle: Vec<Vec<Block>>,
    in_use: usize,
    waiting: usize,
}

static MEMORIES: OnceLock<Memories> = OnceLock::new();

/// Sets how many hashes run at once in this process (the first call wins; without
/// one, two). Call once at start-up.
pub fn configure(bound: usize) {
    let _ = MEMORIES.set(Memories::new(bound));
}

impl Memories {
    fn new(bound: usize) -> Self {
        Memories {
            free: Mutex::new(Pool {
                idle: vec![],
                in_use: 0,
                waiting: 0,
            }),
            returned: Condvar::new(),
            bound: bound.clamp(1, 64),
        }
    }

    fn get() -> &'static Memories {
        MEMORIES.get_or_init(|| Memories::new(2))
    }

    /// Runs `f` on a working memory of `blocks` blocks, waiting for one to be free;
    /// busy when more than 64 hashes per memory are waiting already.
    fn with<T>(&self, blocks: usize, f: impl FnOnce(&mut [Block]) -> T) -> Result<T, HashError> {
        let mut memory = {
            let mut p = self.free.lock().map_err(|_| HashError::Busy)?;
            if p.in_use >= self.bound && p.waiting >= 64 * self.bound {
                return Err(HashError::Busy);
            }
            p.waiting += 1;
            while p.in_use >= self.bound {
                p = self.returned.wait(p).map_err(|_| HashError::Busy)?;
            }
            p.waiting -= 1;
            p.in_use += 1;
            match p.idle.iter().position(|m| m.len() == blocks) {
                Some(i) => p.idle.swap_remove(i),
                None => vec![Block::default(); blocks],
            }
        };
        let out = f(&mut memory);
        if let Ok(mut p) = self.free.lock() {
            p.in_use -= 1;
            // Only memories of the usual size are kept, and never more than the bound.
            if blocks == Params::DEFAULT.block_count() && p.idle.len() < self.bound {
                p.idle.push(memory);
            }
        }
        self.returned.notify_one();
        Ok(out)
    }
}

fn argon(params: Params, algorithm: Algorithm, version: Version) -> Argon2<'static> {
    Argon2::new(algorithm, version, params)
}

/// Hashes a password into a PHC string.
pub fn hash(password: &str) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| HashError::Failed(e.to_string()))?;
    let params = Params::DEFAULT;
    let a = argon(params.clone(), Algorithm::Argon2id, Version::V0x13);
    let mut out = [0u8; 32];
    Memories::get()
        .with(params.block_count(), |m| {
            a.hash_password_into_with_memory(password.as_bytes(), &salt, &mut out, m)
        })?
        .map_err(|e| HashError::Failed(e.to_string()))?;
    let fail = |e: &dyn std::fmt::Display| HashError::Failed(e.to_string());
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| fail(&e))?,
        salt: Some(Salt::new(&salt).map_err(|e| fail(&e))?),
        hash: Some(Output::new(&out).map_err(|e| fail(&e))?),
    };
    Ok(phc.to_string())
}

/// Whether the password matches the stored PHC string; a malformed hash, or one that
/// asks for more memory than any this service writes, never matches.
pub fn verify(password: &str, phc: &str) -> Result<bool, HashError> {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return Ok(false);
    };
    let (Ok(algorithm), Ok(params)) = (
        parsed.algorithm.as_str().parse::<Algorithm>(),
        Params::try_from(&parsed),
    ) else {
        return Ok(false);
    };
    let version = match parsed.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(v)) => v,
        Some(Err(_)) => return Ok(false),
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Ok(false);
    };
    if params.m_cost() > MAX_M_COST {
        return Ok(false);
    }
    let a = argon(params.clone(), algorithm, version);
    let mut out = vec![0u8; expected.len()];
    let computed = Memories::get().with(params.block_count(), |m| {
        a.hash_password_into_with_memory(password.as_bytes(), salt.as_ref(), &mut out, m)
    })?;
    if computed.is_err() {
        return Ok(false);
    }
    // `Output` compares in constant time.
    Ok(Output::new(&out).is_ok_and(|o| o == expected))
}

/// A valid hash of a random password, verified against when an account does not exist
/// so that a login takes as long whether or not the email is known.
pub fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let mut b = [0u8; 24];
        let _ = getrandom::fill(&mut b);
        let pw: String = b.iter().map(|x| format!("{x:02x}")).collect();
        hash(&pw).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    #[test]
    fn a_hash_verifies_its_password_and_nothing_else() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("correct horse battery", &h).unwrap());
        assert!(!verify("correct horse batterY", &h).unwrap());
        assert!(!verify("anything", "not a phc string").unwrap());
    }

    #[test]
    fn hashes_agree_with_the_argon2_crate_both_ways() {
        let ours = hash("a passphrase of ours").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"a passphrase of ours", &parsed)
                .is_ok()
        );
        let theirs = Argon2::default()
            .hash_password(b"a passphrase of theirs")
            .unwrap()
            .to_string();
        assert!(verify("a passphrase of theirs", &theirs).unwrap());
        assert!(!verify("a passphrase of ours", &theirs).unwrap());
    }

    #[test]
    fn a_stored_hash_asking_for_huge_memory_never_matches() {
        let h = "$argon2id$v=19$m=4194304,t=1,p=1$c2FsdHNhbHRzYWx0$\
                 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assert!(!verify("x", h).unwrap());
    }
}
