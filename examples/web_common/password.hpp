#pragma once

// Salted password hashes for the demo's users: PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) through
// OpenSSL 3's EVP_KDF, a random 16-byte salt per user, compared in constant time. A real service
// would store the hashes (and prefer a memory-hard KDF such as Argon2); the demo computes them at
// start from its demo passwords so that the process never keeps a password in memory.

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace demo {

class password_hash {
 public:
  // nullopt when OpenSSL cannot draw a salt or run the KDF.
  static std::optional<password_hash> create(std::string_view password) {
    password_hash hash;
    if (RAND_bytes(hash.salt_.data(), static_cast<int>(hash.salt_.size())) != 1) return {};
    if (!derive(password, hash.salt_, hash.digest_)) return {};
    return hash;
  }

  bool matches(std::string_view password) const {
    digest candidate{};
    if (!derive(password, salt_, candidate)) return false;
    // CRYPTO_memcmp: the time taken does not tell how many leading bytes matched.
    return CRYPTO_memcmp(candidate.data(), digest_.data(), digest_.size()) == 0;
  }

 private:
  using salt = std::array<unsigned char, 16>;
  using digest = std::array<unsigned char, 32>;
  // OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.
  static constexpr unsigned int iterations = 600000;

  static bool derive(std::string_view password, const salt& salt_bytes, digest& out) {
    struct kdf_deleter {
      void operator()(EVP_KDF* kdf) const noexcept { EVP_KDF_free(kdf); }
    };
    struct ctx_deleter {
      void operator()(EVP_KDF_CTX* ctx) const noexcept { EVP_KDF_CTX_free(ctx); }
    };
    std::unique_ptr<EVP_KDF, kdf_deleter> kdf(EVP_KDF_fetch(nullptr, "PBKDF2", nullptr));
    if (!kdf) return false;
    std::unique_ptr<EVP_KDF_CTX, ctx_deleter> ctx(EVP_KDF_CTX_new(kdf.get()));
    if (!ctx) return false;
    unsigned int rounds = iterations;
    char digest_name[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
                                          const_cast<char*>(password.data()), password.size()),
        OSSL_PARAM_construct_octet_string(
            OSSL_KDF_PARAM_SALT, const_cast<unsigned char*>(salt_bytes.data()), salt_bytes.size()),
        OSSL_PARAM_construct_uint(OSSL_KDF_PARAM_ITER, &rounds),
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest_name, 0),
        OSSL_PARAM_construct_end()};
    return EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) == 1;
  }

  password_hash() = default;
  salt salt_{};
  digest digest_{};
};

}  // namespace demo
