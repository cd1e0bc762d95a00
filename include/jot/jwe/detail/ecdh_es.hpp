#pragma once

// ECDH-ES key agreement for JWE (RFC 7518 §4.6, RFC 8037 §3.2): the ephemeral key and shared
// secret Z of the sender, the validation of the received ephemeral public key ("epk") and the
// agreement of the recipient. concat_kdf() (concat_kdf.hpp, included) turns Z into a key.
//
// The invalid-curve attack (Jager, Schwenk, Somorovsky, ESORICS 2015) sends points off the
// recipient's curve and learns the private key from whether the tokens made with them decrypt; an
// X25519 point of small order makes the shared secret zero (docs/security.md, "ECDH-ES: the
// invalid-curve attack"). So every epk is checked in full before any derivation
// (parse_ephemeral_key()).

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <nlohmann/json.hpp>

#include "jot/algorithm.hpp"
#include "jot/base64url.hpp"
#include "jot/detail/jwk_import.hpp"
#include "jot/detail/openssl.hpp"
#include "jot/jwe/detail/concat_kdf.hpp"
#include "jot/result.hpp"
#include "jot/secret.hpp"

JOT_BEGIN_NAMESPACE
namespace jwe::detail {

using jot::detail::clear_openssl_errors;
using jot::detail::evp_pkey_ctx_ptr;
using jot::detail::evp_pkey_ptr;

// A curve ECDH-ES runs on: its JWK key type and `crv`, OpenSSL's name of the group (EC) or key
// type (OKP), and the size in bytes of a coordinate (EC) or of a public key (OKP).
struct agreement_curve {
  std::string_view kty;
  std::string_view crv;
  const char* group;
  std::size_t size;
};

constexpr agreement_curve ec_agreement_curve(algorithm alg) {
  const auto& row = jot::detail::info(alg);
  return {"EC", row.crv, row.group, row.key_size};
}

// P-256, P-384, P-521 (RFC 7518 §4.6) and X25519 (RFC 8037 §3.2). X448 and secp256k1 are not
// offered for key agreement.
inline constexpr agreement_curve agreement_curves[] = {
    ec_agreement_curve(algorithm::es256),
    ec_agreement_curve(algorithm::es384),
    ec_agreement_curve(algorithm::es512),
    {"OKP", "X25519", "X25519", 32},
};

inline bool is_x25519(const agreement_curve& curve) noexcept { return curve.kty == "OKP"; }

// The curve of a key jot agrees with: key_type_mismatch for a key that is neither EC nor X25519,
// curve_mismatch for an EC key on a curve ECDH-ES does not offer.
inline result<const agreement_curve*> agreement_curve_of(EVP_PKEY* key) {
  if (key == nullptr) return errc::invalid_argument;
  if (EVP_PKEY_is_a(key, "X25519")) return &agreement_curves[3];
  if (!EVP_PKEY_is_a(key, "EC")) return errc::key_type_mismatch;
  char group[64] = {};
  std::size_t length = 0;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                     &length) != 1) {
    clear_openssl_errors();
    return errc::curve_mismatch;  // explicit curve parameters
  }
  for (const auto& curve : agreement_curves) {
    if (!is_x25519(curve) && std::string_view(group, length) == curve.group) return &curve;
  }
  return errc::curve_mismatch;
}

// The X25519 public values of small order, each as 32 little-endian bytes (RFC 7748 §5) with
// the unused top bit clear: 0, 1, the two points of order 8, p - 1, and p and p + 1, which are
// 0 and 1 again as X25519 reduces its input modulo p = 2^255 - 19. With any private key their
// shared secret is all zero; no other input gives it (the curve and its twist have cofactors 8
// and 4, and every X25519 scalar is a multiple of 8).
inline constexpr unsigned char x25519_small_order_points[][32] = {
    {0},
    {1},
    {0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3,
     0xfa, 0xf1, 0x9f, 0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32,
     0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00},
    {0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1,
     0x55, 0x9c, 0x83, 0xef, 0x5b, 0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c,
     0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f, 0x11, 0x57},
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
};

// Is the X25519 public key `key` one of the small-order points, with or without the top bit,
// which X25519 ignores (RFC 7748 §5)? The value is public: no need for constant time.
inline result<bool> is_small_order_x25519(EVP_PKEY* key) {
  unsigned char u[32];
  std::size_t size = sizeof u;
  if (EVP_PKEY_get_raw_public_key(key, u, &size) != 1 || size != sizeof u) {
    clear_openssl_errors();
    return errc::crypto_failure;
  }
  u[31] &= 0x7f;
  for (const auto& point : x25519_small_order_points) {
    if (std::equal(u, u + sizeof u, point)) return true;
  }
  return false;
}

// The length of the unpadded base64url text of `size` bytes (RFC 4648 §5, RFC 7515 §2).
constexpr std::size_t base64url_length(std::size_t size) noexcept { return (size * 4 + 2) / 3; }

// The "epk" of a JWE protected header as a public key on `curve` (RFC 7518 §4.6.1.1): exactly
// the recipient's kty and crv, no private member (d), no y for X25519, coordinates of the curve's
// width in canonical base64url, a point on the curve other than the point at infinity, not of small
// order (X25519). Every refusal is errc::invalid_ephemeral_key; only OpenSSL failing is
// crypto_failure. The work is bounded: member lengths are checked before anything is decoded.
inline result<evp_pkey_ptr> parse_ephemeral_key(const agreement_curve& curve,
                                                const nlohmann::json& epk) {
  if (!epk.is_object() || epk.contains("d")) return errc::invalid_ephemeral_key;
  const auto kty = epk.find("kty"), crv = epk.find("crv");
  if (kty == epk.end() || crv == epk.end() || *kty != curve.kty || *crv != curve.crv) {
    return errc::invalid_ephemeral_key;
  }
  for (const char* member : {"x", "y"}) {
    const auto it = epk.find(member);
    if (it == epk.end()) continue;
    if (is_x25519(curve) && *member == 'y') return errc::invalid_ephemeral_key;  // RFC 8037 §2
    if (!it->is_string() ||
        it->get_ref<const std::string&>().size() != base64url_length(curve.size)) {
      return errc::invalid_ephemeral_key;
    }
  }
  bool has_private = false;
  auto key = is_x25519(curve)
                 ? jot::detail::okp_key_from_members(epk, curve.group, curve.size, has_private)
                 : jot::detail::ec_key_from_members(epk, curve.group, curve.size, has_private);
  if (!key) {
    return key.error() == errc::crypto_failure ? errc::crypto_failure : errc::invalid_ephemeral_key;
  }
  if (is_x25519(curve)) {
    const auto small = is_small_order_x25519(key->get());
    if (!small) return small.error();
    if (*small) return errc::invalid_ephemeral_key;
    return key;
  }
  // Partial public-key validation (SP 800-56A §5.6.2.3.4): coordinates below p, on the curve,
  // not the point at infinity. On these curves of cofactor 1 that makes the point one of prime
  // order n; derive_shared_secret() has OpenSSL check n * point = infinity as well.
  const evp_pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key->get(), nullptr));
  if (!ctx) return errc::crypto_failure;
  const bool valid = EVP_PKEY_public_check_quick(ctx.get()) == 1;
  clear_openssl_errors();
  if (!valid) return errc::invalid_ephemeral_key;
  return key;
}

// Z = ECDH(own private key, peer public key): the x-coordinate for EC (SEC 1 §3.3.1), the X25519
// output for OKP (RFC 7748 §6.1). OpenSSL validates the peer in full (EVP_PKEY_public_check) and
// checks that both keys share the domain parameters. An all-zero X25519 output (a peer of small
// order, RFC 7748 §6.1) is invalid_ephemeral_key; OpenSSL 3 refuses to return one already
// (crypto_failure then), and the callers exclude those points before deriving. On the NIST curves
// an all-zero Z is the x-coordinate 0 of a legitimate point, which only the holder of the private
// key can aim at.
inline result<secret_bytes> derive_shared_secret(EVP_PKEY* own, EVP_PKEY* peer) {
  const evp_pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, own, nullptr));
  std::size_t size = 0;
  const bool ready = ctx && EVP_PKEY_derive_init(ctx.get()) == 1 &&
                     EVP_PKEY_derive_set_peer_ex(ctx.get(), peer, 1) == 1 &&
                     EVP_PKEY_derive(ctx.get(), nullptr, &size) == 1 && size != 0 && size <= 66;
  unsigned char z[66];  // the largest Z: a P-521 coordinate
  const bool derived = ready && EVP_PKEY_derive(ctx.get(), z, &size) == 1;
  clear_openssl_errors();
  if (!derived) return errc::crypto_failure;
  unsigned char any = 0;
  for (std::size_t i = 0; i < size; ++i) any = static_cast<unsigned char>(any | z[i]);
  secret_bytes shared(std::string_view(reinterpret_cast<const char*>(z), size));
  OPENSSL_cleanse(z, sizeof z);
  if (any == 0 && EVP_PKEY_is_a(own, "X25519")) return errc::invalid_ephemeral_key;
  return shared;
}

// The public members of the ephemeral key for the "epk" header: kty, crv, x (and y for EC), each
// coordinate at the curve's full width (RFC 7518 §6.2.1.2, RFC 8037 §2).
inline result<nlohmann::json> public_jwk(const agreement_curve& curve, EVP_PKEY* key) {
  unsigned char encoded[1 + 2 * 66];
  std::size_t size = 0;
  const bool ok =
      is_x25519(curve)
          ? (size = sizeof encoded, EVP_PKEY_get_raw_public_key(key, encoded, &size) == 1) &&
                size == curve.size
          : EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, encoded,
                                            sizeof encoded, &size) == 1 &&
                size == 1 + 2 * curve.size && encoded[0] == 0x04;  // uncompressed (SEC 1 §2.3.3)
  clear_openssl_errors();
  if (!ok) return errc::crypto_failure;
  const auto* bytes = reinterpret_cast<const char*>(encoded);
  if (is_x25519(curve)) {
    return nlohmann::json{{"kty", curve.kty},
                          {"crv", curve.crv},
                          {"x", base64url_encode(std::string_view(bytes, size))}};
  }
  return nlohmann::json{
      {"kty", curve.kty},
      {"crv", curve.crv},
      {"x", base64url_encode(std::string_view(bytes + 1, curve.size))},
      {"y", base64url_encode(std::string_view(bytes + 1 + curve.size, curve.size))}};
}

// What the sender of an ECDH-ES JWE holds after the agreement: the shared secret Z, input of
// concat_kdf(), and the "epk" member (the ephemeral public key, public members only) for the
// protected header.
struct ephemeral_agreement {
  secret_bytes shared_secret;
  nlohmann::json epk;
};

// The sender's agreement with a given ephemeral key pair; agree_as_sender() makes a fresh one.
// Tests use this to reproduce published examples. The three agree_* functions and concat_kdf()
// throw nothing: an allocation failure is errc::out_of_memory.
inline result<ephemeral_agreement> agree_with_ephemeral(EVP_PKEY* ephemeral_private,
                                                        EVP_PKEY* recipient_public) {
  JOT_TRY {
    auto curve = agreement_curve_of(recipient_public);
    if (!curve) return curve.error();
    auto own_curve = agreement_curve_of(ephemeral_private);
    if (!own_curve) return own_curve.error();
    if (*own_curve != *curve) return errc::curve_mismatch;
    if (is_x25519(**curve)) {  // a configured key, never one from the wire: a misconfiguration
      const auto small = is_small_order_x25519(recipient_public);
      if (!small) return small.error();
      if (*small) return errc::invalid_key;
    }
    auto epk = public_jwk(**curve, ephemeral_private);
    if (!epk) return epk.error();
    auto shared = derive_shared_secret(ephemeral_private, recipient_public);
    if (!shared) return shared.error();
    return ephemeral_agreement{std::move(*shared), std::move(*epk)};
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }
}

// A fresh key pair on `curve`; null when OpenSSL fails.
inline evp_pkey_ptr generate_on(const agreement_curve& curve) {
  evp_pkey_ptr key(is_x25519(curve) ? EVP_PKEY_Q_keygen(nullptr, nullptr, curve.group)
                                    : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve.group));
  clear_openssl_errors();
  return key;
}

// Sender side of ECDH-ES (RFC 7518 §4.6): a fresh ephemeral key on the recipient key's curve,
// the shared secret Z with the recipient's public key, and the "epk" for the protected header.
// key_type_mismatch or curve_mismatch for a key ECDH-ES does not run on.
inline result<ephemeral_agreement> agree_as_sender(EVP_PKEY* recipient_public) {
  JOT_TRY {
    auto curve = agreement_curve_of(recipient_public);
    if (!curve) return curve.error();
    const evp_pkey_ptr ephemeral = generate_on(**curve);
    if (!ephemeral) return errc::crypto_failure;
    return agree_with_ephemeral(ephemeral.get(), recipient_public);
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }
}

// Recipient side of ECDH-ES: validates `epk` against the recipient key's curve (see
// parse_ephemeral_key(); errc::invalid_ephemeral_key for any fault) before any derivation, then
// returns the shared secret Z.
inline result<secret_bytes> agree_as_recipient(EVP_PKEY* recipient_private,
                                               const nlohmann::json& epk) {
  JOT_TRY {
    auto curve = agreement_curve_of(recipient_private);
    if (!curve) return curve.error();
    auto ephemeral = parse_ephemeral_key(**curve, epk);
    if (!ephemeral) return ephemeral.error();
    return derive_shared_secret(recipient_private, ephemeral->get());
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }
}

}  // namespace jwe::detail
JOT_END_NAMESPACE
