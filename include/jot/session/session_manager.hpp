#pragma once

// basic_session_manager<Json>: sessions in a few lines. A login gets a pair of tokens: a
// short-lived access token that services verify on every request, and a refresh token that
// only this manager accepts, which rotates on every use (RFC 9700 §4.14.2):
//
//   auto sessions = jot::session_manager::builder{}
//                       .issuer("https://auth.example.com")
//                       .access_audience("https://api.example.com")
//                       .client_id("web-app")
//                       .access_key(access_key)
//                       .refresh_key(refresh_key)
//                       .build();
//   auto pair = sessions->issue_pair("user-42", {{"roles", {"admin"}}});
//   auto next = sessions->refresh(pair->refresh_token);   // a new pair; the old one is spent
//   auto who = sessions->authenticate(next->access_token);
//
// The two kinds cannot stand in for each other (RFC 8725 §3.11-3.12): access tokens follow
// RFC 9068 (`typ: at+jwt`, `iss`, `sub`, `aud`, `exp`, `iat`, `jti`, `client_id`) and
// refresh tokens have their own `typ` (`refresh+jwt`) and audience (the issuer, unless set);
// both also carry `"type": "access"|"refresh"` for readers that look for it, `sid` (the session
// id), `ver` (the subject's token version) and `auth_time` (the login, RFC 9068 §2.2.1). The
// application's claims given at login travel in both tokens and are carried into every pair a
// refresh makes (unless the refresh replaces them).
//
// Every token is checked against the three stores (stores.hpp; memory ones unless given): the
// `jti` blocklist (revoke), the subject's token version (logout_everywhere) and the refresh
// family of the session (refresh, reuse detection, end_session). Checks fail closed: a store
// that cannot answer is errc::store_unavailable. A flow signs its tokens before it writes to a
// store, so a store that fails loses nothing: the old refresh token stays the current one.
// Immutable after build() (session_manager_builder.hpp); share one between threads.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "jot/claims.hpp"
#include "jot/json.hpp"
#include "jot/result.hpp"
#include "jot/session/detail/session_state.hpp"
#include "jot/session/detail/session_tokens.hpp"
#include "jot/session/dpop_binding.hpp"
#include "jot/session/session_manager_builder.hpp"
#include "jot/session/stores.hpp"
#include "jot/session/token_pair.hpp"
#include "jot/verified_token.hpp"
#include "jot/verifier.hpp"

JOT_BEGIN_NAMESPACE

// Issues, refreshes, authenticates and ends sessions; see the top of this file. Copies share one
// state. Most code uses jot::session_manager.
template <typename Json>
class basic_session_manager {
  static_assert(is_basic_json_v<Json>, "Json must be an nlohmann::basic_json specialisation");

 public:
  // jot::session_manager::builder{} makes one (session_manager_builder.hpp); the JSON type of its
  // tokens, and the verified token that authenticate() returns.
  using builder = basic_session_manager_builder<Json>;
  using json_type = Json;
  using verified_token_type = basic_verified_token<Json>;

  // The `typ` headers of the two kinds.
  static constexpr std::string_view access_token_type = detail::access_token_kind.type_header;
  static constexpr std::string_view refresh_token_type = detail::refresh_token_kind.type_header;

  // A new session (a login) for `subject` (not empty): a new refresh family and its first pair.
  // `claims` is a JSON object of the application's claims (roles, scope...), checked as
  // claims_builder checks them; the names the manager writes itself (type, sid, ver, auth_time,
  // client_id, cnf) are errc::reserved_claim.
  result<token_pair> issue_pair(std::string_view subject,
                                const Json& claims = Json::object()) const noexcept {
    return start_session(subject, claims, {});
  }

  // The same, bound to the DPoP key of the login request's proof (RFC 9449 §5, §6.1): its access
  // tokens carry `cnf: {"jkt": key.thumbprint()}`, and its refresh family records the key, so
  // every refresh of the session needs a proof by that key (refresh() below).
  result<token_pair> issue_pair(std::string_view subject, const Json& claims,
                                const dpop::proven_key& key) const noexcept {
    return start_session(subject, claims, key.thumbprint());
  }

  // Spends a refresh token of a session not bound to a DPoP key and returns the session's next pair
  // (the refresh token rotates). The token must verify as a refresh token of this manager (an
  // access token is type_mismatch), not be revoked and carry its subject's current version; then
  // the family store's verdict (refresh_family_store::consume() in stores.hpp states the rules)
  // decides: rotated, the new pair; replayed, the refresh token handed out before (same id, issue
  // time and claims) with a fresh access token of those claims; reused, refresh_token_reused, and
  // the session has ended (RFC 9700 §4.14.2: someone else holds a copy of the token); key_mismatch,
  // dpop_session_key_mismatch, and the session has ended (a bound session's token presented without
  // its key was taken); revoked, token_revoked; expired, session_expired. `claims`, when given,
  // replaces the application's claims in the new pair (not in a replay, which hands out what the
  // first presentation got). store_unavailable means the outcome is unknown: the store may still
  // spend the token when it gets to the call. Retrying with the same token inside the reuse
  // interval is safe either way (it rotates, or replays what the first attempt was given); after
  // it, a spent token is a reuse.
  result<token_pair> refresh(std::string_view refresh_token,
                             const std::optional<Json>& claims = std::nullopt) const noexcept {
    return rotate(refresh_token, claims, {});
  }

  // The same for a session bound to a DPoP key, with the key of the refresh request's proof: the
  // new access token is bound to it, and so is a replay's. A session bound to another key, or to
  // none (a proof does not bind a session after its login, RFC 9449 §5), is
  // dpop_session_key_mismatch and ends.
  result<token_pair> refresh(std::string_view refresh_token, const dpop::proven_key& key,
                             const std::optional<Json>& claims = std::nullopt) const noexcept {
    return rotate(refresh_token, claims, key.thumbprint());
  }

  // Verifies an access token as the manager's services do: signature, RFC 9068 claims, not
  // revoked, current token version, and (with expect_active_session()) a session not ended.
  // A refresh token is type_mismatch; a token bound to a DPoP key is dpop_proof_required (RFC
  // 9449 §7.1: a bound token is not accepted as a Bearer token).
  result<verified_token_type> authenticate(std::string_view access_token) const noexcept {
    auto verified = state_->access_verifier.verify(access_token);
    if (verified && dpop::is_key_bound(verified->claims())) return errc::dpop_proof_required;
    return verified;
  }

  // The same for a token presented with a DPoP proof, given the proof's key: the token must be
  // bound to it (dpop::check_binding: dpop_key_mismatch for another key or an unbound token).
  result<verified_token_type> authenticate(std::string_view access_token,
                                           const dpop::proven_key& key) const noexcept {
    auto verified = state_->access_verifier.verify(access_token);
    if (!verified) return verified;
    if (auto bound = dpop::check_binding(verified->claims(), key); !bound) return bound.error();
    return verified;
  }

  // Puts the token's `jti` on the blocklist until its `exp` (RFC 7009 in spirit): an access token
  // is refused from now on; a refresh token can no longer be spent (its session stays, for
  // end_session). The token must be one of this manager's, access or refresh; an expired one
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
  result<void> end_session(std::string_view token) const noexcept {
    JOT_TRY {
      auto verified = verify_any_kind(token);
      if (verified) return end_session_by_id(writer_type::facts_of(*verified).session_id);
      if (verified.error() != errc::token_expired) return verified.error();
      auto session = writer_type::session_of_expired(token);
      if (!session) return session.error();
      return end_session_by_id(*session);
    }
    JOT_CATCH_ALL { return detail::errc_of_current_exception(errc::out_of_memory); }
  }

  // Ends a session by its id (token_pair::session_id, the `sid` claim): for an administrator.
  result<void> end_session_by_id(std::string_view session_id) const noexcept {
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
  using writer_type = detail::session_token_writer<Json>;
  using facts_type = typename writer_type::facts_type;

  using state = detail::session_state<Json>;

  explicit basic_session_manager(std::shared_ptr<const state> s) : state_(std::move(s)) {}

  // issue_pair(), bound to the DPoP key `key_thumbprint` unless it is empty.
  result<token_pair> start_session(std::string_view subject, const Json& claims,
                                   std::string_view key_thumbprint) const noexcept {
    if (subject.empty()) return errc::invalid_argument;
    JOT_TRY {
      const sys_seconds now = state_->now();
      auto version =
          detail::run_store_operation([&] { return state_->versions->current(subject); });
      if (!version) return version.error();
      auto session_id = detail::random_token_id();
      if (!session_id) return session_id.error();
      auto refresh_id = detail::random_token_id();
      if (!refresh_id) return refresh_id.error();
      const facts_type facts{std::string(subject), *session_id, *version, now, Json()};
      const refresh_successor first{std::move(*refresh_id), std::string(), now,
                                    std::string(key_thumbprint)};
      auto pair = state_->writer.sign_pair(facts, claims, first, now);
      if (!pair) return pair.error();
      refresh_family family;
      family.id = *session_id;
      family.subject = std::string(subject);
      family.token_id = first.id;
      family.created_at = now;
      family.expires_at = now + state_->writer.settings().session_lifetime;
      family.idle_timeout = state_->idle_timeout;
      family.reuse_interval = state_->reuse_interval;
      family.key_thumbprint = std::string(key_thumbprint);
      if (auto started =
              detail::run_store_operation([&] { return state_->families->start(family); });
          !started) {
        return started.error();
      }
      return std::move(*pair);
    }
    JOT_CATCH_ALL { return detail::errc_of_current_exception(errc::out_of_memory); }
  }

  // refresh(), presented with the DPoP key `key_thumbprint` (none when empty).
  result<token_pair> rotate(std::string_view refresh_token, const std::optional<Json>& claims,
                            std::string_view key_thumbprint) const noexcept {
    JOT_TRY {
      auto verified = state_->refresh_verifier.verify(refresh_token);
      if (!verified) return verified.error();
      const facts_type facts = writer_type::facts_of(*verified);
      const Json& application_claims = claims ? *claims : facts.application_claims;
      const sys_seconds now = state_->now();
      auto successor_id = detail::random_token_id();
      if (!successor_id) return successor_id.error();
      refresh_successor offered{std::move(*successor_id), std::string(), now,
                                std::string(key_thumbprint)};
      // Signed before the family is touched: if signing fails, the presented token stays current.
      auto pair = state_->writer.sign_pair(facts, application_claims, offered, now);
      if (!pair) return pair.error();
      offered.claims = application_claims.dump();  // what a replay of this rotation re-issues
      const std::string presented_id(*verified->claims().jwt_id());
      auto consumed = detail::run_store_operation(
          [&] { return state_->families->consume(facts.session_id, presented_id, offered, now); });
      if (!consumed) return consumed.error();
      switch (consumed->verdict) {
        case refresh_verdict::rotated:
          return std::move(*pair);
        case refresh_verdict::replayed: {
          // Claims a store gives back that do not parse mean its data is not what was written.
          auto replayed_claims = parse_json_object<Json>(consumed->successor.claims);
          if (!replayed_claims) return errc::store_unavailable;
          return state_->writer.sign_pair(facts, *replayed_claims, consumed->successor, now);
        }
        case refresh_verdict::reused:
          return errc::refresh_token_reused;
        case refresh_verdict::key_mismatch:
          return errc::dpop_session_key_mismatch;
        case refresh_verdict::revoked:
          return errc::token_revoked;
        case refresh_verdict::expired:
          return errc::session_expired;
      }
      return errc::store_unavailable;  // a verdict this version does not know: fail closed
    }
    JOT_CATCH_ALL { return detail::errc_of_current_exception(errc::out_of_memory); }
  }

  // A token of this manager of either kind, store checks aside. typ is checked before the
  // signature, so trying the second kind costs no signature check.
  result<verified_token_type> verify_any_kind(std::string_view token) const {
    auto access = state_->access_inspector.verify(token);
    if (access || access.error() != errc::type_mismatch) return access;
    return state_->refresh_inspector.verify(token);
  }

  std::shared_ptr<const state> state_;
};

// The session manager of nlohmann::json tokens.
using session_manager = basic_session_manager<nlohmann::json>;

JOT_END_NAMESPACE
