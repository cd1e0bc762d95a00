#pragma once

// basic_session_manager<Json>: sessions in a few lines. A login gets a pair of tokens: a
// short-lived access token that services verify on every request, and a refresh token that
// only this manager accepts, which rotates on every use (RFC 9700 §4.14.2):
//
//   auto sessions = jot::session_manager::builder{}
//                       .issuer("https://auth.example.com")
//                       .access_audience("https://api.example.com")
//                       .access_key(access_key)
//                       .refresh_key(refresh_key)
//                       .build();
//   auto pair = sessions->issue_pair("user-42", {{"roles", {"admin"}}});
//   auto next = sessions->refresh(pair->refresh_token);   // a new pair; the old one is spent
//   auto who = sessions->authenticate(next->access_token);
//
// The two kinds cannot stand in for each other (RFC 8725 §3.11-3.12): access tokens follow
// RFC 9068 (`typ: at+jwt`, `iss`, `sub`, `aud`, `exp`, `iat`, `jti`, `client_id` when set) and
// refresh tokens have their own `typ` (`refresh+jwt`) and audience (the issuer, unless set);
// both also carry `"type": "access"|"refresh"` for readers that look for it, `sid` (the session
// id), `ver` (the subject's token version) and `auth_time` (the login, RFC 9068 §2.2.1). The
// application's claims given at login travel in both tokens and are carried into every pair a
// refresh makes (unless the refresh replaces them).
//
// Every token is checked against the three stores (stores.hpp; memory ones unless given): the
// `jti` blocklist (revoke), the subject's token version (logout_everywhere) and the refresh
// family of the session (refresh, reuse detection, revoke_session). Checks fail closed: a store
// that cannot answer is errc::store_unavailable. A flow signs its tokens before it writes to a
// store, so a store that fails loses nothing: the old refresh token stays the current one.
// Immutable after build(); share one between threads.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <openssl/rand.h>
#include <nlohmann/json.hpp>

#include "jot/base64url.hpp"
#include "jot/claims.hpp"
#include "jot/claims_builder.hpp"
#include "jot/detail/compact.hpp"
#include "jot/encoder.hpp"
#include "jot/json.hpp"
#include "jot/keys.hpp"
#include "jot/memory_stores.hpp"
#include "jot/result.hpp"
#include "jot/stores.hpp"
#include "jot/validator.hpp"
#include "jot/verifier.hpp"
#include "jot/verifier_builder.hpp"

JOT_BEGIN_NAMESPACE

// What issue_pair and refresh hand out. The expiries are the tokens' `exp`, for a cookie's
// Max-Age or an OAuth `expires_in` (RFC 6749 §5.1).
struct token_pair {
  std::string access_token;
  sys_seconds access_expires_at{};
  std::string refresh_token;
  sys_seconds refresh_expires_at{};
  std::string session_id;
};

namespace detail {

// The claims the session manager writes itself: an application claim may not take these names.
inline constexpr std::string_view session_claim_names[] = {"type", "sid", "ver", "auth_time",
                                                           "client_id"};

inline bool is_session_claim_name(std::string_view name) {
  return std::find(std::begin(session_claim_names), std::end(session_claim_names), name) !=
         std::end(session_claim_names);
}

// 128 random bits from the OpenSSL CSPRNG, base64url: a `jti` or `sid` no one can guess or
// collide with (RFC 7519 §4.1.7).
inline result<std::string> random_token_id() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return errc::crypto_failure;
  JOT_TRY {
    std::string id;
    base64url_encode_append(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes),
                            id);
    return id;
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }
}

}  // namespace detail

template <typename Json>
class basic_session_manager_builder;

template <typename Json>
class basic_session_manager {
  static_assert(is_basic_json_v<Json>, "Json must be an nlohmann::basic_json specialisation");

 public:
  using builder = basic_session_manager_builder<Json>;
  using json_type = Json;
  using verified_token_type = basic_verified_token<Json>;

  static constexpr std::string_view access_token_type = "at+jwt";
  static constexpr std::string_view refresh_token_type = "refresh+jwt";

  // A new session (a login) for `subject` (not empty): a new refresh family and its first pair.
  // `claims` is a JSON object of the application's claims (roles, scope...), checked as
  // claims_builder checks them; the names the manager writes itself (type, sid, ver, auth_time,
  // client_id) are errc::reserved_claim.
  result<token_pair> issue_pair(std::string_view subject,
                                const Json& claims = Json::object()) const noexcept {
    if (subject.empty()) return errc::invalid_argument;
    JOT_TRY {
      const sys_seconds now = state_->now();
      auto version =
          detail::run_store_operation([&] { return state_->versions->current(subject); });
      if (!version) return version.error();
      auto session_id = detail::random_token_id();
      if (!session_id) return session_id.error();
      const token_facts facts{std::string(subject), *session_id, *version, now, Json()};
      auto pair = sign_pair(facts, claims, now);
      if (!pair) return pair.error();
      refresh_family family;
      family.id = *session_id;
      family.subject = std::string(subject);
      family.token_id = pair->refresh_id;
      family.created_at = now;
      family.expires_at = now + state_->session_lifetime;
      family.idle_timeout = state_->idle_timeout;
      family.reuse_interval = state_->reuse_interval;
      if (auto started =
              detail::run_store_operation([&] { return state_->families->start(family); });
          !started) {
        return started.error();
      }
      return std::move(pair->tokens);
    }
    JOT_CATCH_ALL { return detail::errc_of_current_exception(errc::out_of_memory); }
  }

  // Spends a refresh token and returns the session's next pair (the refresh token rotates). The
  // token must verify as a refresh token of this manager (an access token is type_mismatch), not
  // be revoked, carry its subject's current version, and be its family's current token:
  //  - a token already spent is refresh_token_reused, and ends its session (RFC 9700 §4.14.2):
  //    someone else holds a copy of it; only the token spent just before, presented again inside
  //    the reuse interval, once, receives the same successor instead;
  //  - a token of an ended session is token_revoked; of one past its lifetime, session_expired.
  // `claims`, when given, replaces the application's claims in the new pair.
  result<token_pair> refresh(std::string_view refresh_token,
                             const std::optional<Json>& claims = std::nullopt) const noexcept {
    JOT_TRY {
      auto verified = state_->refresh_verifier.verify(refresh_token);
      if (!verified) return verified.error();
      const token_facts facts = facts_of(*verified);
      const Json& application_claims = claims ? *claims : facts.application_claims;
      const sys_seconds now = state_->now();
      // Signed before the family is touched: if signing fails, the presented token stays current.
      auto pair = sign_pair(facts, application_claims, now);
      if (!pair) return pair.error();
      const std::string presented_id(*verified->claims().jwt_id());
      auto consumed = detail::run_store_operation([&] {
        return state_->families->consume(facts.session_id, presented_id, pair->refresh_id, now);
      });
      if (!consumed) return consumed.error();
      switch (consumed->verdict) {
        case refresh_verdict::rotated:
          return std::move(pair->tokens);
        case refresh_verdict::replayed: {
          // The successor issued for the first presentation, signed again with the same claims.
          auto again = sign_refresh(facts, application_claims, consumed->successor_id,
                                    consumed->successor_issued_at);
          if (!again) return again.error();
          pair->tokens.refresh_token = std::move(again->first);
          pair->tokens.refresh_expires_at = again->second;
          return std::move(pair->tokens);
        }
        case refresh_verdict::reused:
          return errc::refresh_token_reused;
        case refresh_verdict::revoked:
          return errc::token_revoked;
        case refresh_verdict::expired:
          return errc::session_expired;
      }
      return errc::store_unavailable;  // a verdict this version does not know: fail closed
    }
    JOT_CATCH_ALL { return detail::errc_of_current_exception(errc::out_of_memory); }
  }

  // Verifies an access token as the manager's services do: signature, RFC 9068 claims, not
  // revoked, current token version, and (with expect_active_session()) a session not ended.
  // A refresh token is type_mismatch.
  result<verified_token_type> authenticate(std::string_view access_token) const noexcept {
    return state_->access_verifier.verify(access_token);
  }

  // Puts the token's `jti` on the blocklist until its `exp` (RFC 7009 in spirit): an access token
  // is refused from now on; a refresh token can no longer be spent (its session stays, for
  // revoke_session). The token must be one of this manager's, access or refresh; an expired one
  // needs nothing and succeeds.
  result<void> revoke(std::string_view token) const noexcept {
    JOT_TRY {
      auto verified = verify_any_kind(token);
      if (!verified)
        return verified.error() == errc::token_expired ? result<void>() : verified.error();
      const auto& claims = verified->claims();
      return detail::run_store_operation(
          [&] { return state_->revocations->revoke(*claims.jwt_id(), *claims.expires_at()); });
    }
    JOT_CATCH_ALL { return detail::errc_of_current_exception(errc::out_of_memory); }
  }

  // Ends the session a token (access or refresh, of this manager) belongs to: its refresh tokens
  // are refused, and with expect_active_session() its access tokens too. Logout. An expired token
  // still ends its session, which outlives it (a logout after the access token expired).
  result<void> revoke_family(std::string_view token) const noexcept {
    JOT_TRY {
      auto verified = verify_any_kind(token);
      if (verified) return revoke_session(facts_of(*verified).session_id);
      if (verified.error() != errc::token_expired) return verified.error();
      auto session = session_of_expired(token);
      if (!session) return session.error();
      return revoke_session(*session);
    }
    JOT_CATCH_ALL { return detail::errc_of_current_exception(errc::out_of_memory); }
  }

  // Ends a session by its id (token_pair::session_id, the `sid` claim): for an administrator.
  result<void> revoke_session(std::string_view session_id) const noexcept {
    return detail::run_store_operation([&] { return state_->families->revoke(session_id); });
  }

  // Bumps the subject's token version: every token issued to it so far, access or refresh, is
  // refused from now on (token_version_mismatch). Logout everywhere, a password change. Returns
  // the new version.
  result<std::uint64_t> logout_everywhere(std::string_view subject) const noexcept {
    return detail::run_store_operation([&] { return state_->versions->bump(subject); });
  }

 private:
  friend class basic_session_manager_builder<Json>;

  struct state {
    basic_encoder<Json> access_encoder;
    basic_encoder<Json> refresh_encoder;
    basic_verifier<Json> access_verifier;
    basic_verifier<Json> refresh_verifier;
    // The same without the store checks: what revoke and revoke_family accept.
    basic_verifier<Json> access_inspector;
    basic_verifier<Json> refresh_inspector;
    std::shared_ptr<revocation_store> revocations;
    std::shared_ptr<token_version_store> versions;
    std::shared_ptr<refresh_family_store> families;
    std::string issuer;
    std::string access_audience;
    std::string refresh_audience;
    std::optional<std::string> client_id;
    std::chrono::seconds access_lifetime;
    std::chrono::seconds refresh_lifetime;
    std::chrono::seconds session_lifetime;
    std::chrono::seconds idle_timeout;
    std::chrono::seconds reuse_interval;
    std::function<std::chrono::system_clock::time_point()> clock;

    sys_seconds now() const {
      return std::chrono::time_point_cast<std::chrono::seconds>(
          clock ? clock() : std::chrono::system_clock::now());
    }
  };

  // What a pair is made from: the session's facts, fixed at login, and the application's claims.
  struct token_facts {
    std::string subject;
    std::string session_id;
    std::uint64_t version;
    sys_seconds auth_time;
    Json application_claims;
  };

  struct signed_pair {
    token_pair tokens;
    std::string refresh_id;
  };

  explicit basic_session_manager(std::shared_ptr<const state> s) : state_(std::move(s)) {}

  // The facts of a verified token of this manager; the verifiers made sure they are present.
  static token_facts facts_of(const verified_token_type& token) {
    const Json& all = token.claims().json();
    token_facts facts{
        std::string(*token.claims().subject()), all.at("sid").template get<std::string>(),
        all.at("ver").template get<std::uint64_t>(),
        sys_seconds(std::chrono::seconds(all.at("auth_time").template get<std::int64_t>())),
        Json::object()};
    for (auto it = all.begin(); it != all.end(); ++it) {
      if (!detail::is_reserved_claim_name(it.key()) && !detail::is_session_claim_name(it.key())) {
        facts.application_claims[it.key()] = it.value();
      }
    }
    return facts;
  }

  // A token of this manager of either kind, store checks aside. typ is checked before the
  // signature, so trying the second kind costs no signature check.
  result<verified_token_type> verify_any_kind(std::string_view token) const {
    auto access = state_->access_inspector.verify(token);
    if (access || access.error() != errc::type_mismatch) return access;
    return state_->refresh_inspector.verify(token);
  }

  // The `sid` of a token the verifier found expired. The verifier decides token_expired only after
  // the signature held and the payload parsed (verifier.hpp, steps 6 and 7), so the token is
  // authentic and its payload may be read.
  static result<std::string> session_of_expired(std::string_view token) {
    const auto segments = detail::split_compact(token);
    std::string payload_bytes;
    if (!segments || !detail::base64url_decode_append(segments->payload, payload_bytes)) {
      return errc::malformed_token;
    }
    auto payload = parse_json_object<Json>(payload_bytes);
    if (!payload) return payload.error();
    const auto sid = payload->find("sid");
    if (sid == payload->end()) return errc::missing_claim;
    if (!sid->is_string()) return errc::invalid_claim_type;
    return sid->template get<std::string>();
  }

  // The claims both kinds share, then the application's.
  result<basic_claims<Json>> claims_for(const token_facts& facts, const Json& application_claims,
                                        std::string_view kind, const std::string& audience,
                                        const std::string& token_id, sys_seconds issued_at,
                                        sys_seconds expires_at) const {
    if (!application_claims.is_object()) return errc::invalid_argument;
    basic_claims_builder<Json> builder(issued_at);
    builder.issuer(state_->issuer)
        .subject(facts.subject)
        .audience(audience)
        .jwt_id(token_id)
        .expires_at(expires_at)
        .claim("type", Json(std::string(kind)))
        .claim("sid", Json(facts.session_id))
        .claim("ver", Json(facts.version))
        .claim("auth_time", Json(facts.auth_time.time_since_epoch().count()));
    if (state_->client_id && kind == "access") builder.claim("client_id", Json(*state_->client_id));
    for (auto it = application_claims.begin(); it != application_claims.end(); ++it) {
      if (detail::is_session_claim_name(it.key())) return errc::reserved_claim;
      builder.claim(it.key(), it.value());
    }
    return builder.build();
  }

  // A refresh token expires after its lifetime, and never after its session does.
  result<std::pair<std::string, sys_seconds>> sign_refresh(const token_facts& facts,
                                                           const Json& application_claims,
                                                           const std::string& token_id,
                                                           sys_seconds issued_at) const {
    const sys_seconds expires_at =
        std::min(issued_at + state_->refresh_lifetime, facts.auth_time + state_->session_lifetime);
    auto claims = claims_for(facts, application_claims, "refresh", state_->refresh_audience,
                             token_id, issued_at, expires_at);
    if (!claims) return claims.error();
    auto token = state_->refresh_encoder.sign(*claims);
    if (!token) return token.error();
    return std::make_pair(std::move(*token), expires_at);
  }

  result<signed_pair> sign_pair(const token_facts& facts, const Json& application_claims,
                                sys_seconds now) const {
    auto access_id = detail::random_token_id();
    if (!access_id) return access_id.error();
    auto refresh_id = detail::random_token_id();
    if (!refresh_id) return refresh_id.error();
    signed_pair pair;
    pair.refresh_id = *refresh_id;
    pair.tokens.session_id = facts.session_id;
    pair.tokens.access_expires_at = now + state_->access_lifetime;
    auto access_claims = claims_for(facts, application_claims, "access", state_->access_audience,
                                    *access_id, now, pair.tokens.access_expires_at);
    if (!access_claims) return access_claims.error();
    auto access = state_->access_encoder.sign(*access_claims);
    if (!access) return access.error();
    pair.tokens.access_token = std::move(*access);
    auto refresh = sign_refresh(facts, application_claims, *refresh_id, now);
    if (!refresh) return refresh.error();
    pair.tokens.refresh_token = std::move(refresh->first);
    pair.tokens.refresh_expires_at = refresh->second;
    return pair;
  }

  std::shared_ptr<const state> state_;
};

template <typename Json>
class basic_session_manager_builder {
  static_assert(is_basic_json_v<Json>, "Json must be an nlohmann::basic_json specialisation");
  using manager = basic_session_manager<Json>;

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
  // The OAuth client the access tokens are issued to (RFC 9068 §2.2 `client_id`).
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
  // How long after a refresh the token just spent may be presented once more and receive the
  // same successor (a client retrying after a lost response): 0 (default, off) to
  // max_reuse_interval (60 s). Any other reuse ends the session.
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
  // (validator.hpp says what that costs). Refreshing always fails closed.
  basic_session_manager_builder& allow_unavailable_revocation_store() {
    revocation_fail_open_ = true;
    return *this;
  }

  // The manager, or: invalid_argument for a missing issuer, audience or key, or lifetimes out of
  // order; the verifier builder's error for the keys (missing_key_id with several keys and no
  // kid); out_of_memory.
  result<manager> build() const {
    using namespace std::chrono;
    if (invalid_ || issuer_.empty() || access_audience_.empty() || !access_key_ ||
        access_lifetime_ <= seconds::zero() || refresh_lifetime_ < access_lifetime_ ||
        session_lifetime_ < refresh_lifetime_ || idle_timeout_ < seconds::zero() ||
        reuse_interval_ < seconds::zero()) {
      return errc::invalid_argument;
    }
    JOT_TRY {
      const signing_key& refresh_signer = refresh_key_ ? *refresh_key_ : *access_key_;
      const std::string refresh_audience = refresh_audience_.empty() ? issuer_ : refresh_audience_;
      auto revocations = revocations_ ? revocations_ : std::make_shared<memory_revocation_store>();
      auto versions = versions_ ? versions_ : std::make_shared<memory_token_version_store>();
      auto families = families_ ? families_ : std::make_shared<memory_refresh_family_store>();

      auto policy = [&](std::string_view type, const std::string& audience) {
        auto validator =
            basic_validator_builder<Json>{}
                .expect_issuer(issuer_)
                .expect_audience(audience)
                .expect_type(std::string(type))
                .expect_claim(
                    "type",
                    Json(std::string(type == manager::access_token_type ? "access" : "refresh")))
                .require_claim("jti")
                .expect_claim_that("sid", [](const Json& v) { return v.is_string(); })
                .expect_claim_that("ver", is_version)
                .expect_claim_that("auth_time",
                                   [](const Json& v) { return numeric_date(v).has_value(); })
                .allow_clock_skew(clock_skew_);
        if (clock_) validator.allow_custom_clock(clock_);
        return validator;
      };
      auto with_stores = [&](basic_validator_builder<Json> validator, bool access) {
        validator.expect_not_revoked(revocations).expect_token_version(versions);
        if (access && revocation_fail_open_) validator.allow_unavailable_revocation_store();
        if (access && expect_active_session_) validator.expect_active_session(families);
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

      const auto access_policy = policy(manager::access_token_type, access_audience_);
      const auto refresh_policy = policy(manager::refresh_token_type, refresh_audience);
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
      return manager(std::make_shared<const state>(state{
          basic_encoder<Json>(*access_key_, std::string(manager::access_token_type)),
          basic_encoder<Json>(refresh_signer, std::string(manager::refresh_token_type)),
          std::move(*access_verifier), std::move(*refresh_verifier), std::move(*access_inspector),
          std::move(*refresh_inspector), std::move(revocations), std::move(versions),
          std::move(families), issuer_, access_audience_, refresh_audience,
          client_id_.empty() ? std::nullopt : std::optional<std::string>(client_id_),
          access_lifetime_, refresh_lifetime_, session_lifetime_, idle_timeout_, reuse_interval_,
          clock_}));
    }
    JOT_CATCH_ALL { return errc::out_of_memory; }
  }

 private:
  static bool is_version(const Json& value) {
    return value.is_number_unsigned() ||
           (value.is_number_integer() && value.template get<std::int64_t>() >= 0);
  }

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
  std::chrono::seconds reuse_interval_{0};
  std::shared_ptr<jot::revocation_store> revocations_;
  std::shared_ptr<jot::token_version_store> versions_;
  std::shared_ptr<jot::refresh_family_store> families_;
  bool expect_active_session_ = false;
  bool revocation_fail_open_ = false;
  std::chrono::seconds clock_skew_{0};
  std::function<std::chrono::system_clock::time_point()> clock_;
  bool invalid_ = false;
};

using session_manager = basic_session_manager<nlohmann::json>;

JOT_END_NAMESPACE
