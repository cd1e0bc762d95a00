#pragma once

// The three stores behind sessions (RFC 8725 §3.12 use cases, RFC 9700 §4.14.2), as interfaces:
// jot ships them in memory for one process (memory_stores.hpp) and on Redis for many
// (jot::redis). Every operation returns a result, because a networked store can fail, and the
// contract every implementation keeps is:
//  - a write reports success only once it is made (a full store is errc::store_full, a store
//    that cannot be reached errc::store_unavailable), never a silent drop;
//  - a read that cannot be answered is an error, never "not revoked": callers fail closed;
//  - every operation is safe to call from many threads at once, and each one is atomic.
// Times are passed in by the caller (the session manager's clock), so that every process of a
// deployment and every test agrees on what "now" is.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "jot/claims.hpp"
#include "jot/config.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {

// Runs one store call, turning an exception into the error it stands for: std::bad_alloc is
// out_of_memory; anything else (a store implementation that throws, a throwing clock, a lock the
// system refused) means the store could not answer. Callers fail closed on either.
template <typename Operation>
auto run_store_operation(Operation&& operation) noexcept -> decltype(operation()) {
  JOT_TRY { return operation(); }
  JOT_CATCH_ALL { return errc_of_current_exception(errc::store_unavailable); }
}

}  // namespace detail

// How long a blocklist entry outlives its token's exp by default: the largest clock skew a
// validator accepts (basic_validator_builder::max_clock_skew, which session_manager_builder.hpp
// checks against it), so that no verifier of jot's accepts a revoked token again.
inline constexpr std::chrono::seconds default_revocation_margin{600};

// The `jti` blocklist: revoking one token before it expires.
class revocation_store {
 public:
  virtual ~revocation_store() = default;

  // Puts `jti` on the blocklist until `expires_at`, the token's own `exp`, plus a margin no
  // shorter than the clock skew any verifier of the deployment allows: a verifier with
  // allow_clock_skew(s) accepts the token until exp + s, so the entry must outlive that, and
  // only then may it be purged (jot's stores keep it for default_revocation_margin by default).
  // A revocation arriving after exp but inside that margin is written all the same. Revoking a
  // jti again succeeds and keeps the later of the two expiries.
  virtual result<void> revoke(std::string_view jti, sys_seconds expires_at) = 0;
  // Whether `jti` is on the blocklist (an entry past its expiry and margin may read either way).
  virtual result<bool> is_revoked(std::string_view jti) = 0;
};

// Per-subject token versions: a token carries its subject's version in the `ver` claim, and a
// bump rejects every token issued before it (logout everywhere, a password change). A version is
// never forgotten: a store that lost one would make older tokens valid again.
class token_version_store {
 public:
  virtual ~token_version_store() = default;

  // The subject's current version: 0 until the first bump.
  virtual result<std::uint64_t> current(std::string_view subject) = 0;
  // Increments the subject's version and returns the new one.
  virtual result<std::uint64_t> bump(std::string_view subject) = 0;
};

// The longest reuse interval (refresh_family::reuse_interval): anyone who presents the token just
// spent inside it gets the same successor as its owner, so the window an attacker shares must stay
// short. Auth0 and Okta cap theirs at about a minute too.
inline constexpr std::chrono::seconds max_reuse_interval{60};

// The reuse interval a session manager gives its families unless told otherwise (Okta's default
// grace period). It is what makes a refresh whose outcome is unknown safe to retry: a store call
// that timed out may still spend the token when the server gets to it, and the retry of that
// token inside the interval then receives the successor the first attempt was given, instead of
// ending the session as a reuse (refresh_family_store::consume(), rule 5).
inline constexpr std::chrono::seconds default_reuse_interval{30};

// A refresh family: the chain of refresh tokens of one login (one session), each replacing the
// one before (RFC 9700 §4.14.2, refresh token rotation).
struct refresh_family {
  std::string id;        // the session id, the `sid` claim of its tokens
  std::string subject;   // the `sub` of its tokens
  std::string token_id;  // the `jti` of its first refresh token
  // When the family started (the login); expires_at must be later.
  sys_seconds created_at{};
  sys_seconds expires_at{};  // absolute lifetime: no rotation extends it
  // A family whose current token is not used for this long ends; zero: no idle timeout.
  std::chrono::seconds idle_timeout{0};
  // How long after a rotation the token just consumed may be presented again and receive the same
  // successor (a client retrying after a lost response or a timeout); zero: never. At most
  // max_reuse_interval.
  std::chrono::seconds reuse_interval{0};
  // The RFC 7638 thumbprint of the DPoP key the family is bound to (RFC 9449 §5: set when the
  // first refresh token is issued, never changed); empty: not bound. Every refresh of a bound
  // family must be made with a proof by that key, and of an unbound one without a proof.
  std::string key_thumbprint{};
};

// What consuming a refresh token found: refresh_family_store::consume() states the rules that
// pick one. Only `rotated` and `replayed` hand out a successor.
enum class refresh_verdict {
  rotated,       // the family's current token: spent now, the successor is current
  replayed,      // the token spent just before, presented again inside the reuse interval: answered
                 // with the successor issued then
  reused,        // any other token of the family, spent or never issued (RFC 9700 §4.14.2): the
                 // family is now revoked
  revoked,       // the family's current token, but the family was revoked; or an unknown family
                 // (purged once revoked or ended, or lost with the store)
  expired,       // the family has passed its absolute lifetime or its idle timeout, whatever the
                 // token: nothing of it can be spent any more
  key_mismatch,  // presented with a DPoP key that is not the family's (none counts as one): the
                 // family is now revoked
};

namespace detail {

// A DPoP key binding as a family keeps it: empty (none), or an RFC 7638 SHA-256 thumbprint, 43
// base64url characters.
inline bool is_key_binding(std::string_view thumbprint) noexcept {
  if (thumbprint.empty()) return true;
  if (thumbprint.size() != 43) return false;
  for (const char c : thumbprint) {
    const bool base64url = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                           (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!base64url) return false;
  }
  return true;
}

// What refresh_family_store::start() accepts (its comment states the rules), for every
// implementation.
inline bool is_valid_family(const refresh_family& family) noexcept {
  using std::chrono::seconds;
  return !family.id.empty() && !family.token_id.empty() && family.expires_at > family.created_at &&
         family.idle_timeout >= seconds::zero() && family.reuse_interval >= seconds::zero() &&
         family.reuse_interval <= max_reuse_interval && is_key_binding(family.key_thumbprint);
}

// What refresh_family_store::consume() accepts (its comment states the rules), for every
// implementation.
inline bool is_valid_presentation(std::string_view family_id, std::string_view token_id,
                                  std::string_view successor_id,
                                  std::string_view key_thumbprint) noexcept {
  return !family_id.empty() && !token_id.empty() && !successor_id.empty() &&
         successor_id != token_id && is_key_binding(key_thumbprint);
}

}  // namespace detail

// A refresh token that a rotation hands out, as the family store keeps it: a replay of the token
// it replaced re-issues exactly this (the same `jti`, issue time, application claims and key).
struct refresh_successor {
  std::string id;           // its `jti`
  std::string claims;       // the application's claims it carries, as JSON text; opaque to a store
  sys_seconds issued_at{};  // its `iat`
  // The DPoP key thumbprint of the proof it is presented with and bound to, empty for none: in
  // consume(), the key the presentation was made with (rule 3); in a replay's answer, the
  // family's.
  std::string key_thumbprint{};
};

// The answer of refresh_family_store::consume().
struct refresh_consumption {
  // What the store found; see refresh_verdict.
  refresh_verdict verdict = refresh_verdict::revoked;
  // rotated / replayed: the successor the rotation handed out.
  refresh_successor successor;
};

// The refresh families of sessions: which refresh token of each is current, which were spent,
// and whether the session has ended. Rotation and reuse detection rest on consume().
class refresh_family_store {
 public:
  virtual ~refresh_family_store() = default;

  // Records a new family whose current token is `family.token_id`. errc::invalid_argument: an
  // empty id or token_id, expires_at not after created_at, a negative idle timeout, a reuse
  // interval outside [0, max_reuse_interval], a key_thumbprint neither empty nor 43 base64url
  // characters, or an id that exists already (ids are random; a collision means a caller bug).
  virtual result<void> start(const refresh_family& family) = 0;
  // Presents refresh token `token_id` of family `family_id` at `now`, offering `successor` (issued
  // at `now`: its issued_at is not read) as the next one. These are the rules of every
  // implementation, and the only statement of them; the first that applies decides:
  //  1. an unknown family (never started, purged once ended or revoked, or lost): revoked;
  //  2. a family that has ended at `now`: expired. It ends at expires_at, or, with an idle
  //     timeout, at its last rotation (its start before any) + idle_timeout, whichever comes
  //     first; only a rotation counts as use, never a replay;
  //  3. a `successor.key_thumbprint` other than the family's (refresh_family::key_thumbprint,
  //     empty for either meaning no DPoP key), whatever the token: key_mismatch, and the family is
  //     revoked (if it was not yet). RFC 9449 §5 binds a public client's refresh token to the key
  //     when it is issued: a refresh with no key or another is made by someone who took the token
  //     without the key, and one with a key for an unbound family would bind afterwards a session
  //     that anyone holding its token could have started;
  //  4. the current token: revoked if the family was revoked; otherwise rotated: the token is
  //     spent and `successor` (its id and claims), issued at `now`, becomes the current token;
  //  5. the token the last rotation spent, when the family is not revoked, its reuse interval is
  //     not zero and now - the rotation's time < reuse_interval (a `now` before the rotation,
  //     from a caller whose clock lags, is inside too): replayed, answered with the successor
  //     that rotation handed out (id, claims, issue time, key), as often as it is presented inside
  //     the interval; nothing changes, and `successor` is not used. Both times are the callers'
  //     `now`, not when the store ran the call, so a retry is inside the interval when it was
  //     made inside it, however late a stalled server runs either call;
  //  6. any other token id: reused, and the family is revoked (if it was not yet). A store knows
  //     only the current token and the one spent just before it: an id the family never issued
  //     is as much a sign that its tokens leaked as one spent earlier.
  // Atomic: of any number of concurrent calls with the family's current token, exactly one is
  // `rotated`. Empty ids, a successor id equal to token_id, or a successor key that is neither
  // empty nor a thumbprint (43 base64url characters) are errc::invalid_argument and change
  // nothing.
  // A store may forget a revoked family at any time (the memory store does when it needs room):
  // from then on it is unknown, so rule 1 answers revoked for each of its tokens where rules 2,
  // 3 and 6 would have said expired, key_mismatch or reused. Nothing else changes: every token of
  // it is still refused, no successor is handed out, and is_active() stays false. A live family
  // (neither revoked nor ended) is never forgotten while the store keeps its data.
  virtual result<refresh_consumption> consume(std::string_view family_id, std::string_view token_id,
                                              const refresh_successor& successor,
                                              sys_seconds now) = 0;
  // Ends the family: every token of it is refused from now on. An unknown family succeeds (there
  // is nothing left to end); an empty id is errc::invalid_argument.
  virtual result<void> revoke(std::string_view family_id) = 0;
  // Whether the family exists, is not revoked and has not expired at `now`.
  virtual result<bool> is_active(std::string_view family_id, sys_seconds now) = 0;
};

// The three stores of one deployment, handed to a session manager together
// (session_manager::builder::stores): memory ones for one process, jot::redis::make_stores for
// many.
struct session_stores {
  // The `jti` blocklist, the subjects' token versions and the refresh families.
  std::shared_ptr<revocation_store> revocations;
  std::shared_ptr<token_version_store> versions;
  std::shared_ptr<refresh_family_store> families;
};

JOT_END_NAMESPACE
