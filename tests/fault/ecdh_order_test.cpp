// ECDH-ES refusals come before any derivation (docs/security.md, "ECDH-ES: the invalid-curve
// attack"): the interposers of openssl_faults.cpp count jot's OpenSSL calls, and a token whose
// epk, apu or apv is refused must reach neither EVP_PKEY_derive* (the agreement) nor
// EVP_KDF_derive (the Concat KDF). The genuine token, decrypted the same way, reaches both.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catch.hpp"
#include "fixed_keys.hpp"
#include "openssl_faults.hpp"

#include <jot/base64url.hpp>
#include <jot/jwe.hpp>

namespace {

using jot::jwe::content_encryption;
using jot::jwe::key_management;
using jot_fault::call;

std::size_t count_of(call c) { return jot_fault::current_counts()[static_cast<std::size_t>(c)]; }

// The token of `key` sealed under its genuine header changed by `edit`.
template <typename Edit>
std::string token_with(const jot::jwe::decryption_key& key, Edit edit) {
  const auto enc = content_encryption::a128gcm;
  auto delivered =
      jot::jwe::detail::deliver_key(key.encryption_key().value().material(), enc).value();
  nlohmann::json header = {{"alg", std::string(jot::jwe::key_management_name(key.alg()))},
                           {"enc", "A128GCM"},
                           {"epk", delivered.header_members.at("epk")}};
  edit(header);
  return jot::jwe::detail::seal(enc, jot::base64url_encode(header.dump()), delivered,
                                std::string(12, 'i'), "payload")
      .value();
}

}  // namespace

TEST_CASE("a refused epk, apu or apv reaches neither the ECDH derivation nor the Concat KDF",
          "[fault][ecdh]") {
  for (const char* pem : {jot_test::pem::p256_pem, jot_test::pem::x25519_pem}) {
    const auto key =
        jot::jwe::decryption_key::from_pem(key_management::ecdh_es_a128kw, pem).value();
    const bool x25519 = std::string(pem) == jot_test::pem::x25519_pem;
    const std::vector<jot::jwe::detail::decrypter_entry> entries{
        {key, jot::jwe::detail::enc_bit(content_encryption::a128gcm)}};
    const auto open = [&](const std::string& token) {
      jot_fault::reset_counts();
      return jot::jwe::detail::open_token(entries, jot::jwe::default_max_encrypted_token_size,
                                          jot::default_max_json_depth, token);
    };
    // The control: the same path derives.
    REQUIRE(open(token_with(key, [](nlohmann::json&) {})));
    CHECK(count_of(call::EVP_PKEY_derive) > 0);
    CHECK(count_of(call::EVP_KDF_derive) > 0);

    const struct {
      const char* name;
      void (*edit)(nlohmann::json&);
      jot::errc expected;
    } refused[] = {
        {"epk missing", [](nlohmann::json& h) { h.erase("epk"); },
         jot::errc::invalid_ephemeral_key},
        {"epk with d",
         [](nlohmann::json& h) { h["epk"]["d"] = jot::base64url_encode(std::string(32, '\x11')); },
         jot::errc::invalid_ephemeral_key},
        {"epk x zero (small order for X25519, off the curve for P-256)",
         [](nlohmann::json& h) { h["epk"]["x"] = jot::base64url_encode(std::string(32, '\0')); },
         jot::errc::invalid_ephemeral_key},
        {"epk on P-384",
         [](nlohmann::json& h) {
           h["epk"] = {{"kty", "EC"},
                       {"crv", "P-384"},
                       {"x", jot::base64url_encode(std::string(48, '\x01'))},
                       {"y", jot::base64url_encode(std::string(48, '\x02'))}};
         },
         jot::errc::invalid_ephemeral_key},
        {"apu of 513 bytes",
         [](nlohmann::json& h) { h["apu"] = jot::base64url_encode(std::string(513, 'u')); },
         jot::errc::invalid_header},
        {"apv not base64url", [](nlohmann::json& h) { h["apv"] = "a+b/"; },
         jot::errc::invalid_base64},
    };
    for (const auto& attempt : refused) {
      INFO((x25519 ? "X25519: " : "P-256: ") << attempt.name);
      const auto opened = open(token_with(key, attempt.edit));
      REQUIRE_FALSE(opened);
      CHECK(opened.error() == attempt.expected);
      CHECK(count_of(call::EVP_PKEY_derive_init) == 0);
      CHECK(count_of(call::EVP_PKEY_derive) == 0);
      CHECK(count_of(call::EVP_KDF_derive) == 0);
    }
  }
}
