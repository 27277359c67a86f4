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
        let memory = {
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
        // The slot comes back even if `f` panics.
        let mut slot = Slot {
            memories: self,
            memory: Some(memory),
            blocks,
        };
        let out = f(slot.memory.as_deref_mut().unwrap_or_default());
        drop(slot);
        Ok(out)
    }
}

/// A working memory in use; dropping it hands it back and wakes a waiter.
struct Slot<'a> {
    memories: &'a Memories,
    memory: Option<Vec<Block>>,
    blocks: usize,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        // A poisoned lock still holds a sound count: take it back either way.
        let mut p = match self.memories.free.lock() {
            Ok(p) => p,
            Err(poisoned) => poisoned.into_inner(),
        };
        p.in_use -= 1;
        // Only memories of the usual size are kept, and never more than the bound.
        if let Some(m) = self.memory.take()
            && self.blocks == Params::DEFAULT.block_count()
            && p.idle.len() < self.memories.bound
        {
            p.idle.push(m);
        }
        drop(p);
        self.memories.returned.notify_one();
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

/// A valid hash of a random password nobody kept, verified against when an account
/// does not exist, so that a sign-in takes as long (and passes through the same
/// bounded memories) whether or not the email is known.
pub fn decoy_hash() -> &'static str {
    DECOY
}

const DECOY: &str = "$argon2id$v=19$m=19456,t=2,p=1$rP2loQmXzM1qpU6ogRQEaw$aYUG07C23ewM25sjloG0sRGYW0ehppRUeJuwef95xZg";

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
    fn the_decoy_is_a_real_hash_that_takes_the_same_work() {
        let parsed = PasswordHash::new(decoy_hash()).unwrap();
        let p = Params::try_from(&parsed).unwrap();
        let d = Params::DEFAULT;
        assert_eq!(
            (p.m_cost(), p.t_cost(), p.p_cost()),
            (d.m_cost(), d.t_cost(), d.p_cost())
        );
        assert!(!verify("anything at all", decoy_hash()).unwrap());
    }

    #[test]
    fn a_slot_comes_back_when_the_work_panics() {
        let m = Memories::new(1);
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = m.with(8, |_| panic!("boom"));
        }));
        assert!(r.is_err());
        // The one slot is free again, or this would wait for ever.
        assert_eq!(m.with(8, |b| b.len()).unwrap(), 8);
    }

    #[test]
    fn a_stored_hash_asking_for_huge_memory_never_matches() {
        let h = "$argon2id$v=19$m=4194304,t=1,p=1$c2FsdHNhbHRzYWx0$\
                 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assert!(!verify("x", h).unwrap());
    }
}
