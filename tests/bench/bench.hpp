#pragma once

// What every benchmarked implementation provides, and what the harness gives it. Each library
// lives in its own translation unit behind token_implementation (cpp-jwt and libjwt cannot share
// one: cpp-jwt's namespace `jwt` meets libjwt's `struct jwt`, and both need OpenSSL's deprecated
// APIs, which jot's own code is compiled without).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "floor.hpp"

namespace jot_bench {

using strict_floor::jws_algorithm;

// The claims of the benchmark's token; every implementation adds "type": "access" itself.
struct token_claims {
  std::string subject;
  std::vector<std::string> roles;
  std::int64_t issued_at = 0;
  std::int64_t expires_at = 0;
  // Only the fixture's jti tokens (the revocation benchmarks) carry one; no implementation's
  // sign() writes it, so that sign stays the same operation for every library.
  std::string jti;
};

// The claims as the floor builds them (and the fixture, which makes its tokens with the floor).
inline nlohmann::json payload_json(const token_claims& claims) {
  nlohmann::json payload{{"sub", claims.subject},
                         {"iat", claims.issued_at},
                         {"exp", claims.expires_at},
                         {"type", "access"},
                         {"roles", claims.roles}};
  if (!claims.jti.empty()) payload["jti"] = claims.jti;
  return payload;
}

// The key of one algorithm in the forms the libraries take it: parsed once, when an
// implementation is made, never per token (except where a library's API takes PEM per call).
struct key_material {
  std::string secret;       // HMAC
  std::string private_pem;  // PKCS#8, signing
  std::string public_pem;   // SubjectPublicKeyInfo, verifying
};

// The signature alone (the benchmark's `crypto`, and the floor's crypto): pre-keyed contexts for
// signing (the secret or private key) and verifying (the secret or public key).
struct signature_keys {
  strict_floor::prekeyed_signature signing;
  strict_floor::prekeyed_signature verification;
};
// nullopt when OpenSSL cannot load the key.
std::optional<signature_keys> make_signature_keys(const jws_algorithm& alg,
                                                  const key_material& key);

// One library's way to make and check tokens of one algorithm, used as its documentation shows.
class token_implementation {
 public:
  virtual ~token_implementation() = default;
  // Builds the claims with the library's own API (its builder is part of the cost) and signs.
  // An empty string when the library fails.
  virtual std::string sign(const token_claims& claims) const = 0;
  // True when the library accepts `token` and its `sub` and `roles` equal `expected`'s. Reading
  // the two claims is part of the operation, so work a library defers until then is counted.
  virtual bool verify(const std::string& token, const token_claims& expected) const = 0;
};

// Makes a library's implementation of `alg`; nullptr when the library lacks the algorithm.
using implementation_factory = std::unique_ptr<token_implementation> (*)(const jws_algorithm& alg,
                                                                         const key_material& key);

std::unique_ptr<token_implementation> make_floor(const jws_algorithm& alg, const key_material& key);
std::unique_ptr<token_implementation> make_jot(const jws_algorithm& alg, const key_material& key);
#ifdef JOT_BENCH_HAVE_CPP_JWT
std::unique_ptr<token_implementation> make_cpp_jwt(const jws_algorithm& alg,
                                                   const key_material& key);
#endif
#ifdef JOT_BENCH_HAVE_LIBJWT
std::unique_ptr<token_implementation> make_libjwt(const jws_algorithm& alg,
                                                  const key_material& key);
#endif

// The key-set benchmarks: jot choosing the key by kid in a JWKS of `size` keys of `alg`: the
// token's key (`key`, published as jwks_token_kid) and size - 1 fresh keys before it, so that a
// key set that scanned its keys would find the token's last. Two sizes tell a cost that grows
// with the number of keys from the constant cost of a kid.
inline constexpr std::size_t jwks_sizes[] = {1, 10};
inline constexpr const char* jwks_token_kid = "token-key";
std::unique_ptr<token_implementation> make_jot_jwks(const jws_algorithm& alg,
                                                    const key_material& key, std::size_t size);

// `roles` is a JSON array holding exactly `expected`, compared in place (no copy, so that reading
// the claim costs every implementation the same).
inline bool roles_equal(const nlohmann::json& roles, const std::vector<std::string>& expected) {
  if (!roles.is_array() || roles.size() != expected.size()) return false;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (!roles[i].is_string() || roles[i].get_ref<const std::string&>() != expected[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace jot_bench
