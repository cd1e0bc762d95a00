#pragma once

// The session checks a validator runs last (basic_validator_builder::expect_that, token_check.hpp),
// each a store lookup per token (stores.hpp):
//
//   jot::validator::builder{}
//       .expect_that(jot::not_revoked(revocations))              // the `jti` blocklist
//       .expect_that(jot::current_token_version(versions))       // `ver` against the subject's
//       .expect_that(jot::active_session(families))              // `sid` names a live session
//
// A session manager installs them itself; a resource service that verifies the manager's access
// tokens with its own verifier adds them like this. A check without a store makes the validator's
// build() fail. Each fails closed: a store that cannot answer (or throws) rejects the token with
// store_unavailable, a Redis store refusing a server that may evict keys with store_evicts (a
// configuration to fix, passed on as it is so that it is seen). A claim a check needs
// that is absent is missing_claim; of the wrong type, invalid_claim_type. Copies share the store;
// the checks are as thread-safe as the stores, which the store contract makes fully so.

#include <memory>
#include <utility>

#include "jot/result.hpp"
#include "jot/session/detail/session_claims.hpp"
#include "jot/session/stores.hpp"
#include "jot/token_check.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {
// What a check reports when its store gave no answer (see the top of this file).
inline errc store_check_error(const error_info& error) noexcept {
  return error == errc::store_evicts ? errc::store_evicts : errc::store_unavailable;
}
}  // namespace detail

// The token's `jti` must not be on the blocklist (token_revoked).
class not_revoked {
 public:
  // Asks `store`, which the check shares (validators are copied freely).
  explicit not_revoked(std::shared_ptr<revocation_store> store) : store_(std::move(store)) {}

  // Relaxation: fail open for the blocklist alone. When the store cannot answer, the token is taken
  // as not revoked, so a revoked token is accepted for as long as the store is down, which an
  // attacker who can disturb the store may arrange (docs/sessions.md). Not for store_evicts: a
  // server refused for its eviction policy is no outage, and failing open would last until the
  // policy is fixed.
  not_revoked& allow_unavailable_store() {
    fail_open_ = true;
    return *this;
  }

  // False without a store: expect_that() then refuses to build.
  explicit operator bool() const noexcept { return store_ != nullptr; }

  // The check the validator runs: missing_claim or invalid_claim_type without a string `jti`,
  // token_revoked when it is on the blocklist, store_unavailable when the store cannot answer.
  template <typename Json>
  result<void> operator()(const basic_check_context<Json>& token) const {
    const auto jti = detail::string_claim(token.claims(), "jti");
    if (!jti) return jti.error();
    const auto revoked = detail::run_store_operation([&]() -> result<bool> {
      if (!store_) return errc::store_unavailable;
      return store_->is_revoked(*jti);
    });
    if (!revoked) {
      const errc failure = detail::store_check_error(revoked.error());
      if (fail_open_ && failure == errc::store_unavailable) return {};
      return failure;
    }
    if (*revoked) return errc::token_revoked;
    return {};
  }

 private:
  std::shared_ptr<revocation_store> store_;
  bool fail_open_ = false;
};

// The token's `ver` (an integer >= 0) must equal the current version of its `sub`
// (token_version_mismatch): a version bump rejects every token issued before it.
class current_token_version {
 public:
  // Asks `store`, which the check shares (validators are copied freely).
  explicit current_token_version(std::shared_ptr<token_version_store> store)
      : store_(std::move(store)) {}

  // False without a store: expect_that() then refuses to build.
  explicit operator bool() const noexcept { return store_ != nullptr; }

  // The check the validator runs: missing_claim or invalid_claim_type without a string `sub` and
  // an integer `ver`, token_version_mismatch for an old version, store_unavailable when the store
  // cannot answer.
  template <typename Json>
  result<void> operator()(const basic_check_context<Json>& token) const {
    const auto subject = detail::string_claim(token.claims(), "sub");
    if (!subject) return subject.error();
    const auto version = detail::token_version_of(token.claims());
    if (!version) return version.error();
    const auto current = detail::run_store_operation([&]() -> result<std::uint64_t> {
      if (!store_) return errc::store_unavailable;
      return store_->current(*subject);
    });
    if (!current) return detail::store_check_error(current.error());
    if (*version != *current) return errc::token_version_mismatch;
    return {};
  }

 private:
  std::shared_ptr<token_version_store> store_;
};

// The token's `sid` must name an active refresh family at the validator's clock (token_revoked):
// access tokens end with the session they were issued in, not only at their own expiry.
class active_session {
 public:
  // Asks `store`, which the check shares (validators are copied freely).
  explicit active_session(std::shared_ptr<refresh_family_store> store) : store_(std::move(store)) {}

  // False without a store: expect_that() then refuses to build.
  explicit operator bool() const noexcept { return store_ != nullptr; }

  // The check the validator runs: missing_claim or invalid_claim_type without a string `sid`,
  // token_revoked when its session has ended, store_unavailable when the store cannot answer.
  template <typename Json>
  result<void> operator()(const basic_check_context<Json>& token) const {
    const auto session = detail::string_claim(token.claims(), detail::session_id_claim);
    if (!session) return session.error();
    const auto active = detail::run_store_operation([&]() -> result<bool> {
      if (!store_) return errc::store_unavailable;
      return store_->is_active(*session, token.now());
    });
    if (!active) return detail::store_check_error(active.error());
    if (!*active) return errc::token_revoked;
    return {};
  }

 private:
  std::shared_ptr<refresh_family_store> store_;
};

JOT_END_NAMESPACE
