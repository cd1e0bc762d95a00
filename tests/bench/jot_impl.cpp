// jot as a benchmarked implementation, used as the README shows: keys parsed once, one encoder
// and one verifier (default, strict validator) built at start-up, and per token a claims builder
// and encoder.sign(), or verifier.verify() and the typed claim accessors.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <jot/jot.hpp>
#include <nlohmann/json.hpp>

#include "bench.hpp"
#include "jot_impl.hpp"

namespace jot_bench {
namespace {

class jot_implementation final : public token_implementation {
 public:
  jot_implementation(jot::signing_key key, jot::verifier verifier)
      : encoder_(std::move(key)), verifier_(std::move(verifier)) {}

  std::string sign(const token_claims& claims) const override {
    const auto claim_set =
        jot::claims::builder{}
            .subject(claims.subject)
            .issued_at(jot::sys_seconds(std::chrono::seconds(claims.issued_at)))
            .expires_at(jot::sys_seconds(std::chrono::seconds(claims.expires_at)))
            .claim("type", "access")
            .claim("roles", claims.roles)
            .build();
    if (!claim_set) return {};
    auto token = encoder_.sign(*claim_set);
    return token ? std::move(*token) : std::string();
  }

  bool verify(const std::string& token, const token_claims& expected) const override {
    const auto verified = verifier_.verify(token);
    if (!verified) return false;
    const jot::claims& claims = verified->claims();
    const nlohmann::json* roles = claims.find("roles");
    return claims.subject() == std::string_view(expected.subject) && roles != nullptr &&
           roles_equal(*roles, expected.roles);
  }

 private:
  jot::encoder encoder_;
  jot::verifier verifier_;
};

jot::algorithm jot_algorithm(const jws_algorithm& alg) {
  return jot::algorithm_from_name(alg.fully_specified_name).value();
}

// The value of a jot result, dropping the error: the harness only needs to know that setting up
// failed, and then leaves the implementation out as broken.
template <typename T>
std::optional<T> value_of(jot::result<T> made) {
  if (!made) return std::nullopt;
  return std::move(*made);
}

std::optional<jot::signing_key> signing_key_of(const jws_algorithm& alg, const key_material& key) {
  return value_of(alg.family == strict_floor::signature_family::hmac
                      ? jot::signing_key::hmac(jot_algorithm(alg), jot::secret_bytes(key.secret))
                      : jot::signing_key::from_pem(jot_algorithm(alg), key.private_pem));
}

// The public JWK of `key` under `kid` (for HMAC, the secret JWK: it has no public form).
std::optional<nlohmann::json> jwk_of(const jot::signing_key& key, std::string kid) {
  const auto named = key.with_key_id(std::move(kid));
  if (!named) return std::nullopt;
  return value_of(jot::is_hmac(key.alg()) ? jot::unsafe_to_private_jwk(*named)
                                          : jot::to_public_jwk(*named));
}

}  // namespace

std::unique_ptr<token_implementation> make_jot_verifying_with(
    const jws_algorithm& alg, const key_material& key, std::optional<jot::validator> policy) {
  auto signing = signing_key_of(alg, key);
  if (!signing) return nullptr;
  auto public_key =
      alg.family == strict_floor::signature_family::hmac
          ? jot::verification_key::hmac(jot_algorithm(alg), jot::secret_bytes(key.secret))
          : jot::verification_key::from_pem(jot_algorithm(alg), key.public_pem);
  if (!public_key) return nullptr;
  jot::verifier::builder builder;
  builder.add_key(std::move(*public_key));
  // Without a policy the builder keeps its own default, so that make_jot stays what the README
  // shows rather than an equivalent written out here.
  if (policy) builder.validator(std::move(*policy));
  auto verifier = builder.build();
  if (!verifier) return nullptr;
  return std::make_unique<jot_implementation>(std::move(*signing), std::move(*verifier));
}

std::unique_ptr<token_implementation> make_jot(const jws_algorithm& alg, const key_material& key) {
  return make_jot_verifying_with(alg, key, std::nullopt);
}

std::unique_ptr<token_implementation> make_jot_jwks(const jws_algorithm& alg,
                                                    const key_material& key, std::size_t size) {
  auto signing = signing_key_of(alg, key);
  if (!signing) return nullptr;
  nlohmann::json keys = nlohmann::json::array();
  for (std::size_t i = 1; i <= size; ++i) {
    const bool is_token_key = i == size;
    const auto member =
        is_token_key ? signing : value_of(jot::signing_key::generate(jot_algorithm(alg)));
    auto jwk = member
                   ? jwk_of(*member, is_token_key ? jwks_token_kid : "decoy-" + std::to_string(i))
                   : std::nullopt;
    if (!jwk) return nullptr;
    keys.push_back(std::move(*jwk));
  }
  // The HS* rows measure a JWKS of secrets, which a caller must allow explicitly.
  jot::jwks_options options;
  options.allow_symmetric_keys = true;
  const auto key_set = jot::key_set::from_jwks(nlohmann::json{{"keys", std::move(keys)}}, options);
  if (!key_set) return nullptr;
  auto verifier = jot::verifier::builder{}.add_keys(*key_set).build();
  auto token_key = signing->with_key_id(jwks_token_kid);
  if (!verifier || !token_key) return nullptr;
  return std::make_unique<jot_implementation>(std::move(*token_key), std::move(*verifier));
}

}  // namespace jot_bench
