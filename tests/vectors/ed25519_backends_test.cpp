// Ed25519 on OpenSSL and on libsodium compared directly, without jot, in a build where jot runs
// Ed25519 on libsodium (JOT_ED25519_LIBSODIUM; the openssl-ed25519 preset has nothing here). The
// two libraries give every Wycheproof Ed25519 vector the same verdict; they differ only where one
// of the points is of small order, and jot settles those before either library runs: a public
// key of small order never becomes a key (invalid_key: ATK-KEY-IMPORT), and a signature whose R
// has small order is invalid_signature (ATK-EDDSA-MALLEABLE, which also has the signature with
// R = identity, S = k * a that OpenSSL accepts under a genuine key).

#ifdef JOT_ED25519_LIBSODIUM

#include <memory>
#include <string>

#include <openssl/evp.h>
#include <sodium.h>

#include "catch.hpp"
#include "vector_support.hpp"

namespace {

const unsigned char* ed25519_backend_bytes(const std::string& text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

bool openssl_ed25519_verifies(const std::string& key, const std::string& message,
                              const std::string& signature) {
  const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, ed25519_backend_bytes(key),
                                  key.size()),
      &EVP_PKEY_free);
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                    &EVP_MD_CTX_free);
  REQUIRE(pkey);
  REQUIRE(ctx);
  REQUIRE(EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) == 1);
  return EVP_DigestVerify(ctx.get(), ed25519_backend_bytes(signature), signature.size(),
                          ed25519_backend_bytes(message), message.size()) == 1;
}

bool sodium_ed25519_verifies(const std::string& key, const std::string& message,
                             const std::string& signature) {
  REQUIRE(sodium_init() >= 0);
  REQUIRE(key.size() == crypto_sign_PUBLICKEYBYTES);
  return signature.size() == crypto_sign_BYTES &&
         crypto_sign_verify_detached(ed25519_backend_bytes(signature),
                                     ed25519_backend_bytes(message), message.size(),
                                     ed25519_backend_bytes(key)) == 0;
}

}  // namespace

TEST_CASE("OpenSSL and libsodium give every Wycheproof Ed25519 vector the same verdict",
          "[vectors][wycheproof][ed25519]") {
  const auto doc = jot_vectors::load("wycheproof/primitives_v1/ed25519_test.json");
  int compared = 0;
  for (const auto& group : doc.at("testGroups")) {
    const auto key = jot_vectors::hex_decode(group.at("publicKey").at("pk").get<std::string>());
    for (const auto& test : group.at("tests")) {
      const auto message = jot_vectors::hex_decode(test.at("msg").get<std::string>());
      const auto signature = jot_vectors::hex_decode(test.at("sig").get<std::string>());
      INFO("tcId " << test.at("tcId").get<int>() << ": " << test.at("comment").get<std::string>());
      CHECK(openssl_ed25519_verifies(key, message, signature) ==
            sodium_ed25519_verifies(key, message, signature));
      ++compared;
    }
  }
  CHECK(compared == doc.at("numberOfTests").get<int>());
}

TEST_CASE("OpenSSL and libsodium differ on the identity key, which jot never loads",
          "[vectors][ed25519]") {
  // R = identity, S = 0 satisfies [S]B = R + [k]A for A the identity, whatever the message:
  // OpenSSL accepts it, libsodium refuses a key (and an R) of small order.
  std::string identity(32, '\0');
  identity[0] = 1;
  const std::string signature = identity + std::string(32, '\0');
  CHECK(openssl_ed25519_verifies(identity, "any payload", signature));
  CHECK_FALSE(sodium_ed25519_verifies(identity, "any payload", signature));
}

#endif
