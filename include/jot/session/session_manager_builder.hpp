#pragma once

// basic_session_manager_builder<Json>: a session manager's keys, audiences, lifetimes and stores,
// stated once at start-up; build() refuses an incomplete or inconsistent configuration.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jot/claims.hpp"
#include "jot/encoder.hpp"
#include "jot/keys.hpp"
#include "jot/result.hpp"
#include "jot/session/detail/session_claims.hpp"
#include "jot/session/detail/session_tokens.hpp"
#include "jot/session/memory_stores.hpp"
#include "jot/session/session_checks.hpp"
#include "jot/session/stores.hpp"
#include "jot/validator.hpp"
#include "jot/verifier.hpp"

JOT_BEGIN_NAMESPACE

template <typename Json>
class basic_session_manager;

// Include session_manager.hpp (or <jot/session.hpp>) to build one: build() needs the manager.
template <typename Json>
class basic_session_manager_builder {
  static_assert(is_basic_json_v<Json>, "Json must be an nlohmann::basic_json specialisation");
  using manager = basic_session_manager<Json>;
  // A revoked token must stay on the memory blocklist for as long as any skew lets it pass.
  static_assert(default_revocation_margin >= basic_validator_builder<Json>::max_clock_skew,
                "the memory blocklist must outlive the largest clock skew");

 public:
  // Required: the `iss` of every token (RFC 9068 §2.2).
  basic_session_manager_builder& issuer(std::string value) {
    return set(issuer_, std::move(value));
  }
  // Required: the `aud` of access tokens, the resource servers (RFC 9068 §2.2).
  basic_session_manager_builder& access_audience(std::string value) {
    return set(access_audience_, std::move(value));
  }
  // The `aud` of refresh tokens: only this manager reads them. Default: the issuer.
  basic_session_manager_builder& refresh_audience(std::string value) {
    return set(refresh_audience_, std::move(value));
  }
  // Required: the OAuth client the access tokens are issued to, their `client_id`, which RFC 9068
  // §2.2 makes REQUIRED in a JWT access token. For a first-party application the client is the
  // application itself (e.g. "web-app"). authenticate() accepts this value only.
  basic_session_manager_builder& client_id(std::string value) {
    return set(client_id_, std::move(value));
  }

  // Required: the key that signs access tokens; services verify with its verification_key().
  basic_session_manager_builder& access_key(signing_key key) {
    access_key_ = std::move(key);
    return *this;
  }
  // The key that signs refresh tokens. Default: the access key. A key of its own is better: a
  // service that can verify access tokens then cannot even check a refresh token's signature.
  basic_session_manager_builder& refresh_key(signing_key key) {
    refresh_key_ = std::move(key);
    return *this;
  }
  // Keys accepted besides the signing keys' own, for a key rotation: tokens signed with the old
  // key stay valid until they expire. Give every key a kid (verifier_builder.hpp).
  basic_session_manager_builder& accept_access_key(verification_key key) {
    accepted_access_keys_.push_back(std::move(key));
    return *this;
  }
  basic_session_manager_builder& accept_refresh_key(verification_key key) {
    accepted_refresh_keys_.push_back(std::move(key));
    return *this;
  }

  // Lifetimes: access tokens (default 15 min) <= refresh tokens (7 days) <= a session (30
  // days, from the login; no rotation extends it).
  basic_session_manager_builder& access_lifetime(std::chrono::seconds value) {
    return set(access_lifetime_, std::move(value));
  }
  basic_session_manager_builder& refresh_lifetime(std::chrono::seconds value) {
    return set(refresh_lifetime_, std::move(value));
  }
  basic_session_manager_builder& session_lifetime(std::chrono::seconds value) {
    return set(session_lifetime_, std::move(value));
  }
  // A session whose refresh token goes unused this long ends (default: none besides the refresh
  // token's own expiry).
  basic_session_manager_builder& idle_timeout(std::chrono::seconds value) {
    return set(idle_timeout_, std::move(value));
  }
  // How long after a refresh the token just spent may be presented again and receive the same
  // successor: a client retrying after a lost response or a store_unavailable, whose first
  // attempt may have spent the token (refresh_family_store::consume() in stores.hpp has the exact
  // rule). 0 (off: such a retry ends the session as a reuse) to max_reuse_interval (60 s);
  // default_reuse_interval (30 s) unless set.
  basic_session_manager_builder& reuse_interval(std::chrono::seconds value) {
    if (value > max_reuse_interval) return fail();
    return set(reuse_interval_, std::move(value));
  }

  // The stores (stores.hpp). Default: a fresh memory store each, for one process; several
  // processes share Redis ones.
  basic_session_manager_builder& revocation_store(std::shared_ptr<jot::revocation_store> store) {
    if (!store) return fail();
    return set(revocations_, std::move(store));
  }
  basic_session_manager_builder& token_version_store(
      std::shared_ptr<jot::token_version_store> store) {
    if (!store) return fail();
    return set(versions_, std::move(store));
  }
  basic_session_manager_builder& refresh_family_store(
      std::shared_ptr<jot::refresh_family_store> store) {
    if (!store) return fail();
    return set(families_, std::move(store));
  }

  // All three at once: builder.stores(jot::redis::make_stores(client)).
  basic_session_manager_builder& stores(const session_stores& all) {
    return revocation_store(all.revocations)
        .token_version_store(all.versions)
        .refresh_family_store(all.families);
  }

  // authenticate() also requires the access token's session to be active: access tokens end
  // with their session (logout, a detected reuse), not only at their expiry, at the cost of one
  // family-store lookup per request.
  basic_session_manager_builder& expect_active_session() {
    expect_active_session_ = true;
    return *this;
  }

  // Relaxations, as in validator.hpp.
  basic_session_manager_builder& allow_clock_skew(std::chrono::seconds skew) {
    clock_skew_ = skew;
    return *this;
  }
  // The time source for issuing, refreshing and verifying (tests, incident replay).
  basic_session_manager_builder& allow_custom_clock(
      std::function<std::chrono::system_clock::time_point()> now) {
    if (!now) return fail();
    clock_ = std::move(now);
    return *this;
  }
  // authenticate() takes an access token as not revoked when the revocation store cannot answer
  // (not_revoked::allow_unavailable_store in session_checks.hpp says what that costs).
  // Refreshing always fails closed.
  basic_session_manager_builder& allow_unavailable_revocation_store() {
    revocation_fail_open_ = true;
    return *this;
  }

  // The manager, or: invalid_argument for a missing issuer, audience, client_id or key, or
  // lifetimes out of order; the verifier builder's error for the keys (missing_key_id with several
  // keys and no kid); out_of_memory.
  result<manager> build() const {
    using namespace std::chrono;
    if (invalid_ || issuer_.empty() || access_audience_.empty() || client_id_.empty() ||
        !access_key_ || access_lifetime_ <= seconds::zero() ||
        refresh_lifetime_ < access_lifetime_ || session_lifetime_ < refresh_lifetime_ ||
        idle_timeout_ < seconds::zero() || reuse_interval_ < seconds::zero()) {
      return errc::invalid_argument;
    }
    JOT_TRY {
      const signing_key& refresh_signer = refresh_key_ ? *refresh_key_ : *access_key_;
      const std::string refresh_audience = refresh_audience_.empty() ? issuer_ : refresh_audience_;
      // The store made here purges by the manager's clock, the one its verifiers read.
      auto revocations = revocations_ ? revocations_
                                      : std::make_shared<memory_revocation_store>(
                                            memory_revocation_store::default_capacity, clock_);
      auto versions = versions_ ? versions_ : std::make_shared<memory_token_version_store>();
      auto families = families_ ? families_ : std::make_shared<memory_refresh_family_store>();

      auto policy = [&](detail::session_token_kind kind, const std::string& audience) {
        basic_validator_builder<Json> validator;
        validator.expect_issuer(issuer_)
            .expect_audience(audience)
            .expect_type(std::string(kind.type_header))
            .expect_claim(std::string(detail::kind_claim), Json(std::string(kind.type_claim)))
            .expect_claim("jti")
            .allow_clock_skew(clock_skew_);
        validator.expect_that([](const basic_check_context<Json>& token) {
          return detail::check_session_facts(token.claims());
        });
        if (clock_) validator.allow_custom_clock(clock_);
        return validator;
      };
      auto with_stores = [&](basic_validator_builder<Json> validator, bool access) {
        not_revoked unrevoked(revocations);
        if (access && revocation_fail_open_) unrevoked.allow_unavailable_store();
        validator.expect_that(unrevoked).expect_that(current_token_version(versions));
        if (access && expect_active_session_) validator.expect_that(active_session(families));
        return validator;
      };
      auto verifier =
          [](const signing_key& key, const std::vector<verification_key>& accepted,
             const basic_validator_builder<Json>& validator) -> result<basic_verifier<Json>> {
        auto own = key.verification_key();
        if (!own) return own.error();
        basic_verifier_builder<Json> builder;
        builder.add_key(std::move(*own)).validator(validator.build());
        for (const auto& extra : accepted) builder.add_key(extra);
        return builder.build();
      };

      // The manager verifies the access tokens it issued, so their client is its own, as their
      // issuer is; a resource server that serves several clients checks `client_id` itself.
      auto access_policy = policy(detail::access_token_kind, access_audience_);
      access_policy.expect_claim(std::string(detail::client_id_claim), Json(client_id_));
      const auto refresh_policy = policy(detail::refresh_token_kind, refresh_audience);
      auto access_verifier =
          verifier(*access_key_, accepted_access_keys_, with_stores(access_policy, true));
      auto refresh_verifier =
          verifier(refresh_signer, accepted_refresh_keys_, with_stores(refresh_policy, false));
      auto access_inspector = verifier(*access_key_, accepted_access_keys_, access_policy);
      auto refresh_inspector = verifier(refresh_signer, accepted_refresh_keys_, refresh_policy);
      for (const auto* built :
           {&access_verifier, &refresh_verifier, &access_inspector, &refresh_inspector}) {
        if (!*built) return built->error();
      }
      using state = typename manager::state;
      typename manager::writer_type writer(
          basic_encoder<Json>(*access_key_, std::string(detail::access_token_kind.type_header)),
          basic_encoder<Json>(refresh_signer, std::string(detail::refresh_token_kind.type_header)),
          detail::session_token_settings{issuer_, access_audience_, refresh_audience, client_id_,
                                         access_lifetime_, refresh_lifetime_, session_lifetime_});
      return manager(std::make_shared<const state>(
          state{std::move(writer), std::move(*access_verifier), std::move(*refresh_verifier),
                std::move(*access_inspector), std::move(*refresh_inspector), std::move(revocations),
                std::move(versions), std::move(families), idle_timeout_, reuse_interval_, clock_}));
    }
    JOT_CATCH_ALL { return errc::out_of_memory; }
  }

 private:
  template <typename Field, typename Value>
  basic_session_manager_builder& set(Field& field, Value&& value) {
    field = std::forward<Value>(value);
    return *this;
  }
  basic_session_manager_builder& fail() {
    invalid_ = true;
    return *this;
  }

  std::string issuer_, access_audience_, refresh_audience_, client_id_;
  std::optional<signing_key> access_key_, refresh_key_;
  std::vector<verification_key> accepted_access_keys_, accepted_refresh_keys_;
  std::chrono::seconds access_lifetime_{std::chrono::minutes(15)};
  std::chrono::seconds refresh_lifetime_{std::chrono::hours(24 * 7)};
  std::chrono::seconds session_lifetime_{std::chrono::hours(24 * 30)};
  std::chrono::seconds idle_timeout_{0};
  std::chrono::seconds reuse_interval_ = default_reuse_interval;
  std::shared_ptr<jot::revocation_store> revocations_;
  std::shared_ptr<jot::token_version_store> versions_;
  std::shared_ptr<jot::refresh_family_store> families_;
  bool expect_active_session_ = false;
  bool revocation_fail_open_ = false;
  std::chrono::seconds clock_skew_{0};
  std::function<std::chrono::system_clock::time_point()> clock_;
  bool invalid_ = false;
};

JOT_END_NAMESPACE
