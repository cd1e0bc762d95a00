#include "fixture.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <openssl/bio.h>
#include <openssl/pem.h>

#include "bench.hpp"
#include "fixed_keys.hpp"
#include "floor.hpp"

namespace jot_bench {
namespace {

// 32 bytes: HS256's minimum (RFC 7518 §3.2), which jot enforces.
constexpr const char hmac_secret[] = "jot-bench-hs256-secret-of-32-b!!";

// The repository's fixed test keys (tests/fixed_keys.hpp), so that no run waits for key
// generation and every run signs with the same keys.
const char* private_pem_for(strict_floor::signature_family family) {
  switch (family) {
    case strict_floor::signature_family::ecdsa:
      return jot_test::pem::p256_pem;
    case strict_floor::signature_family::eddsa:
      return jot_test::pem::ed25519_pem;
    default:
      return jot_test::pem::rsa_2048_pem;
  }
}

std::optional<std::string> public_pem_of(const std::string& private_pem) {
  const strict_floor::bio_ptr in(
      BIO_new_mem_buf(private_pem.data(), static_cast<int>(private_pem.size())));
  const strict_floor::pkey_ptr key(in ? PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr)
                                      : nullptr);
  const strict_floor::bio_ptr out(BIO_new(BIO_s_mem()));
  if (!key || !out || PEM_write_bio_PUBKEY(out.get(), key.get()) != 1) return std::nullopt;
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::optional<token_variants> variants_of(const strict_floor::strict_jwt& signer,
                                          const token_claims& claims, const char* kid) {
  token_claims later = claims;
  later.expires_at += 3600;
  token_claims expired = claims;
  expired.issued_at -= 7200;
  expired.expires_at = claims.issued_at - 3600;
  auto valid = signer.sign(payload_json(claims), kid);
  const auto other = signer.sign(payload_json(later), kid);
  auto past = signer.sign(payload_json(expired), kid);
  if (!valid || !other || !past) return std::nullopt;
  const auto valid_segments = strict_floor::split(*valid);
  const auto other_segments = strict_floor::split(*other);
  token_variants out;
  out.flipped_signature = *valid;
  // The signature's first character carries the first six bits of its first byte, so any change
  // there changes the signature (a change to the last character may only touch padding bits).
  char& flipped = out.flipped_signature[valid_segments->signing_input.size() + 1];
  flipped = flipped == 'A' ? 'B' : 'A';
  out.swapped_payload = std::string(valid_segments->header) + "." +
                        std::string(other_segments->payload) + "." +
                        std::string(valid_segments->signature);
  out.valid = std::move(*valid);
  out.expired = std::move(*past);
  return out;
}

}  // namespace

const token_claims& canonical_claims() {
  static const token_claims claims = [] {
    const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    return token_claims{"user-42", {"admin", "billing", "support"}, now, now + 3600, ""};
  }();
  return claims;
}

std::optional<algorithm_fixture> make_fixture(const jws_algorithm& alg) {
  algorithm_fixture fixture;
  fixture.alg = &alg;
  if (alg.family == strict_floor::signature_family::hmac) {
    fixture.key.secret = hmac_secret;
  } else {
    fixture.key.private_pem = private_pem_for(alg.family);
    auto public_pem = public_pem_of(fixture.key.private_pem);
    if (!public_pem) return std::nullopt;
    fixture.key.public_pem = std::move(*public_pem);
  }
  auto keys = make_signature_keys(alg, fixture.key);
  if (!keys) return std::nullopt;
  const strict_floor::strict_jwt signer(alg, std::move(keys->signing));
  token_claims with_jti = canonical_claims();
  with_jti.jti = canonical_jti;
  auto tokens = variants_of(signer, canonical_claims(), nullptr);
  auto kid_tokens = variants_of(signer, canonical_claims(), jwks_token_kid);
  auto jti_tokens = variants_of(signer, with_jti, nullptr);
  if (!tokens || !kid_tokens || !jti_tokens) return std::nullopt;
  fixture.tokens = std::move(*tokens);
  fixture.kid_tokens = std::move(*kid_tokens);
  fixture.jti_tokens = std::move(*jti_tokens);
  return fixture;
}

}  // namespace jot_bench
