#pragma once

// Key encryption (RFC 7518 §4.3, §4.4): AES Key Wrap (RFC 3394, the default IV) and RSAES-OAEP,
// on OpenSSL 3. Unwrapping reports every failure as errc::decryption_failed and nothing else; the
// decrypter then goes on with a random key (RFC 7516 §11.5), so no step can be told apart.

#include <cstddef>
#include <string>
#include <string_view>

#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "jot/detail/openssl.hpp"
#include "jot/jwe/algorithms.hpp"
#include "jot/jwe/detail/content_cipher.hpp"
#include "jot/result.hpp"
#include "jot/secret.hpp"

JOT_BEGIN_NAMESPACE
namespace jwe {
namespace detail {

// The AES Key Wrap integrity block: 8 bytes more than the wrapped key (RFC 3394 §2.2.1).
inline constexpr std::size_t aes_kw_overhead = 8;

// AES Key Wrap of `input` under `kek` (encrypt) or its unwrapping (decrypt).
inline result<std::string> aes_key_wrap(const char* cipher_name, const secret_bytes& kek,
                                        std::string_view input, bool encrypt) {
  EVP_CIPHER* cipher = cipher_named(cipher_name);
  const evp_cipher_ctx_ptr ctx(cipher ? EVP_CIPHER_CTX_new() : nullptr);
  if (!ctx) {
    clear_openssl_errors();
    return errc::crypto_failure;
  }
  EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
  std::string out;
  const bool ok = EVP_CipherInit_ex2(ctx.get(), cipher, bytes_of(kek.unsafe_bytes()), nullptr,
                                     encrypt ? 1 : 0, nullptr) == 1 &&
                  cipher_update(ctx.get(), input, out);
  clear_openssl_errors();
  if (!ok) {
    OPENSSL_cleanse(out.data(), out.size());
    return encrypt ? errc::crypto_failure : errc::decryption_failed;
  }
  return out;
}

// RSAES-OAEP with `digest` for both the label hash and MGF1 (RFC 7518 §4.3), encrypting or
// decrypting `input` with `key`.
inline result<std::string> rsa_oaep(EVP_PKEY* key, const char* digest, std::string_view input,
                                    bool encrypt) {
  const jot::detail::evp_pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  const bool ready =
      ctx && (encrypt ? EVP_PKEY_encrypt_init(ctx.get()) : EVP_PKEY_decrypt_init(ctx.get())) == 1 &&
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) == 1 &&
      EVP_PKEY_CTX_set_rsa_oaep_md_name(ctx.get(), digest, nullptr) == 1 &&
      EVP_PKEY_CTX_set_rsa_mgf1_md_name(ctx.get(), digest, nullptr) == 1;
  if (!ready) {
    clear_openssl_errors();
    return errc::crypto_failure;
  }
  std::string out(static_cast<std::size_t>(EVP_PKEY_get_size(key)), '\0');
  std::size_t written = out.size();
  const auto run = encrypt ? &EVP_PKEY_encrypt : &EVP_PKEY_decrypt;
  const bool ok = run(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &written,
                      bytes_of(input), input.size()) == 1;
  clear_openssl_errors();
  if (!ok) {
    OPENSSL_cleanse(out.data(), out.size());
    return encrypt ? errc::crypto_failure : errc::decryption_failed;
  }
  out.resize(written);
  return out;
}

}  // namespace detail
}  // namespace jwe
JOT_END_NAMESPACE
