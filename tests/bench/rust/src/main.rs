//! jsonwebtoken (Debian's librust-jsonwebtoken-dev, on ring) as a cross-language row of the
//! benchmark report.
//!
//! Usage: jsonwebtoken_bench --fixture FIXTURE.json [--min-time SECONDS] [--check-only]
//!
//! Checks and times jsonwebtoken as tests/bench/python/pyjwt_bench.py does PyJWT, and prints the
//! same JSON object (that file describes it). Used as jsonwebtoken's documentation shows: keys
//! parsed once (EncodingKey and DecodingKey from the PEM or the secret), then per token
//! `encode()` of a serde claims struct, or `decode::<Claims>()` with `Validation::new(alg)` (the
//! one expected algorithm, `exp` required and checked) and the `sub` and `roles` read.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::Instant;

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The benchmark token's claims.
#[derive(Clone, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iat: i64,
    exp: i64,
    #[serde(rename = "type")]
    kind: String,
    roles: Vec<String>,
}

struct Implementation {
    name: String,
    header: Header,
    validation: Validation,
    signing_key: EncodingKey,
    verification_key: DecodingKey,
    claims: Claims,
}

fn text<'a>(value: &'a Value, name: &str) -> Result<&'a str, String> {
    value[name]
        .as_str()
        .ok_or_else(|| format!("the fixture has no string {name}"))
}

/// The keys of `entry` parsed as jsonwebtoken takes them for `alg`.
fn parse_keys(alg: Algorithm, entry: &Value) -> Result<(EncodingKey, DecodingKey), String> {
    use Algorithm::*;
    if matches!(alg, HS256 | HS384 | HS512) {
        let secret = text(entry, "secret")?.as_bytes();
        return Ok((
            EncodingKey::from_secret(secret),
            DecodingKey::from_secret(secret),
        ));
    }
    let private = text(entry, "private_pem")?.as_bytes();
    let public = text(entry, "public_pem")?.as_bytes();
    let keys = match alg {
        RS256 | RS384 | RS512 | PS256 | PS384 | PS512 => (
            EncodingKey::from_rsa_pem(private),
            DecodingKey::from_rsa_pem(public),
        ),
        ES256 | ES384 => (
            EncodingKey::from_ec_pem(private),
            DecodingKey::from_ec_pem(public),
        ),
        EdDSA => (
            EncodingKey::from_ed_pem(private),
            DecodingKey::from_ed_pem(public),
        ),
        _ => return Err(format!("no key parser for {alg:?}")),
    };
    match keys {
        (Ok(signing), Ok(verification)) => Ok((signing, verification)),
        (Err(error), _) | (_, Err(error)) => Err(format!("cannot parse the keys: {error}")),
    }
}

impl Implementation {
    fn sign(&self) -> String {
        let claims = Claims {
            sub: self.claims.sub.clone(),
            iat: self.claims.iat,
            exp: self.claims.exp,
            kind: "access".to_string(),
            roles: self.claims.roles.clone(),
        };
        encode(&self.header, &claims, &self.signing_key).unwrap_or_default()
    }

    fn verify(&self, token: &str) -> bool {
        match decode::<Claims>(token, &self.verification_key, &self.validation) {
            Ok(data) => {
                data.claims.sub == self.claims.sub && data.claims.roles == self.claims.roles
            }
            Err(_) => false,
        }
    }
}

/// What went wrong, as jot_bench's check_implementation says it; the token it signed.
fn check(implementation: &Implementation, tokens: &Value) -> (Vec<String>, String) {
    let token = |variant: &str| tokens[variant].as_str().unwrap_or_default();
    let mut failures = Vec::new();
    if !implementation.verify(token("valid")) {
        failures.push("rejects the canonical token (or reads other claims from it)".to_string());
    }
    for (variant, failure) in [
        ("flipped_signature", "accepts a flipped signature"),
        ("swapped_payload", "accepts a swapped payload"),
        ("expired", "accepts an expired token"),
        ("other_alg", "accepts a token of another alg"),
    ] {
        if implementation.verify(token(variant)) {
            failures.push(failure.to_string());
        }
    }
    let own = implementation.sign();
    if own.is_empty() {
        failures.push("fails to sign".to_string());
    } else if !implementation.verify(&own) {
        failures.push("rejects the token it signed".to_string());
    }
    (failures, own)
}

#[repr(C)]
struct Timespec {
    seconds: i64,
    nanoseconds: i64,
}

extern "C" {
    fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
}

/// The process's CPU time (Linux's CLOCK_PROCESS_CPUTIME_ID), as the other harnesses measure.
fn cpu_nanoseconds() -> i64 {
    const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;
    let mut time = Timespec {
        seconds: 0,
        nanoseconds: 0,
    };
    // SAFETY: clock_gettime writes one timespec, which `time` is (x86-64 and aarch64 Linux).
    let status = unsafe { clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &mut time) };
    assert_eq!(status, 0, "clock_gettime failed");
    time.seconds * 1_000_000_000 + time.nanoseconds
}

/// Batches, each larger, until one takes at least `min_time` seconds of CPU time (the ones
/// before it warm up); that batch's count and times.
fn measure(operation: impl Fn() -> bool, min_time: f64) -> (u64, i64, i64) {
    let mut iterations: u64 = 1;
    loop {
        let (cpu_start, wall_start) = (cpu_nanoseconds(), Instant::now());
        for _ in 0..iterations {
            assert!(
                operation(),
                "an operation that passed its check failed while timed"
            );
        }
        let cpu = cpu_nanoseconds() - cpu_start;
        let wall = wall_start.elapsed().as_nanos() as i64;
        if cpu as f64 >= min_time * 1e9 {
            return (iterations, cpu, wall);
        }
        let grow = if cpu <= 0 {
            10.0
        } else {
            f64::min(10.0, 1.4 * min_time * 1e9 / cpu as f64)
        };
        iterations = u64::max(iterations + 1, (iterations as f64 * grow) as u64);
    }
}

struct Options {
    fixture: String,
    min_time: f64,
    check_only: bool,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        fixture: String::new(),
        min_time: 0.1,
        check_only: false,
    };
    let mut arguments = std::env::args().skip(1);
    while let Some(argument) = arguments.next() {
        match argument.as_str() {
            "--fixture" => options.fixture = arguments.next().ok_or("--fixture needs a path")?,
            "--min-time" => {
                let value = arguments.next().ok_or("--min-time needs seconds")?;
                options.min_time = value.parse().map_err(|_| format!("--min-time {value}?"))?;
            }
            "--check-only" => options.check_only = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if options.fixture.is_empty() {
        return Err("--fixture FIXTURE.json is required".to_string());
    }
    Ok(options)
}

fn main() {
    let options = options().unwrap_or_else(|error| {
        eprintln!("jsonwebtoken_bench: {error}");
        std::process::exit(2)
    });
    let fixture: Value = std::fs::read_to_string(&options.fixture)
        .map_err(|error| error.to_string())
        .and_then(|text| serde_json::from_str(&text).map_err(|error| error.to_string()))
        .unwrap_or_else(|error| {
            eprintln!("jsonwebtoken_bench: {}: {error}", options.fixture);
            std::process::exit(2)
        });
    let claims: Claims = serde_json::from_value(fixture["claims"].clone())
        .expect("the fixture's claims are sub, iat, exp, type and roles");

    let mut failures: Vec<String> = Vec::new();
    let mut unsupported = BTreeMap::new();
    let mut signed = BTreeMap::new();
    let mut implementations = Vec::new();
    let algorithms = fixture["algorithms"]
        .as_object()
        .expect("the fixture has algorithms");
    for (name, entry) in algorithms {
        let alg = match Algorithm::from_str(name) {
            Ok(alg) => alg,
            Err(_) => {
                unsupported.insert(
                    name.clone(),
                    "not among jsonwebtoken's algorithms".to_string(),
                );
                continue;
            }
        };
        let (signing_key, verification_key) = match parse_keys(alg, entry) {
            Ok(keys) => keys,
            Err(error) => {
                failures.push(format!("{name}: {error}"));
                continue;
            }
        };
        let implementation = Implementation {
            name: name.clone(),
            header: Header::new(alg),
            validation: Validation::new(alg),
            signing_key,
            verification_key,
            claims: claims.clone(),
        };
        let (own_failures, own) = check(&implementation, &entry["tokens"]);
        failures.extend(
            own_failures
                .iter()
                .map(|failure| format!("{name}: {failure}")),
        );
        signed.insert(name.clone(), own);
        implementations.push(implementation);
    }

    let mut timings = Vec::new();
    if failures.is_empty() && !options.check_only {
        for implementation in &implementations {
            let token = algorithms[&implementation.name]["tokens"]["valid"]
                .as_str()
                .unwrap();
            let sign = || !implementation.sign().is_empty();
            let verify = || implementation.verify(token);
            for (op, operation) in [("sign", &sign as &dyn Fn() -> bool), ("verify", &verify)] {
                let (iterations, cpu, wall) = measure(operation, options.min_time);
                timings.push(json!({"op": op, "alg": implementation.name,
                                    "iterations": iterations, "cpu_ns": cpu, "real_ns": wall}));
            }
        }
    }
    let failed = !failures.is_empty();
    println!(
        "{}",
        json!({"failures": failures, "unsupported": unsupported, "signed": signed,
               "timings": timings})
    );
    std::process::exit(if failed { 1 } else { 0 });
}
