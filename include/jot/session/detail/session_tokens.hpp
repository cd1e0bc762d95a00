#pragma once

// How a session manager writes its tokens (session_manager.hpp): the claims both kinds share, the
// lifetimes, the random ids, and reading them back from a verified token.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "jot/base64url.hpp"
#include "jot/claims.hpp"
#include "jot/detail/compact.hpp"
#include "jot/detail/random_id.hpp"
#include "jot/encoder.hpp"
#include "jot/json.hpp"
#include "jot/result.hpp"
#include "jot/session/detail/session_claims.hpp"
#include "jot/session/stores.hpp"
#include "jot/session/token_pair.hpp"
#include "jot/verified_token.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

// What the tokens say besides the application's claims, and for how long they are good.
struct session_token_settings {
  std::string issuer;
  std::string access_audience;
  std::string refresh_audience;
  std::string client_id;  // access tokens only
  std::chrono::seconds access_lifetime;
  std::chrono::seconds refresh_lifetime;
  std::chrono::seconds session_lifetime;
};

// What a pair is made from: the session's facts, fixed at login, and the application's claims.
template <typename Json>
struct session_token_facts {
  std::string subject;
  std::string session_id;
  std::uint64_t version;
  sys_seconds auth_time;
  Json application_claims;
};

template <typename Json>
class session_token_writer {
 public:
  using facts_type = session_token_facts<Json>;

  session_token_writer(basic_encoder<Json> access, basic_encoder<Json> refresh,
                       session_token_settings settings)
      : access_(std::move(access)), refresh_(std::move(refresh)), settings_(std::move(settings)) {}

  const session_token_settings& settings() const noexcept { return settings_; }

  // The facts of a verified token of the manager; its verifiers made sure they are present.
  static facts_type facts_of(const basic_verified_token<Json>& token) {
    const Json& all = token.claims().json();
    facts_type facts{std::string(*token.claims().subject()),
                     all.at(session_id_claim).template get<std::string>(),
                     all.at(token_version_claim).template get<std::uint64_t>(),
                     *numeric_date(all.at(auth_time_claim)), Json::object()};
    for (auto it = all.begin(); it != all.end(); ++it) {
      if (!is_reserved_claim_name(it.key()) && !is_session_claim_name(it.key())) {
        facts.application_claims[it.key()] = it.value();
      }
    }
    return facts;
  }

  // The `sid` of a token the verifier found expired. The verifier decides token_expired only after
  // the signature held and the payload parsed (verifier.hpp, steps 6 and 7), so the token is
  // authentic and its payload may be read.
  static result<std::string> session_of_expired(std::string_view token) {
    const auto segments = split_compact(token);
    std::string payload_bytes;
    if (!segments || !base64url_decode_append(segments->payload, payload_bytes)) {
      return errc::malformed_token;
    }
    auto payload = parse_json_object<Json>(payload_bytes);
    if (!payload) return payload.error();
    auto session = string_claim(*payload, session_id_claim);
    if (!session) return session.error();
    return std::string(*session);
  }

  // A refresh token expires after its lifetime, and never after its session does.
  result<std::pair<std::string, sys_seconds>> sign_refresh(const facts_type& facts,
                                                           const Json& application_claims,
                                                           const std::string& token_id,
                                                           sys_seconds issued_at) const {
    const sys_seconds expires_at = std::min(issued_at + settings_.refresh_lifetime,
                                            facts.auth_time + settings_.session_lifetime);
    auto claims = claims_for(facts, application_claims, refresh_token_kind,
                             settings_.refresh_audience, token_id, issued_at, expires_at, {});
    if (!claims) return claims.error();
    auto token = refresh_.sign(*claims);
    if (!token) return token.error();
    return std::make_pair(std::move(*token), expires_at);
  }

  // An access token with a fresh id, issued at `now`, bound to the DPoP key `key_thumbprint`
  // (none when empty), into `tokens`.
  result<void> sign_access(const facts_type& facts, const Json& application_claims,
                           std::string_view key_thumbprint, sys_seconds now,
                           token_pair& tokens) const {
    auto access_id = random_token_id();
    if (!access_id) return access_id.error();
    tokens.session_id = facts.session_id;
    tokens.access_expires_at = now + settings_.access_lifetime;
    auto access_claims =
        claims_for(facts, application_claims, access_token_kind, settings_.access_audience,
                   *access_id, now, tokens.access_expires_at, key_thumbprint);
    if (!access_claims) return access_claims.error();
    auto access = access_.sign(*access_claims);
    if (!access) return access.error();
    tokens.access_token = std::move(*access);
    return {};
  }

  // A new access token with a fresh id, bound to `refresh`'s key, and the refresh token `refresh`
  // (its id and issue time), both with `application_claims`.
  result<token_pair> sign_pair(const facts_type& facts, const Json& application_claims,
                               const refresh_successor& refresh, sys_seconds now) const {
    token_pair tokens;
    if (auto access = sign_access(facts, application_claims, refresh.key_thumbprint, now, tokens);
        !access) {
      return access.error();
    }
    auto signed_refresh = sign_refresh(facts, application_claims, refresh.id, refresh.issued_at);
    if (!signed_refresh) return signed_refresh.error();
    tokens.refresh_token = std::move(signed_refresh->first);
    tokens.refresh_expires_at = signed_refresh->second;
    return tokens;
  }

 private:
  // The claims both kinds share, `cnf` when bound to a key (access tokens: the refresh family
  // keeps a refresh token's binding), then the application's.
  result<basic_claims<Json>> claims_for(const facts_type& facts, const Json& application_claims,
                                        session_token_kind kind, const std::string& audience,
                                        const std::string& token_id, sys_seconds issued_at,
                                        sys_seconds expires_at,
                                        std::string_view key_thumbprint) const {
    if (!application_claims.is_object()) return errc::invalid_argument;
    basic_claims_builder<Json> builder(issued_at);
    builder.issuer(settings_.issuer)
        .subject(facts.subject)
        .audience(audience)
        .jwt_id(token_id)
        .expires_at(expires_at)
        .claim(std::string(kind_claim), Json(std::string(kind.type_claim)))
        .claim(std::string(session_id_claim), Json(facts.session_id))
        .claim(std::string(token_version_claim), Json(facts.version))
        .claim(std::string(auth_time_claim), Json(facts.auth_time.time_since_epoch().count()));
    if (kind.type_claim == access_token_kind.type_claim) {
      builder.claim(std::string(client_id_claim), Json(settings_.client_id));
    }
    if (!key_thumbprint.empty()) {
      Json confirmation = Json::object();
      confirmation["jkt"] = std::string(key_thumbprint);
      builder.claim(std::string(confirmation_claim), std::move(confirmation));
    }
    for (auto it = application_claims.begin(); it != application_claims.end(); ++it) {
      if (is_session_claim_name(it.key())) return errc::reserved_claim;
      builder.claim(it.key(), it.value());
    }
    return builder.build();
  }

  basic_encoder<Json> access_;
  basic_encoder<Json> refresh_;
  session_token_settings settings_;
};

}  // namespace detail
JOT_END_NAMESPACE
