#pragma once

// What the asymmetric interop tests share: the algorithm table, jot-generated keys (made once
// per run: RSA key generation is the slowest step of the suite), PEM encoding of a public JWK with
// OpenSSL alone (jot has no PEM export). Signature tampering is jot_test::flip_signature_byte
// (raw_token.hpp).

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <jot/jot.hpp>
#include <nlohmann/json.hpp>

#include "catch.hpp"
#include "peer_process.hpp"
#include "raw_token.hpp"

namespace jot_interop {

// Every asymmetric algorithm jot implements; PyJWT 2.6 and jose 5 implement all of them too.
inline constexpr jot::algorithm asymmetric_algorithms[] = {
    jot::algorithm::rs256, jot::algorithm::rs384,  jot::algorithm::rs512,   jot::algorithm::ps256,
    jot::algorithm::ps384, jot::algorithm::ps512,  jot::algorithm::es256,   jot::algorithm::es384,
    jot::algorithm::es512, jot::algorithm::es256k, jot::algorithm::ed25519, jot::algorithm::ed448};

// The claims jot signs for a peer to verify: the registered ones, a list and a non-ASCII name,
// valid for 15 minutes from the builder's issue time.
inline jot::claims claims_for_peer(jot::claims::builder builder) {
  return builder.issuer(issuer)
      .subject("user-42")
      .audience(audience)
      .expires_in(std::chrono::minutes(15))
      .claim("roles", nlohmann::json::array({"admin", "auditor"}))
      .claim("display_name", "Zoë Ñúñez 日本語 😀")
      .build()
      .value();
}

// "RS256", ..., "Ed25519", "Ed448": names a test case, and distinguishes the two EdDSA curves.
inline std::string label(jot::algorithm alg) { return std::string(jot::fully_specified_name(alg)); }

// The `alg` header value jot writes and PyJWT/jose are told to accept: "EdDSA" for both curves.
inline std::string header_alg(jot::algorithm alg) { return std::string(jot::algorithm_name(alg)); }

// The curve a peer must generate an EdDSA key on (the header alg alone does not say).
inline nlohmann::json edwards_curve(jot::algorithm alg) {
  if (alg == jot::algorithm::ed25519) return "Ed25519";
  if (alg == jot::algorithm::ed448) return "Ed448";
  return nullptr;
}

// jot-generated keys, made once per run: `generation` 0 is the key a test publishes (kid
// "jot-<label>"), 1 and up are other keys of the same algorithm (kid "jot-<label>-<generation>"),
// for "signed by another key" cases and key rotation.
inline const jot::signing_key& jot_key(jot::algorithm alg, int generation = 0) {
  static std::map<std::pair<jot::algorithm, int>, jot::signing_key> keys;
  auto it = keys.find({alg, generation});
  if (it == keys.end()) {
    auto generated = jot::signing_key::generate(alg);
    INFO("jot::signing_key::generate(" << label(alg) << ")");
    REQUIRE(generated);
    std::string kid = "jot-" + label(alg);
    if (generation != 0) kid += "-" + std::to_string(generation);
    it = keys.emplace(std::make_pair(alg, generation), generated->with_key_id(kid).value()).first;
  }
  return it->second;
}

// The public JWK jot exports for a key (jot::to_public_jwk), which must succeed.
inline nlohmann::json public_jwk(const jot::signing_key& key) {
  auto jwk = jot::to_public_jwk(key);
  INFO("jot::to_public_jwk(" << label(key.alg()) << " key)");
  REQUIRE(jwk);
  return *jwk;
}

namespace detail {

struct pkey_free {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct pkey_ctx_free {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
struct param_bld_free {
  void operator()(OSSL_PARAM_BLD* bld) const { OSSL_PARAM_BLD_free(bld); }
};
struct params_free {
  void operator()(OSSL_PARAM* params) const { OSSL_PARAM_free(params); }
};
struct bn_free {
  void operator()(BIGNUM* n) const { BN_free(n); }
};
struct encoder_ctx_free {
  void operator()(OSSL_ENCODER_CTX* ctx) const { OSSL_ENCODER_CTX_free(ctx); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;

inline std::string jwk_bytes(const nlohmann::json& jwk, const char* name) {
  INFO("JWK member " << name << " of " << jwk.dump());
  REQUIRE(jwk.contains(name));
  REQUIRE(jwk.at(name).is_string());
  auto bytes = jot::base64url_decode(jwk.at(name).get<std::string>());
  REQUIRE(bytes);
  return *bytes;
}

// An RSA or EC public key from OpenSSL parameters; `push` adds the key-type members.
template <typename Push>
pkey_ptr key_from_params(const char* type, Push push) {
  std::unique_ptr<OSSL_PARAM_BLD, param_bld_free> bld(OSSL_PARAM_BLD_new());
  REQUIRE(bld != nullptr);
  std::unique_ptr<BIGNUM, bn_free> numbers[2];
  push(bld.get(), numbers);
  std::unique_ptr<OSSL_PARAM, params_free> params(OSSL_PARAM_BLD_to_param(bld.get()));
  std::unique_ptr<EVP_PKEY_CTX, pkey_ctx_free> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  REQUIRE(params != nullptr);
  REQUIRE(ctx != nullptr);
  REQUIRE(EVP_PKEY_fromdata_init(ctx.get()) == 1);
  EVP_PKEY* key = nullptr;
  REQUIRE(EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) == 1);
  return pkey_ptr(key);
}

inline BIGNUM* big_endian_number(const std::string& bytes, std::unique_ptr<BIGNUM, bn_free>& slot) {
  slot.reset(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                       static_cast<int>(bytes.size()), nullptr));
  REQUIRE(slot != nullptr);
  return slot.get();
}

}  // namespace detail

// The SubjectPublicKeyInfo PEM of a public JWK, built by OpenSSL from the JWK's members (RFC 7518
// §6.2, §6.3; RFC 8037 §2) without going through jot: the PEM a key-management tool would
// produce for the key jot generated.
inline std::string public_pem_from_jwk(const nlohmann::json& jwk) {
  const std::string kty = jwk.value("kty", "");
  detail::pkey_ptr key;
  if (kty == "RSA") {
    const std::string n = detail::jwk_bytes(jwk, "n"), e = detail::jwk_bytes(jwk, "e");
    key = detail::key_from_params("RSA", [&](OSSL_PARAM_BLD* bld, auto& numbers) {
      REQUIRE(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N,
                                     detail::big_endian_number(n, numbers[0])) == 1);
      REQUIRE(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E,
                                     detail::big_endian_number(e, numbers[1])) == 1);
    });
  } else if (kty == "EC") {
    // OpenSSL knows the JOSE curve names "P-256", "P-384", "P-521" and "secp256k1" as is.
    const std::string curve = jwk.value("crv", "");
    const std::string point = "\x04" + detail::jwk_bytes(jwk, "x") + detail::jwk_bytes(jwk, "y");
    key = detail::key_from_params("EC", [&](OSSL_PARAM_BLD* bld, auto&) {
      REQUIRE(OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, curve.c_str(), 0) ==
              1);
      REQUIRE(OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                               point.size()) == 1);
    });
  } else if (kty == "OKP") {
    const std::string curve = jwk.value("crv", "");
    const std::string x = detail::jwk_bytes(jwk, "x");
    const char* type = curve == "Ed25519" ? "ED25519" : curve == "Ed448" ? "ED448" : nullptr;
    REQUIRE(type != nullptr);
    key.reset(EVP_PKEY_new_raw_public_key_ex(
        nullptr, type, nullptr, reinterpret_cast<const unsigned char*>(x.data()), x.size()));
  }
  INFO("no public key from the JWK " << jwk.dump());
  REQUIRE(key != nullptr);

  std::unique_ptr<OSSL_ENCODER_CTX, detail::encoder_ctx_free> encoder(OSSL_ENCODER_CTX_new_for_pkey(
      key.get(), EVP_PKEY_PUBLIC_KEY, "PEM", "SubjectPublicKeyInfo", nullptr));
  REQUIRE(encoder != nullptr);
  unsigned char* data = nullptr;
  std::size_t size = 0;
  REQUIRE(OSSL_ENCODER_to_data(encoder.get(), &data, &size) == 1);
  std::string pem(reinterpret_cast<const char*>(data), size);
  OPENSSL_free(data);
  return pem;
}

}  // namespace jot_interop
