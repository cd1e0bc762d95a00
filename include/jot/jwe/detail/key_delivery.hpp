#pragma once

// Key management (RFC 7516 §5.1 steps 1-6, §5.2 steps 9-10): how the sender picks the content
// encryption key (CEK) and delivers it in the JWE Encrypted Key, and how the recipient recovers it.
// One function per direction, dispatching on the algorithm's family from the table.
//
// RFC 7516 §11.5: when unwrapping fails (an RSA-OAEP decryption error, an AES-KW integrity
// failure, a CEK of the wrong length), the recipient goes on with a random CEK of the right
// length, so that the content decryption fails the same way, with the same error
// (errc::decryption_failed) and much the same timing, whichever step went wrong.
//
// ECDH-ES (families ecdh_es and ecdh_es_kw, RFC 7518 §4.6) is wired into both functions when
// jot/jwe/detail/ecdh_es.hpp is part of jot: the sender's agree_as_sender gives Z and the `epk`
// that goes into header_members; concat_kdf(Z, the enc name for ECDH-ES or the alg name for
// ECDH-ES+A*KW, the key size, apu, apv) gives the CEK itself, or the KEK that AES-KW-wraps a
// random CEK. The recipient reads `epk` (and `apu`/`apv`) from the header: agree_as_recipient
// validates it before any derivation, and its refusal (errc::invalid_ephemeral_key) is a verdict
// on the token's header, returned as such, not a §11.5 failure.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "jot/jwe/algorithms.hpp"
#include "jot/jwe/detail/key_material.hpp"
#include "jot/jwe/detail/key_wrap.hpp"
#include "jot/result.hpp"
#include "jot/secret.hpp"

JOT_BEGIN_NAMESPACE
namespace jwe {
namespace detail {

// What the sender puts in the token: the CEK it encrypts with and the JWE Encrypted Key.
struct delivered_key {
  secret_bytes cek;
  std::string encrypted_key;
  // Protected header members the key management adds (ECDH-ES: `epk`); none otherwise.
  nlohmann::json header_members = nlohmann::json::object();
};

// The CEK as a secret; the temporary holding it is wiped.
inline secret_bytes into_secret(std::string& bytes) {
  secret_bytes secret(bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return secret;
}

// The length of the JWE Encrypted Key that `key` produces for `enc`: part of the token's shape,
// checked before any cryptography (a `dir` token carries none, RFC 7516 §5.2 step 10).
inline std::size_t encrypted_key_size(const key_material& key, content_encryption enc) noexcept {
  switch (info(key.alg).family) {
    case key_management_family::aes_kw:
      return info(enc).key_size + aes_kw_overhead;
    case key_management_family::rsa_oaep:
      return static_cast<std::size_t>(EVP_PKEY_get_size(key.pkey.get()));
    default:
      return 0;
  }
}

// Sender: the CEK (a fresh random one, `injected` in tests, the key itself for `dir`) and its
// encryption under `key`.
inline result<delivered_key> deliver_key(const key_material& key, content_encryption enc,
                                         std::optional<secret_bytes> injected = std::nullopt) {
  const key_management_info& row = info(key.alg);
  if (row.family == key_management_family::direct) {
    if (key.secret->size() != info(enc).key_size) return errc::content_key_size_mismatch;
    return delivered_key{key.secret->clone(), {}, nlohmann::json::object()};
  }
  result<secret_bytes> cek =
      injected ? result<secret_bytes>(std::move(*injected)) : generate_secret(info(enc).key_size);
  if (!cek) return cek.error();
  result<std::string> encrypted =
      row.family == key_management_family::aes_kw
          ? aes_key_wrap(row.cipher, *key.secret, cek->unsafe_bytes(), true)
          : rsa_oaep(key.pkey.get(), row.cipher, cek->unsafe_bytes(), true);
  if (!encrypted) return encrypted.error();
  return delivered_key{std::move(*cek), std::move(*encrypted), nlohmann::json::object()};
}

// Recipient: the CEK for `enc` from the JWE Encrypted Key, whose length the caller has checked
// (encrypted_key_size), and the protected `header` (which ECDH-ES reads). Never a verdict on the
// token: any failure yields a random CEK (§11.5). Only OpenSSL failing to run is an error
// (errc::crypto_failure).
inline result<secret_bytes> recover_key(const key_material& key, content_encryption enc,
                                        [[maybe_unused]] const nlohmann::json& header,
                                        std::string_view encrypted_key) {
  const key_management_info& row = info(key.alg);
  const std::size_t size = info(enc).key_size;
  if (row.family == key_management_family::direct) return key.secret->clone();
  result<std::string> cek = row.family == key_management_family::aes_kw
                                ? aes_key_wrap(row.cipher, *key.secret, encrypted_key, false)
                                : rsa_oaep(key.pkey.get(), row.cipher, encrypted_key, false);
  if (cek && cek->size() == size) return into_secret(*cek);
  if (cek) OPENSSL_cleanse(cek->data(), cek->size());
  if (!cek && cek.error() != errc::decryption_failed) return cek.error();
  return generate_secret(size);
}

}  // namespace detail
}  // namespace jwe
JOT_END_NAMESPACE
