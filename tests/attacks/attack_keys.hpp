#pragma once

// Key material, encodings and signatures made with OpenSSL 3 directly, never through jot's key
// code: an attack test must be able to build what jot refuses to build (an HMAC over a public
// key, a signature over a malformed PKCS#1 block, an out-of-range ECDSA scalar), and a crafted
// input must not depend on the code under test being right.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <nlohmann/json.hpp>

#include <jot/jot.hpp>

#include "catch.hpp"
#include "pem_support.hpp"

namespace jot_attack {

struct pkey_deleter {
  void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_deleter>;

struct bn_deleter {
  void operator()(BIGNUM* n) const noexcept { BN_free(n); }
};
using bn_ptr = std::unique_ptr<BIGNUM, bn_deleter>;

inline const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

inline EVP_PKEY* generate_rsa(unsigned bits, unsigned long exponent) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  bn_ptr e(BN_new());
  EVP_PKEY* key = nullptr;
  const bool ok = ctx != nullptr && e && BN_set_word(e.get(), exponent) == 1 &&
                  EVP_PKEY_keygen_init(ctx) == 1 &&
                  EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, static_cast<int>(bits)) == 1 &&
                  EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e.get()) == 1 &&
                  EVP_PKEY_generate(ctx, &key) == 1;
  EVP_PKEY_CTX_free(ctx);
  return ok ? key : nullptr;
}

// One key per kind, generated once per run (RSA generation dominates the suite's time, the more
// so under sanitizers). "rsa" is the victim's RS/PS key and "rsa-attacker" the attacker's own;
// "rsa-e3" has the public exponent 3 that Bleichenbacher's 2006 forgery needs.
inline EVP_PKEY* test_key(const std::string& kind) {
  static std::map<std::string, pkey_ptr> keys;
  auto& slot = keys[kind];
  if (!slot) {
    EVP_PKEY* key = nullptr;
    if (kind == "rsa" || kind == "rsa-attacker") key = generate_rsa(2048, 65537);
    if (kind == "rsa-e3") key = generate_rsa(2048, 3);
    if (kind == "rsa1024") key = generate_rsa(1024, 65537);
    if (kind == "p256" || kind == "p256-attacker") {
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    }
    if (kind == "p384") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
    if (kind == "p521") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-521");
    if (kind == "secp256k1") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp256k1");
    if (kind == "ed25519" || kind == "ed25519-attacker") {
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    }
    if (kind == "ed448") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED448");
    if (kind == "x25519") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519");
    INFO("test key kind " << kind);
    REQUIRE(key != nullptr);
    slot.reset(key);
  }
  return slot.get();
}

// ---- Encodings of a public key: every form a careless application might use as an HMAC secret.

using jot_test::encode_key;  // tests/pem_support.hpp

inline std::string pem_spki(EVP_PKEY* key) {
  return encode_key(key, EVP_PKEY_PUBLIC_KEY, "PEM", "SubjectPublicKeyInfo");
}
inline std::string der_spki(EVP_PKEY* key) {
  return encode_key(key, EVP_PKEY_PUBLIC_KEY, "DER", "SubjectPublicKeyInfo");
}
// RSA only: "-----BEGIN RSA PUBLIC KEY-----" (RFC 8017 A.1.1), the PyJWT CVE-2017-11424 form.
inline std::string pem_pkcs1(EVP_PKEY* key) {
  return encode_key(key, EVP_PKEY_PUBLIC_KEY, "PEM", "type-specific");
}
inline std::string der_pkcs1(EVP_PKEY* key) {
  return encode_key(key, EVP_PKEY_PUBLIC_KEY, "DER", "type-specific");
}

using jot_test::certificate;  // pass the issuer's name to pose as it (ATK-X5C)

inline std::string big_endian(EVP_PKEY* key, const char* param, std::size_t width = 0) {
  BIGNUM* raw = nullptr;
  REQUIRE(EVP_PKEY_get_bn_param(key, param, &raw) == 1);
  bn_ptr n(raw);
  const std::size_t size = width != 0 ? width : static_cast<std::size_t>(BN_num_bytes(n.get()));
  std::string out(size, '\0');
  REQUIRE(BN_bn2binpad(n.get(), reinterpret_cast<unsigned char*>(out.data()),
                       static_cast<int>(size)) == static_cast<int>(size));
  return out;
}

// The ECDSA coordinate size in bytes, from the group order (RFC 7518 §3.4).
inline std::size_t ec_width(EVP_PKEY* key) {
  return (static_cast<std::size_t>(EVP_PKEY_get_bits(key)) + 7) / 8;
}
inline std::string ec_order(EVP_PKEY* key) {
  return big_endian(key, OSSL_PKEY_PARAM_EC_ORDER, ec_width(key));
}

inline std::string raw_public_key(EVP_PKEY* key) {
  std::string out(256, '\0');
  std::size_t size = out.size();
  if (EVP_PKEY_is_a(key, "RSA")) return big_endian(key, OSSL_PKEY_PARAM_RSA_N);
  if (EVP_PKEY_is_a(key, "EC")) {
    REQUIRE(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                            reinterpret_cast<unsigned char*>(out.data()),
                                            out.size(), &size) == 1);
  } else {
    REQUIRE(EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(out.data()), &size) ==
            1);
  }
  out.resize(size);
  return out;
}

// The public JWK (RFC 7517, RFC 7518 §6, RFC 8037 §2), built from OpenSSL's parameters.
inline nlohmann::json public_jwk(EVP_PKEY* key) {
  const auto b64 = [](std::string_view bytes) { return jot::base64url_encode(bytes); };
  if (EVP_PKEY_is_a(key, "RSA")) {
    return {{"kty", "RSA"},
            {"n", b64(big_endian(key, OSSL_PKEY_PARAM_RSA_N))},
            {"e", b64(big_endian(key, OSSL_PKEY_PARAM_RSA_E))}};
  }
  if (EVP_PKEY_is_a(key, "EC")) {
    const std::size_t width = ec_width(key);
    const char* crv = width == 48 ? "P-384" : width == 66 ? "P-521" : "P-256";
    char group[64] = {};
    std::size_t length = 0;
    REQUIRE(EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                           &length) == 1);
    if (std::string_view(group, length) == "secp256k1") crv = "secp256k1";
    return {{"kty", "EC"},
            {"crv", crv},
            {"x", b64(big_endian(key, OSSL_PKEY_PARAM_EC_PUB_X, width))},
            {"y", b64(big_endian(key, OSSL_PKEY_PARAM_EC_PUB_Y, width))}};
  }
  return {{"kty", "OKP"},
          {"crv", EVP_PKEY_is_a(key, "ED448") ? "Ed448" : "Ed25519"},
          {"x", b64(raw_public_key(key))}};
}

// Standard base64 with padding (RFC 4648 §4), as OpenSSH writes it.
inline std::string standard_base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int size = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes_of(bytes),
                                   static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(size));
  return out;
}

// The OpenSSH public key line (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4): the form of PyJWT
// CVE-2022-29217 and python-jose CVE-2024-33663.
inline std::string openssh_line(EVP_PKEY* key) {
  const auto string_field = [](std::string_view value) {
    std::string out;
    const auto size = static_cast<std::uint32_t>(value.size());
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(size >> shift));
    out.append(value);
    return out;
  };
  // mpint: big-endian, with a zero octet when the top bit is set (RFC 4251 §5).
  const auto mpint = [&](std::string value) {
    if (!value.empty() && (static_cast<unsigned char>(value[0]) & 0x80) != 0) value.insert(0, 1, 0);
    return string_field(value);
  };
  std::string type, blob;
  if (EVP_PKEY_is_a(key, "RSA")) {
    type = "ssh-rsa";
    blob = string_field(type) + mpint(big_endian(key, OSSL_PKEY_PARAM_RSA_E)) +
           mpint(big_endian(key, OSSL_PKEY_PARAM_RSA_N));
  } else if (EVP_PKEY_is_a(key, "EC")) {
    type = "ecdsa-sha2-nistp256";
    blob = string_field(type) + string_field("nistp256") + string_field(raw_public_key(key));
  } else {
    type = "ssh-ed25519";
    blob = string_field(type) + string_field(raw_public_key(key));
  }
  return type + " " + standard_base64(blob) + " victim@issuer.example\n";
}

// ---- Signatures in their JWS form.

inline const char* digest_of(jot::algorithm alg) {
  switch (alg) {
    case jot::algorithm::hs384:
    case jot::algorithm::rs384:
    case jot::algorithm::ps384:
    case jot::algorithm::es384:
      return "SHA384";
    case jot::algorithm::hs512:
    case jot::algorithm::rs512:
    case jot::algorithm::ps512:
    case jot::algorithm::es512:
      return "SHA512";
    case jot::algorithm::ed25519:
    case jot::algorithm::ed448:
      return nullptr;
    default:
      return "SHA256";
  }
}

// What OpenSSL signs: DER for ECDSA (SEC 1 §4.1.3), the JWS form for everything else.
inline std::string sign_native(EVP_PKEY* key, jot::algorithm alg, std::string_view input) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  REQUIRE(ctx != nullptr);
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = EVP_DigestSignInit_ex(ctx, &pctx, digest_of(alg), nullptr, nullptr, key, nullptr) == 1;
  if (ok && jot::is_rsa_pss(alg)) {
    // RFC 7518 §3.5: MGF1 with the same hash, a salt as long as the hash.
    ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
  }
  std::string out(static_cast<std::size_t>(EVP_PKEY_get_size(key)), '\0');
  std::size_t size = out.size();
  ok = ok && EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(out.data()), &size,
                            bytes_of(input), input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  REQUIRE(ok);
  out.resize(size);
  return out;
}

// ECDSA: DER (r, s) -> R || S, each left-padded to `width` (RFC 7518 §3.4).
inline std::string der_to_raw(std::string_view der, std::size_t width) {
  const unsigned char* cursor = bytes_of(der);
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size()));
  REQUIRE(sig != nullptr);
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig, &r, &s);
  std::string out(2 * width, '\0');
  auto* dest = reinterpret_cast<unsigned char*>(out.data());
  const bool ok = BN_bn2binpad(r, dest, static_cast<int>(width)) > 0 &&
                  BN_bn2binpad(s, dest + width, static_cast<int>(width)) > 0;
  ECDSA_SIG_free(sig);
  REQUIRE(ok);
  return out;
}

// The JWS signature (RFC 7515 §5.1) of `input` under `key` for `alg`.
inline std::string sign_jws(EVP_PKEY* key, jot::algorithm alg, std::string_view input) {
  std::string native = sign_native(key, alg, input);
  return jot::is_ecdsa(alg) ? der_to_raw(native, ec_width(key)) : native;
}

// HMAC over `data` with any key bytes at all, including the ones jot refuses as secrets.
inline std::string hmac(const char* digest, std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t size = 0;
  const unsigned char* made =
      EVP_Q_mac(nullptr, "HMAC", nullptr, digest, nullptr, key.data(), key.size(), bytes_of(data),
                data.size(), out, sizeof out, &size);
  REQUIRE(made != nullptr);
  return std::string(reinterpret_cast<char*>(out), size);
}

// The raw RSA private operation (m^d mod n) on a full-width block: a genuine RSA signature over
// whatever encoded message the test chooses, well-formed or not (ATK-RSA-PKCS1-PARSE).
inline std::string rsa_private_raw(EVP_PKEY* key, std::string_view block) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr);
  REQUIRE(ctx != nullptr);
  std::string out(static_cast<std::size_t>(EVP_PKEY_get_size(key)), '\0');
  std::size_t size = out.size();
  const bool ok = EVP_PKEY_decrypt_init(ctx) == 1 &&
                  EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) == 1 &&
                  EVP_PKEY_decrypt(ctx, reinterpret_cast<unsigned char*>(out.data()), &size,
                                   bytes_of(block), block.size()) == 1;
  EVP_PKEY_CTX_free(ctx);
  REQUIRE(ok);
  out.resize(size);
  return out;
}

inline std::string random_bytes(std::size_t size) {
  std::string out(size, '\0');
  REQUIRE(RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(size)) == 1);
  return out;
}

// A genuine compact JWE (RFC 7516 §7.1): RSA-OAEP key wrapping to `recipient` and A256GCM
// content encryption of `plaintext`. This is the token of CVE-2023-51774: claims encrypted to
// the server's *public* key, which anyone can do, offered where a signed token is expected.
inline std::string compact_jwe(EVP_PKEY* recipient, std::string_view plaintext) {
  const std::string header =
      jot::base64url_encode(R"({"alg":"RSA-OAEP","enc":"A256GCM","cty":"JWT"})");
  const std::string cek = random_bytes(32), iv = random_bytes(12);

  EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_from_pkey(nullptr, recipient, nullptr);
  REQUIRE(pctx != nullptr);
  std::string wrapped(static_cast<std::size_t>(EVP_PKEY_get_size(recipient)), '\0');
  std::size_t wrapped_size = wrapped.size();
  const bool wrapped_ok = EVP_PKEY_encrypt_init(pctx) == 1 &&
                          EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_OAEP_PADDING) == 1 &&
                          EVP_PKEY_encrypt(pctx, reinterpret_cast<unsigned char*>(wrapped.data()),
                                           &wrapped_size, bytes_of(cek), cek.size()) == 1;
  EVP_PKEY_CTX_free(pctx);
  REQUIRE(wrapped_ok);
  wrapped.resize(wrapped_size);

  EVP_CIPHER* gcm = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  std::string ciphertext(plaintext.size(), '\0');
  std::string tag(16, '\0');
  int size = 0, final_size = 0;
  // RFC 7516 §5.1 step 14: the additional authenticated data is ASCII(BASE64URL(header)).
  bool ok = gcm != nullptr && ctx != nullptr &&
            EVP_EncryptInit_ex2(ctx, gcm, bytes_of(cek), bytes_of(iv), nullptr) == 1 &&
            EVP_EncryptUpdate(ctx, nullptr, &size, bytes_of(header),
                              static_cast<int>(header.size())) == 1 &&
            EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(ciphertext.data()), &size,
                              bytes_of(plaintext), static_cast<int>(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx, nullptr, &final_size) == 1;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag.data(), tag.size()),
      OSSL_PARAM_construct_end()};
  ok = ok && EVP_CIPHER_CTX_get_params(ctx, params) == 1;
  EVP_CIPHER_CTX_free(ctx);
  EVP_CIPHER_free(gcm);
  REQUIRE(ok);
  return header + "." + jot::base64url_encode(wrapped) + "." + jot::base64url_encode(iv) + "." +
         jot::base64url_encode(ciphertext) + "." + jot::base64url_encode(tag);
}

}  // namespace jot_attack
