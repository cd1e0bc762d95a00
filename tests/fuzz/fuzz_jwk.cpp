// Fuzz target: JWK and JWKS import (verification_key::from_jwk, signing_key::from_jwk,
// key_set::from_jwks) and, for whatever imports, export.
//
// Input: one control byte, then JSON text (a JWK or a JWKS). The control byte modulo 16 is the
// algorithm the caller asks for: 0 for none (the JWK's own `alg` decides), otherwise
// jot::all_algorithms[n - 1].
//
// Invariants:
//  - nothing throws; every rejection is a jot errc; from_jwks(text) fails exactly like the strict
//    parser when the text is not a JSON object;
//  - an imported asymmetric key exports a public JWK that imports again to an equal public JWK,
//    whose RFC 7638 thumbprint equals the thumbprint of the JWK it came from, and whose PEM
//    (SPKI) round trip gives the same key; an HMAC key has no public form (invalid_key);
//  - an imported signing key exports a private JWK that imports again to the same key, and a
//    signature it makes verifies with its verification key (and with the verification key
//    imported from the same JWK), and fails once changed;
//  - an imported key set finds each key by its kid, and its exported JWKS imports again to an
//    equal JWKS (or, when it holds an HMAC key, export fails with invalid_key);
//  - without allow_symmetric_keys, a set that imports with it and holds an HMAC key is
//    symmetric_key_in_jwks, one without imports to the same keys; a set refused with it is
//    refused without it too.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"

#include <jot/jot.hpp>

namespace {

void check_public_round_trip(const jot::verification_key& key, const nlohmann::json* source) {
  auto jwk = jot::to_public_jwk(key);
  if (jot::is_hmac(key.alg())) {
    JOT_FUZZ_CHECK(jwk.error() == jot::errc::invalid_key);
    JOT_FUZZ_CHECK(jot::to_public_pem(key).error() == jot::errc::invalid_key);
    return;
  }
  JOT_FUZZ_CHECK(jwk.has_value());
  JOT_FUZZ_CHECK(jwk->at("alg") == jot::algorithm_name(key.alg()));
  JOT_FUZZ_CHECK(!key.key_id() || jwk->at("kid") == *key.key_id());

  const auto again = jot::verification_key::from_jwk(*jwk);
  JOT_FUZZ_CHECK(again.has_value() && again->alg() == key.alg());
  const auto exported_again = jot::to_public_jwk(*again);
  JOT_FUZZ_CHECK(exported_again.has_value() && *exported_again == *jwk);

  // The key members were validated on import (canonical base64url, minimal RSA integers, full
  // width coordinates), so they are byte for byte what export writes: the thumbprints agree.
  const auto thumbprint = jot::jwk_thumbprint(*jwk);
  JOT_FUZZ_CHECK(thumbprint.has_value());
  if (source != nullptr)
    JOT_FUZZ_CHECK(jot_fuzz::same_result(jot::jwk_thumbprint(*source), thumbprint));
  JOT_FUZZ_CHECK(jot_fuzz::same_result(jot::jwk_thumbprint(key), thumbprint));

  const auto pem = jot::to_public_pem(key);
  JOT_FUZZ_CHECK(pem.has_value());
  const auto from_pem = jot::verification_key::from_pem(key.alg(), *pem);
  JOT_FUZZ_CHECK(from_pem.has_value());
  JOT_FUZZ_CHECK(jot_fuzz::same_result(jot::jwk_thumbprint(*from_pem), thumbprint));
}

void check_signing_key(const jot::signing_key& key,
                       const jot::result<jot::verification_key>& imported_verifier) {
  const auto private_jwk = jot::unsafe_to_private_jwk(key);
  JOT_FUZZ_CHECK(private_jwk.has_value());
  const auto again = jot::signing_key::from_jwk(*private_jwk);
  JOT_FUZZ_CHECK(again.has_value() && again->alg() == key.alg());
  JOT_FUZZ_CHECK(jot_fuzz::same_result(jot::unsafe_to_private_jwk(*again), private_jwk));

  const auto verifier = key.verification_key();
  JOT_FUZZ_CHECK(verifier.has_value() && verifier->alg() == key.alg());
  check_public_round_trip(*verifier, nullptr);
  if (imported_verifier) {
    JOT_FUZZ_CHECK(imported_verifier->alg() == key.alg());
    JOT_FUZZ_CHECK(jot_fuzz::same_result(jot::to_public_jwk(*imported_verifier),
                                         jot::to_public_jwk(*verifier)));
  }

  const std::string input = "eyJhbGciOiJIUzI1NiJ9.eyJmdXp6Ijp0cnVlfQ";
  const auto signature = key.implementation().sign(input);
  JOT_FUZZ_CHECK(signature.has_value());
  JOT_FUZZ_CHECK(verifier->implementation().verify(input, *signature));
  if (imported_verifier)
    JOT_FUZZ_CHECK(imported_verifier->implementation().verify(input, *signature));
  std::string changed = *signature;
  changed[0] = static_cast<char>(changed[0] ^ 0x40);
  JOT_FUZZ_CHECK(verifier->implementation().verify(input, changed).error() ==
                 jot::errc::invalid_signature);
}

void check_key_set(const jot::key_set& set) {
  JOT_FUZZ_CHECK(!set.empty() && set.size() <= jot::key_set::max_keys);
  bool has_hmac = false;
  for (const auto& key : set.keys()) {
    has_hmac = has_hmac || jot::is_hmac(key.alg());
    JOT_FUZZ_CHECK((set.algorithms() & jot::detail::algorithm_bit(key.alg())) != 0);
    // One kid names one key per alg value (RFC 7517 §4.5), so the lookup is by (kid, alg).
    if (key.key_id()) {
      JOT_FUZZ_CHECK(set.find(*key.key_id(), jot::detail::algorithm_bit(key.alg())) == &key);
    }
    check_public_round_trip(key, nullptr);
  }
  const auto jwks = set.to_jwks();
  if (!jwks) {
    JOT_FUZZ_CHECK(jwks.error() == jot::errc::invalid_key && has_hmac);
    return;
  }
  const auto again = jot::key_set::from_jwks(std::string_view(jwks->dump()));
  JOT_FUZZ_CHECK(again.has_value());
  JOT_FUZZ_CHECK(again->size() == set.size() && again->skipped() == 0);
  JOT_FUZZ_CHECK(jot_fuzz::same_result(again->to_jwks(), jwks));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  jot_fuzz::input_reader input(data, size);
  const std::size_t choice = input.byte() % 16;
  const std::optional<jot::algorithm> alg =
      choice == 0 ? std::nullopt : std::optional<jot::algorithm>(jot::all_algorithms[choice - 1]);
  const std::string_view text = input.rest();

  jot::jwks_options options(alg);
  options.allow_symmetric_keys = true;  // HMAC keys are fuzzed too
  const auto set = jot::key_set::from_jwks(text, options);
  const auto strict = jot::key_set::from_jwks(text, alg);
  const auto parsed = jot::parse_json_object(text);
  if (!parsed) {
    JOT_FUZZ_CHECK(set.error() == parsed.error());
    JOT_FUZZ_CHECK(strict.error() == parsed.error());
    return 0;
  }
  if (set) {
    check_key_set(*set);
    bool has_hmac = false;
    for (const auto& key : set->keys()) has_hmac = has_hmac || jot::is_hmac(key.alg());
    if (has_hmac) {
      JOT_FUZZ_CHECK(strict.error() == jot::errc::symmetric_key_in_jwks);
    } else {
      JOT_FUZZ_CHECK(strict.has_value() && strict->size() == set->size());
    }
  } else {
    JOT_FUZZ_CHECK(jot_fuzz::is_jot_error(set.error()));
    JOT_FUZZ_CHECK(!strict.has_value());
  }

  const auto verification = jot::verification_key::from_jwk(*parsed, alg);
  if (verification) {
    JOT_FUZZ_CHECK(!alg || verification->alg() == *alg);
    check_public_round_trip(*verification, &*parsed);
  } else {
    JOT_FUZZ_CHECK(jot_fuzz::is_jot_error(verification.error()));
  }

  const auto signing = jot::signing_key::from_jwk(*parsed, alg);
  if (signing) {
    JOT_FUZZ_CHECK(!alg || signing->alg() == *alg);
    check_signing_key(*signing, verification);
  } else {
    JOT_FUZZ_CHECK(jot_fuzz::is_jot_error(signing.error()));
  }
  return 0;
}
