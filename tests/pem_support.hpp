#pragma once

// Test keys made with OpenSSL directly (not through jot), in the encodings jot must read.

#include <map>
#include <memory>
#include <string>

#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "catch.hpp"

namespace jot_test {

struct pkey_free {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using pkey = std::unique_ptr<EVP_PKEY, pkey_free>;

// `selection`: EVP_PKEY_PUBLIC_KEY or EVP_PKEY_KEYPAIR; `structure`: "SubjectPublicKeyInfo",
// "PrivateKeyInfo" (PKCS#8) or "type-specific" (PKCS#1 / SEC 1). A password encrypts the key.
inline std::string encode_key(EVP_PKEY* key, int selection, const char* format,
                              const char* structure, const std::string& password = {}) {
  OSSL_ENCODER_CTX* ctx = OSSL_ENCODER_CTX_new_for_pkey(key, selection, format, structure, nullptr);
  REQUIRE(ctx != nullptr);
  if (!password.empty()) {
    REQUIRE(OSSL_ENCODER_CTX_set_cipher(ctx, "AES-256-CBC", nullptr) == 1);
    REQUIRE(OSSL_ENCODER_CTX_set_passphrase(ctx,
                                            reinterpret_cast<const unsigned char*>(password.data()),
                                            password.size()) == 1);
  }
  unsigned char* data = nullptr;
  std::size_t size = 0;
  REQUIRE(OSSL_ENCODER_to_data(ctx, &data, &size) == 1);
  std::string out(reinterpret_cast<char*>(data), size);
  OPENSSL_free(data);
  OSSL_ENCODER_CTX_free(ctx);
  return out;
}

inline std::string public_pem(EVP_PKEY* key) {
  return encode_key(key, EVP_PKEY_PUBLIC_KEY, "PEM", "SubjectPublicKeyInfo");
}
inline std::string private_pem(EVP_PKEY* key) {
  return encode_key(key, EVP_PKEY_KEYPAIR, "PEM", "PrivateKeyInfo");
}

// A self-signed certificate for `key` (PEM when `pem`, else DER), subject and issuer CN
// `common_name` (an attacker may pose as the real issuer). With `signer`, that key signs it
// instead (for a subject key that cannot sign, such as a bare public key).
inline std::string certificate(EVP_PKEY* key, bool pem, const char* common_name = "jot test",
                               EVP_PKEY* signer = nullptr) {
  if (signer == nullptr) signer = key;
  X509* cert = X509_new();
  REQUIRE(cert != nullptr);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_set_pubkey(cert, key);
  const bool edwards = EVP_PKEY_is_a(signer, "ED25519") || EVP_PKEY_is_a(signer, "ED448");
  REQUIRE(X509_sign(cert, signer, edwards ? nullptr : EVP_sha256()) > 0);
  std::string out;
  if (pem) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    out.assign(data, static_cast<std::size_t>(size));
    BIO_free(bio);
  } else {
    unsigned char* der = nullptr;
    const int size = i2d_X509(cert, &der);
    REQUIRE(size > 0);
    out.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(size));
    OPENSSL_free(der);
  }
  X509_free(cert);
  return out;
}

// One key per kind, generated once per test run ("rsa1024", "rsa2048", "p256", "p384", "p521",
// "secp256k1", "ed25519", "ed448").
inline EVP_PKEY* test_key(const std::string& kind) {
  static std::map<std::string, pkey> keys;
  auto& slot = keys[kind];
  if (!slot) {
    EVP_PKEY* key = nullptr;
    if (kind == "rsa1024") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{1024});
    if (kind == "rsa2048") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048});
    if (kind == "p256") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    if (kind == "p384") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
    if (kind == "p521") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-521");
    if (kind == "secp256k1") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp256k1");
    if (kind == "ed25519") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    if (kind == "ed448") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED448");
    REQUIRE(key != nullptr);
    slot.reset(key);
  }
  return slot.get();
}

}  // namespace jot_test
