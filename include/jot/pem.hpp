#pragma once

// PEM export of asymmetric keys: SubjectPublicKeyInfo ("PUBLIC KEY", RFC 5280 §4.1.2.7) for
// verification keys and PKCS#8 ("PRIVATE KEY", RFC 5208) for signing keys. Import is on the key
// types (from_pem / from_der). HMAC secrets have no PEM form: errc::invalid_key.

#include <string>

#include <openssl/encoder.h>

#include "jot/detail/evp_signature.hpp"
#include "jot/keys.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {
inline result<std::string> encode_pem(EVP_PKEY* key, int selection, const char* structure) {
  const encoder_ctx_ptr ctx(
      OSSL_ENCODER_CTX_new_for_pkey(key, selection, "PEM", structure, nullptr));
  unsigned char* data = nullptr;
  std::size_t size = 0;
  const bool ok = ctx && OSSL_ENCODER_to_data(ctx.get(), &data, &size) == 1;
  const openssl_bytes owned(data);
  clear_openssl_errors();
  if (!ok) return errc::crypto_failure;
  std::string out(reinterpret_cast<char*>(data), size);
  OPENSSL_cleanse(data, size);  // a private key's PEM
  return out;
}
}  // namespace detail

// A public key as PEM "PUBLIC KEY" (SubjectPublicKeyInfo), which every PEM reader takes.
// errc::invalid_key for an HMAC key (no public form) or an application-defined key.
inline result<std::string> to_public_pem(const verification_key& key) {
  const auto* impl = dynamic_cast<const detail::evp_signature_key*>(&key.implementation());
  if (impl == nullptr) return errc::invalid_key;
  return detail::encode_pem(impl->pkey(), EVP_PKEY_PUBLIC_KEY, "SubjectPublicKeyInfo");
}

// The public key of a signing key, as above; errc::invalid_key for an HMAC key.
inline result<std::string> to_public_pem(const signing_key& key) {
  auto verification = key.verification_key();
  if (!verification) return verification.error();
  return to_public_pem(*verification);
}

// Unencrypted PKCS#8: whoever reads it can sign. Store it like a password.
inline result<std::string> unsafe_to_private_pem(const signing_key& key) {
  const auto* impl = dynamic_cast<const detail::evp_signature_key*>(&key.implementation());
  if (impl == nullptr || !impl->can_sign()) return errc::invalid_key;
  return detail::encode_pem(impl->pkey(), EVP_PKEY_KEYPAIR, "PrivateKeyInfo");
}

JOT_END_NAMESPACE
