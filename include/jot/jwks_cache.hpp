#pragma once

// basic_jwks_cache<Json>: verifies tokens against a remote JWKS (RFC 7517 §5) that the
// application fetches; jot itself does no HTTP and never follows a URL found in a token.
//  - The set is kept for `max_age` (default 10 min), then fetched again.
//  - A token with an unknown kid triggers one refetch, then a retry, whatever its alg: an issuer
//    may rotate to a key of a new algorithm. Only then does the key set's allowlist decide.
//    Refetches happen at most once per `cooldown` (default 30 s), so a flood of made-up kids
//    cannot flood the endpoint.
//  - When a refetch fails (network error, malformed JWKS) the last good set keeps serving.
//  - Off the request path (jwks_cache_options::fetch_on_verify = false): verify() never fetches,
//    so an asynchronous server's I/O thread never waits for the endpoint. The application calls
//    refresh_if_needed() from a timer of its own, or keeps a jwks_refresher
//    (jwks_refresher.hpp); a token with an unknown kid is refused (unknown_key_id) and asks the
//    next refresh to fetch, within the cooldown.
//  - A JWKS holding an HMAC secret (`kty: oct`) is refused (errc::symmetric_key_in_jwks): a
//    fetched JWKS is normally public, and a secret in it lets anyone forge tokens. Only a JWKS
//    that is itself kept secret may opt in (jwks_cache_options::allow_symmetric_keys).
// The claim policy is a validator built (and checked for contradictions) before the cache
// exists. Defaults follow panva/jose's createRemoteJWKSet. Thread-safe: verification reads an
// immutable snapshot without locking; one thread at a time fetches.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "jot/detail/atomic_shared_ptr.hpp"
#include "jot/json.hpp"
#include "jot/key_set.hpp"
#include "jot/result.hpp"
#include "jot/validator.hpp"
#include "jot/verifier.hpp"
#include "jot/verifier_builder.hpp"

JOT_BEGIN_NAMESPACE

// How a jwks_cache refreshes: see the top of this file. A refetch triggered by an unknown kid
// waits for the cooldown too.
struct jwks_cache_options {
  // How long a fetched set is used before it is fetched again, and the least time between two
  // fetches.
  std::chrono::seconds max_age{600};
  std::chrono::seconds cooldown{30};
  // For keys of the JWKS that carry no `alg` (see key_set::from_jwks).
  std::optional<algorithm> default_algorithm;
  // The time source for max_age and cooldown; tests inject one.
  std::function<std::chrono::steady_clock::time_point()> clock;
  // Relaxation (as verifier_builder::allow_missing_kid): with several keys, a token without kid
  // is tried against each key of its algorithm.
  bool allow_missing_kid = false;
  // Relaxation (as jwks_options::allow_symmetric_keys): accept HMAC secrets (`kty: oct`) in the
  // fetched JWKS. Off, such a JWKS fails as errc::symmetric_key_in_jwks (and a refresh that
  // finds one keeps the last good set). Only for a JWKS fetched from a private source.
  bool allow_symmetric_keys = false;
  // Whether verify() may fetch (a stale set, an unknown kid). false: only refresh_if_needed()
  // fetches, off the request path (see the top of this file); verify() before the first fetch
  // is errc::keys_unavailable.
  bool fetch_on_verify = true;
};

// A verifier whose keys come from a JWKS that the application's fetch function downloads; see the
// top of this file. Not copyable (protect() takes it as std::ref(cache)). Most code uses
// jot::jwks_cache.
template <typename Json>
class basic_jwks_cache {
  static_assert(is_basic_json_v<Json>, "Json must be an nlohmann::basic_json specialisation");

 public:
  // Returns the JWKS document text, or an error (errc::keys_unavailable is a good one).
  // Called from at most one thread at a time.
  using fetch_function = std::function<result<std::string>()>;

  // Every verification applies `validator`; each refresh pairs it with the fetched keys.
  basic_jwks_cache(fetch_function fetch, basic_validator<Json> validator,
                   jwks_cache_options options = {})
      : fetch_(std::move(fetch)), validator_(std::move(validator)), options_(std::move(options)) {}

  basic_jwks_cache(const basic_jwks_cache&) = delete;
  basic_jwks_cache& operator=(const basic_jwks_cache&) = delete;

  // As basic_verifier::verify(), with the current key set. errc::keys_unavailable (or the JWKS's
  // own error) when no set could ever be fetched; a failed refresh keeps the last good set.
  result<basic_verified_token<Json>> verify(std::string_view token) {
    auto snap = current(false);
    if (!snap) return snap.error();
    auto verified = (*snap)->verifier.verify(token);
    // Returned as it is, its error with the claim it names (result.hpp).
    if (verified || verified.error() != errc::unknown_key_id) return verified;
    // Perhaps the issuer rotated: fetch once (if the cooldown allows) and try again.
    auto fresh = current(true);
    if (!fresh || *fresh == *snap) return verified;
    return (*fresh)->verifier.verify(token);
  }

  // The key set in use, fetching it first if there is none or it is older than max_age (unless
  // fetch_on_verify is off).
  result<key_set> keys() {
    auto snap = current(false);
    if (!snap) return snap.error();
    return (*snap)->keys;
  }

  // Fetches when there is no set, when it is older than max_age, or when a token with an unknown
  // kid asked for it since the last fetch; at most once per cooldown. For the application's timer
  // (or a jwks_refresher) when fetch_on_verify is off; harmless otherwise. The error of the last
  // fetch when it failed (the last good set, if any, keeps serving).
  result<void> refresh_if_needed() {
    auto snap = fetch_if_needed(snapshot_.load(), unknown_kid_seen_.exchange(false));
    if (!snap) return snap.error();
    std::lock_guard<std::mutex> lock(refresh_mutex_);
    if (last_error_) return last_error_;
    return {};
  }

 private:
  struct snapshot {
    key_set keys;
    basic_verifier<Json> verifier;
    std::chrono::steady_clock::time_point fetched_at;
  };
  using snapshot_ptr = std::shared_ptr<const snapshot>;

  std::chrono::steady_clock::time_point now() const {
    return options_.clock ? options_.clock() : std::chrono::steady_clock::now();
  }

  // The snapshot to use. Refreshes when there is none, when it is stale, or when `unknown_kid`
  // asks for it, but never twice within the cooldown while a snapshot exists; off the request
  // path, only remembers that a kid was unknown.
  result<snapshot_ptr> current(bool unknown_kid) {
    snapshot_ptr snap = snapshot_.load();
    if (!options_.fetch_on_verify) {
      if (unknown_kid) unknown_kid_seen_.store(true);
      if (snap) return snap;
      std::lock_guard<std::mutex> lock(refresh_mutex_);
      return last_error_ ? last_error_ : make_error_code(errc::keys_unavailable);
    }
    return fetch_if_needed(std::move(snap), unknown_kid);
  }

  result<snapshot_ptr> fetch_if_needed(snapshot_ptr snap, bool unknown_kid) {
    const auto time = now();
    if (snap && !unknown_kid && time - snap->fetched_at < options_.max_age) return snap;
    std::lock_guard<std::mutex> lock(refresh_mutex_);
    snapshot_ptr latest = snapshot_.load();
    if (latest != snap && latest) return latest;  // another thread refreshed meanwhile
    if (last_attempt_ && time - *last_attempt_ < options_.cooldown) {
      if (unknown_kid) unknown_kid_seen_.store(true);  // asked again after the cooldown
      if (latest) return latest;
      return last_error_;  // nothing fetched yet: still no flood of fetches while it is down
    }
    last_attempt_ = time;
    auto fetched = refresh(time);
    if (!fetched) {
      last_error_ = fetched.error();
      if (latest) return latest;  // keep serving the last good set
      return fetched.error();
    }
    last_error_.clear();
    snapshot_.store(*fetched);
    return *fetched;
  }

  result<snapshot_ptr> refresh(std::chrono::steady_clock::time_point time) {
    result<std::string> text = errc::keys_unavailable;
    JOT_TRY { text = fetch_(); }
    JOT_CATCH_ALL { text = errc::keys_unavailable; }
    if (!text) return errc::keys_unavailable;
    jwks_options read;
    read.default_algorithm = options_.default_algorithm;
    read.allow_symmetric_keys = options_.allow_symmetric_keys;
    auto keys = key_set::from_jwks(std::string_view(*text), read);
    if (!keys) return keys.error();
    basic_verifier_builder<Json> builder;
    builder.add_keys(*keys).validator(validator_);
    if (options_.allow_missing_kid) builder.allow_missing_kid();
    auto verifier = builder.build();
    if (!verifier) return verifier.error();
    return std::make_shared<const snapshot>(snapshot{std::move(*keys), std::move(*verifier), time});
  }

  fetch_function fetch_;
  basic_validator<Json> validator_;
  jwks_cache_options options_;
  detail::atomic_shared_ptr<const snapshot> snapshot_;
  std::mutex refresh_mutex_;
  std::optional<std::chrono::steady_clock::time_point> last_attempt_;
  std::error_code last_error_;
  std::atomic<bool> unknown_kid_seen_{false};  // a token asked for a fetch since the last one
};

// The JWKS cache of nlohmann::json tokens.
using jwks_cache = basic_jwks_cache<nlohmann::json>;

JOT_END_NAMESPACE
