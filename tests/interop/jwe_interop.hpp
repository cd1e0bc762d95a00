#pragma once

// JWE interoperability both ways, for every (alg, enc) pair jot implements, against a peer that
// answers the jwe_encrypt and jwe_decrypt requests (node/jose_peer.mjs, jwcrypto_peer.py): jot
// encrypts a signed token and the peer decrypts it to the same bytes; the peer encrypts it
// (cty JWT) and jot's decrypt_and_verify returns the verified token. Keys are made by jot and
// handed to the peer as JWKs. ECDH-ES tokens carry apu and apv both ways, so that each side
// derives its key with the other's party information.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <jot/jot.hpp>
#include <jot/jwe.hpp>
#include <nlohmann/json.hpp>

#include "catch.hpp"
#include "peer_process.hpp"

namespace jot_interop {

struct jwe_pair {
  jot::jwe::key_management alg;
  jot::jwe::content_encryption enc;
  jot::jwe::ecdh_curve curve = jot::jwe::ecdh_curve::p256;  // ECDH-ES* only
};

inline bool is_agreement(jot::jwe::key_management alg) {
  return jot::jwe::detail::is_key_agreement(jot::jwe::detail::info(alg).family);
}

// Every pair jot implements; the ECDH-ES ones on every curve (3 algs x 4 curves x 4 encs).
inline std::vector<jwe_pair> jwe_pairs() {
  std::vector<jwe_pair> out;
  for (const auto& alg : jot::jwe::detail::key_management_table) {
    for (const auto& enc : jot::jwe::detail::content_encryption_table) {
      if (!is_agreement(alg.alg)) {
        out.push_back({alg.alg, enc.enc});
        continue;
      }
      for (const auto curve : {jot::jwe::ecdh_curve::p256, jot::jwe::ecdh_curve::p384,
                               jot::jwe::ecdh_curve::p521, jot::jwe::ecdh_curve::x25519}) {
        out.push_back({alg.alg, enc.enc, curve});
      }
    }
  }
  return out;
}

inline jot::jwe::decryption_key jwe_key_for(const jwe_pair& pair) {
  auto key = pair.alg == jot::jwe::key_management::dir
                 ? jot::jwe::decryption_key::generate_direct(pair.enc)
             : is_agreement(pair.alg)
                 ? jot::jwe::decryption_key::generate_agreement(pair.alg, pair.curve)
                 : jot::jwe::decryption_key::generate(pair.alg);
  REQUIRE(key);
  return key->with_key_id("interop-" + std::string(jot::jwe::key_management_name(pair.alg)))
      .value();
}

// `call` sends one request to the peer and returns its reply.
inline void check_jwe_interop(const std::function<nlohmann::json(const nlohmann::json&)>& call) {
  const auto signer = jot::signing_key::hs256(jot::secret_bytes(std::string(32, 's'))).value();
  const auto claims = jot::claims::builder{}
                          .issuer(issuer)
                          .subject("interop")
                          .expires_in(std::chrono::minutes(10))
                          .build()
                          .value();
  const std::string jws = jot::encoder{signer}.sign(claims).value();
  const auto verifier = jot::verifier::builder{}
                            .add_key(signer.verification_key().value())
                            .validator(jot::validator::builder{}.expect_issuer(issuer).build())
                            .build()
                            .value();

  const auto pairs = jwe_pairs();
  std::vector<jot::jwe::decryption_key> keys;
  nlohmann::json encrypt_cases = nlohmann::json::array(), decrypt_cases = nlohmann::json::array();
  for (const auto& pair : pairs) {
    keys.push_back(jwe_key_for(pair));
    const auto& key = keys.back();
    const auto private_jwk = jot::jwe::unsafe_to_private_jwk(key).value();
    const std::string alg(jot::jwe::key_management_name(pair.alg));
    const std::string enc(jot::jwe::content_encryption_name(pair.enc));
    auto encrypter = jot::jwe::encrypter::create(key.encryption_key().value(), pair.enc);
    REQUIRE(encrypter);
    if (is_agreement(pair.alg)) encrypter = encrypter->with_party_info("jot", "peer");
    REQUIRE(encrypter);
    decrypt_cases.push_back({{"jwk", private_jwk},
                             {"alg", alg},
                             {"enc", enc},
                             {"token", encrypter->encrypt_signed(jws).value()}});
    // The peer encrypts with the public JWK (for a secret, the only one there is).
    auto public_jwk = jot::jwe::to_public_jwk(key.encryption_key().value());
    encrypt_cases.push_back({{"jwk", public_jwk ? *public_jwk : private_jwk},
                             {"alg", alg},
                             {"enc", enc},
                             {"kid", *key.key_id()},
                             {"plaintext", jws}});
    if (is_agreement(pair.alg)) {
      encrypt_cases.back()["apu"] = jot::base64url_encode("peer");
      encrypt_cases.back()["apv"] = jot::base64url_encode("jot");
    }
  }

  // jot -> peer.
  const nlohmann::json decrypted = call({{"op", "jwe_decrypt"}, {"cases", decrypt_cases}});
  REQUIRE(member(decrypted, "results").size() == pairs.size());
  // peer -> jot.
  const nlohmann::json encrypted = call({{"op", "jwe_encrypt"}, {"cases", encrypt_cases}});
  REQUIRE(member(encrypted, "tokens").size() == pairs.size());

  for (std::size_t i = 0; i < pairs.size(); ++i) {
    INFO(jot::jwe::key_management_name(pairs[i].alg)
         << " " << jot::jwe::content_encryption_name(pairs[i].enc) << " curve "
         << static_cast<int>(pairs[i].curve));
    const nlohmann::json& result = decrypted["results"][i];
    INFO("peer's verdict on jot's token: " << result.dump());
    CHECK(member(result, "ok") == true);
    CHECK(member(result, "plaintext") == jws);
    const std::string token = encrypted["tokens"][i];
    const auto decrypter =
        jot::jwe::decrypter::builder{}.add_key(keys[i], {pairs[i].enc}).build().value();
    const auto verified = decrypter.decrypt_and_verify(token, verifier);
    INFO("jot's verdict on the peer's token: " << jot::errc_name(verified.error()));
    REQUIRE(verified);
    CHECK(verified->claims().subject() == "interop");
  }
}

}  // namespace jot_interop
