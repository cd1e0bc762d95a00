#pragma once

// Key rotation by kid, without downtime (RFC 7517 §5 JWKS; RFC 8725 §3.5 key management).
//  - key_ring: the issuer's current signing key plus the verification keys of retired ones, so
//    tokens signed before a rotation keep verifying until they expire.
//  - hot_swap<T>: a slot holding a std::shared_ptr<const T> (a verifier, a key_ring) that
//    request threads read while a rotation stores a new one; readers keep the old object alive
//    until they finish with it.
// Both are safe to use from many threads at once.

#include <cstddef>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "jot/detail/atomic_shared_ptr.hpp"
#include "jot/key_set.hpp"
#include "jot/keys.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

// An issuer's signing keys across rotations: the current one and the retired ones still needed
// to verify. Immutable: rotate() and without() return a new ring (publish it through a hot_swap).
class key_ring {
 public:
  // Every key needs a kid: verifiers choose among them by kid (errc::missing_key_id).
  static result<key_ring> create(signing_key current, std::vector<verification_key> retired = {}) {
    if (!current.key_id()) return errc::missing_key_id;
    auto public_key = current.verification_key();
    if (!public_key) return public_key.error();
    std::vector<verification_key> all{*public_key};
    for (auto& key : retired) {
      if (!key.key_id()) return errc::missing_key_id;
      all.push_back(std::move(key));
    }
    auto keys = key_set::from_keys(std::move(all));
    if (!keys) return keys.error();
    return key_ring(std::move(current), std::move(*keys));
  }

  // The key that signs new tokens.
  const signing_key& current() const noexcept { return current_; }
  // The current key's verification key first, then the retired ones, newest first: what
  // verifiers load and what the JWKS endpoint publishes.
  const key_set& verification_keys() const noexcept { return keys_; }

  // A new ring signing with `next`; the current key retires, and at most `keep_retired` retired
  // keys are kept (drop a key once the longest-lived token it signed has expired).
  result<key_ring> rotate(signing_key next, std::size_t keep_retired = 2) const {
    std::vector<verification_key> retired;
    for (const auto& key : keys_.keys()) {
      if (retired.size() == keep_retired) break;
      retired.push_back(key);
    }
    return create(std::move(next), std::move(retired));
  }

  // A new ring without the retired key `kid` (for example after it leaked). The current key
  // cannot be removed this way: rotate first.
  result<key_ring> without(std::string_view kid) const {
    if (*current_.key_id() == kid) return errc::invalid_argument;
    std::vector<verification_key> retired;
    for (const auto& key : keys_.keys()) {
      if (key.key_id() != current_.key_id() && *key.key_id() != kid) retired.push_back(key);
    }
    if (retired.size() + 1 == keys_.size()) return errc::unknown_key_id;
    return create(current_, std::move(retired));
  }

 private:
  key_ring(signing_key current, key_set keys)
      : current_(std::move(current)), keys_(std::move(keys)) {}

  signing_key current_;
  key_set keys_;
};

// A slot for the current version of an object that a rotation replaces while requests read it.
// Not copyable: share the slot itself.
template <typename T>
class hot_swap {
 public:
  // Holds `initial` until the first store().
  explicit hot_swap(std::shared_ptr<const T> initial) : value_(std::move(initial)) {}
  // Not copyable: every reader must share the one slot a rotation stores into.
  hot_swap(const hot_swap&) = delete;
  hot_swap& operator=(const hot_swap&) = delete;

  // The current object; it stays valid for as long as the caller holds the pointer.
  std::shared_ptr<const T> load() const noexcept { return value_.load(); }
  void store(std::shared_ptr<const T> next) noexcept { value_.store(std::move(next)); }

 private:
  detail::atomic_shared_ptr<const T> value_;
};

JOT_END_NAMESPACE
