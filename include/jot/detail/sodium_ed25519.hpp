#pragma once

// Ed25519 signing and verification on libsodium (crypto_sign_detached and
// crypto_sign_verify_detached), used instead of OpenSSL when jot is built with
// JOT_ED25519_LIBSODIUM defined (CMake: JOT_ED25519_BACKEND; pkg-config: jot.pc's Cflags). Every
// translation unit of a program must agree on that definition. The key is still loaded, checked
// and exported by OpenSSL; only the two operations per token run here, faster than on
// OpenSSL 3.0 (docs/benchmark.md). Signatures are the same bytes: both follow RFC 8032 §5.1.6,
// which is deterministic. The verdicts are the same too: where the two libraries differ (a
// public key or an R of small order), jot decides before either runs: such a key is never made
// (pkey.hpp), such a signature is refused in evp_signature_key::verify.

#include <cstddef>
#include <string>
#include <string_view>

#include <sodium.h>

#include "jot/detail/openssl.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

class sodium_ed25519 {
 public:
  sodium_ed25519() = default;
  sodium_ed25519(const sodium_ed25519&) = delete;
  sodium_ed25519& operator=(const sodium_ed25519&) = delete;
  // The secret key holds the seed (RFC 8032 §5.1.5): wiped, like secret_bytes.
  ~sodium_ed25519() { sodium_memzero(secret_key_, sizeof secret_key_); }

  // Takes the raw public key of `key` (an Ed25519 EVP_PKEY), and with `can_sign` its seed, from
  // which libsodium derives its 64-byte secret key (seed || public key). A derived public key
  // that differs from OpenSSL's would mean the two libraries disagree: crypto_failure.
  result<void> load(EVP_PKEY* key, bool can_sign) {
    // sodium_init() is thread-safe and idempotent; the static only saves its lock on later keys.
    static const bool initialised = sodium_init() >= 0;
    std::size_t size = sizeof public_key_;
    const bool ok = initialised && EVP_PKEY_get_raw_public_key(key, public_key_, &size) == 1 &&
                    size == sizeof public_key_;
    if (!ok) {
      clear_openssl_errors();
      return errc::crypto_failure;
    }
    if (!can_sign) return {};
    unsigned char seed[crypto_sign_SEEDBYTES];
    unsigned char derived[crypto_sign_PUBLICKEYBYTES];
    size = sizeof seed;
    const bool derived_ok = EVP_PKEY_get_raw_private_key(key, seed, &size) == 1 &&
                            size == sizeof seed &&
                            crypto_sign_seed_keypair(derived, secret_key_, seed) == 0 &&
                            sodium_memcmp(derived, public_key_, sizeof derived) == 0;
    sodium_memzero(seed, sizeof seed);
    if (!derived_ok) {
      clear_openssl_errors();
      sodium_memzero(secret_key_, sizeof secret_key_);
      return errc::crypto_failure;
    }
    return {};
  }

  result<std::string> sign(std::string_view signing_input) const {
    std::string out(crypto_sign_BYTES, '\0');
    if (crypto_sign_detached(reinterpret_cast<unsigned char*>(out.data()), nullptr,
                             reinterpret_cast<const unsigned char*>(signing_input.data()),
                             signing_input.size(), secret_key_) != 0) {
      return errc::crypto_failure;
    }
    return out;
  }

  // `signature` is crypto_sign_BYTES long (the caller checked).
  bool verify(std::string_view signing_input, const unsigned char* signature) const noexcept {
    return crypto_sign_verify_detached(signature,
                                       reinterpret_cast<const unsigned char*>(signing_input.data()),
                                       signing_input.size(), public_key_) == 0;
  }

 private:
  unsigned char public_key_[crypto_sign_PUBLICKEYBYTES] = {};
  unsigned char secret_key_[crypto_sign_SECRETKEYBYTES] = {};
};

}  // namespace detail
JOT_END_NAMESPACE
