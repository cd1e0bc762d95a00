#pragma once

// Content encryption (RFC 7518 §5) on OpenSSL 3's EVP_CIPHER and EVP_MAC: AES-GCM (§5.3) and
// AES-CBC with HMAC-SHA-2 (§5.2). The sizes come from the algorithm's table row; the caller has
// checked that the IV and the tag have exactly them. Decryption either returns the plaintext or
// errc::decryption_failed, whatever went wrong (RFC 7516 §11.5: one error for every failure).

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "jot/detail/hmac.hpp"
#include "jot/detail/openssl.hpp"
#include "jot/jwe/algorithms.hpp"
#include "jot/result.hpp"
#include "jot/secret.hpp"

JOT_BEGIN_NAMESPACE
namespace jwe {
namespace detail {

using jot::detail::clear_openssl_errors;
using jot::detail::fetched_algorithm;
using evp_cipher_ctx_ptr = jot::detail::openssl_ptr<EVP_CIPHER_CTX, &EVP_CIPHER_CTX_free>;

// A cipher by its OpenSSL name, fetched once per name and process (the names come from the two
// algorithm tables, a handful in all).
inline EVP_CIPHER* cipher_named(std::string_view name) noexcept {
  static constexpr std::string_view names[] = {"AES-128-GCM", "AES-256-GCM",  "AES-128-CBC",
                                               "AES-256-CBC", "AES-128-WRAP", "AES-256-WRAP"};
  static fetched_algorithm<EVP_CIPHER, &EVP_CIPHER_fetch, &EVP_CIPHER_free>
      ciphers[std::size(names)];
  for (std::size_t i = 0; i < std::size(names); ++i) {
    if (names[i] == name) return ciphers[i].get(names[i].data());
  }
  return nullptr;
}

inline const unsigned char* bytes_of(std::string_view text) noexcept {
  return reinterpret_cast<const unsigned char*>(text.data());
}

// The ciphertext and the authentication tag of one encryption.
struct sealed_content {
  std::string ciphertext;
  std::string tag;
};

// Runs `input` through an initialised cipher context, appending to `out`; false on failure.
inline bool cipher_update(EVP_CIPHER_CTX* ctx, std::string_view input, std::string& out) {
  const std::size_t start = out.size();
  out.resize(start + input.size() + 16);  // one block more: CBC padding
  int written = 0;
  if (!input.empty() &&
      EVP_CipherUpdate(ctx, reinterpret_cast<unsigned char*>(out.data() + start), &written,
                       bytes_of(input), static_cast<int>(input.size())) != 1) {
    return false;
  }
  int final_written = 0;
  if (EVP_CipherFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data() + start + written),
                         &final_written) != 1) {
    return false;
  }
  out.resize(start + static_cast<std::size_t>(written + final_written));
  return true;
}

// HMAC over AAD || IV || ciphertext || AL, AL being the AAD's length in bits as a 64-bit
// big-endian integer (RFC 7518 §5.2.2.1 steps 4-5), truncated to the tag size.
inline result<std::string> cbc_hmac_tag(const content_encryption_info& row,
                                        std::string_view mac_key, std::string_view aad,
                                        std::string_view iv, std::string_view ciphertext) {
  unsigned char al[8];
  const std::uint64_t bits = static_cast<std::uint64_t>(aad.size()) * 8;
  for (int i = 0; i < 8; ++i) al[i] = static_cast<unsigned char>(bits >> (56 - 8 * i));
  EVP_MAC* mac = jot::detail::hmac_implementation();
  const jot::detail::evp_mac_ctx_ptr ctx(mac ? EVP_MAC_CTX_new(mac) : nullptr);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(row.digest), 0),
      OSSL_PARAM_construct_end()};
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t written = 0;
  const bool ok = ctx && EVP_MAC_init(ctx.get(), bytes_of(mac_key), mac_key.size(), params) == 1 &&
                  EVP_MAC_update(ctx.get(), bytes_of(aad), aad.size()) == 1 &&
                  EVP_MAC_update(ctx.get(), bytes_of(iv), iv.size()) == 1 &&
                  EVP_MAC_update(ctx.get(), bytes_of(ciphertext), ciphertext.size()) == 1 &&
                  EVP_MAC_update(ctx.get(), al, sizeof al) == 1 &&
                  EVP_MAC_final(ctx.get(), out, &written, sizeof out) == 1 &&
                  written >= row.tag_size;
  if (!ok) {
    clear_openssl_errors();
    return errc::crypto_failure;
  }
  std::string tag(reinterpret_cast<const char*>(out), row.tag_size);
  OPENSSL_cleanse(out, sizeof out);
  return tag;
}

// Starts a cipher context for `row` with `key` and `iv`; nullptr on failure.
inline evp_cipher_ctx_ptr start_cipher(const content_encryption_info& row, std::string_view key,
                                       std::string_view iv, bool encrypt) {
  EVP_CIPHER* cipher = cipher_named(row.cipher);
  evp_cipher_ctx_ptr ctx(cipher ? EVP_CIPHER_CTX_new() : nullptr);
  if (!ctx) return ctx;
  const bool gcm = row.family == content_family::gcm;
  OSSL_PARAM params[] = {OSSL_PARAM_construct_end(), OSSL_PARAM_construct_end()};
  std::size_t iv_length = iv.size();
  if (gcm) params[0] = OSSL_PARAM_construct_size_t(OSSL_CIPHER_PARAM_IVLEN, &iv_length);
  if (EVP_CipherInit_ex2(ctx.get(), cipher, nullptr, nullptr, encrypt ? 1 : 0, params) != 1 ||
      EVP_CipherInit_ex2(ctx.get(), nullptr, bytes_of(key), bytes_of(iv), encrypt ? 1 : 0,
                         nullptr) != 1) {
    ctx.reset();
  }
  return ctx;
}

// Encrypts `plaintext` under `cek` with `iv`, authenticating `aad` (RFC 7516 §5.1 step 15).
inline result<sealed_content> encrypt_content(content_encryption enc, const secret_bytes& cek,
                                              std::string_view iv, std::string_view aad,
                                              std::string_view plaintext) {
  const content_encryption_info& row = info(enc);
  if (cek.size() != row.key_size || iv.size() != row.iv_size) return errc::invalid_argument;
  const std::string_view key = cek.unsafe_bytes();
  sealed_content out;
  if (row.family == content_family::gcm) {
    const auto ctx = start_cipher(row, key, iv, true);
    int ignored = 0;
    out.tag.resize(row.tag_size);
    const bool ok = ctx &&
                    EVP_CipherUpdate(ctx.get(), nullptr, &ignored, bytes_of(aad),
                                     static_cast<int>(aad.size())) == 1 &&
                    cipher_update(ctx.get(), plaintext, out.ciphertext) &&
                    EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG,
                                        static_cast<int>(row.tag_size), out.tag.data()) == 1;
    if (!ok) {
      clear_openssl_errors();
      return errc::crypto_failure;
    }
    return out;
  }
  // CBC-HMAC: MAC_KEY is the first half of the CEK, ENC_KEY the second (§5.2.2.1 step 1).
  const std::size_t half = row.key_size / 2;
  const auto ctx = start_cipher(row, key.substr(half), iv, true);
  if (!ctx || !cipher_update(ctx.get(), plaintext, out.ciphertext)) {
    clear_openssl_errors();
    return errc::crypto_failure;
  }
  auto tag = cbc_hmac_tag(row, key.substr(0, half), aad, iv, out.ciphertext);
  if (!tag) return tag.error();
  out.tag = std::move(*tag);
  return out;
}

// Decrypts and authenticates (RFC 7516 §5.2 step 16): the plaintext, or errc::decryption_failed.
// CBC-HMAC compares the tag in constant time before it decrypts anything (§5.2.2.2), so a padding
// error can never be observed apart from a tag error.
inline result<std::string> decrypt_content(content_encryption enc, const secret_bytes& cek,
                                           std::string_view iv, std::string_view aad,
                                           std::string_view ciphertext, std::string_view tag) {
  const content_encryption_info& row = info(enc);
  if (cek.size() != row.key_size || iv.size() != row.iv_size || tag.size() != row.tag_size) {
    return errc::decryption_failed;
  }
  const std::string_view key = cek.unsafe_bytes();
  std::string plaintext;
  if (row.family == content_family::gcm) {
    const auto ctx = start_cipher(row, key, iv, false);
    if (!ctx) {
      clear_openssl_errors();
      return errc::crypto_failure;
    }
    int ignored = 0;
    std::string expected(tag);  // OpenSSL's ctrl takes a non-const pointer
    const bool ok = EVP_CipherUpdate(ctx.get(), nullptr, &ignored, bytes_of(aad),
                                     static_cast<int>(aad.size())) == 1 &&
                    EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG,
                                        static_cast<int>(tag.size()), expected.data()) == 1 &&
                    cipher_update(ctx.get(), ciphertext, plaintext);
    clear_openssl_errors();
    if (!ok) {
      OPENSSL_cleanse(plaintext.data(), plaintext.size());
      return errc::decryption_failed;
    }
    return plaintext;
  }
  const std::size_t half = row.key_size / 2;
  auto computed = cbc_hmac_tag(row, key.substr(0, half), aad, iv, ciphertext);
  if (!computed) return computed.error();
  if (CRYPTO_memcmp(computed->data(), tag.data(), tag.size()) != 0) return errc::decryption_failed;
  const auto ctx = start_cipher(row, key.substr(half), iv, false);
  const bool ok = ctx && cipher_update(ctx.get(), ciphertext, plaintext);
  clear_openssl_errors();
  if (!ok) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return errc::decryption_failed;
  }
  return plaintext;
}

}  // namespace detail
}  // namespace jwe
JOT_END_NAMESPACE
