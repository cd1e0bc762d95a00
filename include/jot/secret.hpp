#pragma once

// secret_bytes: key material that wipes itself, compares in constant time and is never printed.
// generate_secret(): a fresh random HMAC secret of a safe size from the OpenSSL CSPRNG.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "jot/algorithm.hpp"
#include "jot/base64url.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

// Move-only owner of secret bytes. The buffer is wiped with OPENSSL_cleanse when the object is
// destroyed or moved from. Copies are explicit (clone()); raw access is unsafe_bytes(), so every
// read of secret material is one grep away. Not thread-safe to mutate; const use is.
class secret_bytes {
 public:
  secret_bytes() = default;
  // Copies `bytes`; wipe the caller's copy yourself if it came from a file or the environment.
  explicit secret_bytes(std::string_view bytes) : bytes_(bytes.begin(), bytes.end()) {}

  // Moving leaves `other` empty and wiped; copying does not compile (use clone()).
  secret_bytes(secret_bytes&& other) noexcept : bytes_(std::move(other.bytes_)) { other.wipe(); }
  secret_bytes& operator=(secret_bytes&& other) noexcept {
    if (this != &other) {
      wipe();
      bytes_ = std::move(other.bytes_);
      other.wipe();
    }
    return *this;
  }
  secret_bytes(const secret_bytes&) = delete;
  secret_bytes& operator=(const secret_bytes&) = delete;
  // Wipes the bytes.
  ~secret_bytes() { wipe(); }

  // Decodes a base64url secret (the form of a JWK `k` member, RFC 7518 §6.4.1).
  static result<secret_bytes> from_base64url(std::string_view text) {
    secret_bytes secret;
    std::string decoded;
    const bool ok = detail::base64url_decode_append(text, decoded);
    if (ok) secret.bytes_.assign(decoded.begin(), decoded.end());
    OPENSSL_cleanse(decoded.data(), decoded.size());
    if (!ok) return errc::invalid_base64;
    return secret;
  }

  // An explicit copy, wiped on destruction like the original.
  secret_bytes clone() const { return secret_bytes(unsafe_bytes()); }

  // The length in bytes, which is no secret (key checks compare it with the hash length).
  std::size_t size() const noexcept { return bytes_.size(); }
  bool empty() const noexcept { return bytes_.empty(); }

  // The raw bytes. Named so that every place that handles them stands out in review.
  std::string_view unsafe_bytes() const noexcept {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }

  // Constant time in the content; the lengths are compared first (they are not secret).
  friend bool operator==(const secret_bytes& a, const secret_bytes& b) noexcept {
    return a.size() == b.size() && CRYPTO_memcmp(a.bytes_.data(), b.bytes_.data(), a.size()) == 0;
  }
  friend bool operator!=(const secret_bytes& a, const secret_bytes& b) noexcept {
    return !(a == b);
  }

 private:
  void wipe() noexcept {
    if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
    bytes_.clear();
  }

  std::vector<unsigned char> bytes_;
};

// The minimum secret size for an HMAC algorithm: the hash output size (RFC 7518 §3.2). 0 for the
// algorithms that take no secret.
constexpr std::size_t min_secret_size(algorithm alg) noexcept {
  return detail::info(alg).min_secret_size;
}

// `size` random bytes from the OpenSSL CSPRNG; 64 bytes suits every HS algorithm.
inline result<secret_bytes> generate_secret(std::size_t size = 64) {
  if (size == 0 || size > 1024) return errc::invalid_argument;
  std::string buffer(size, '\0');
  const bool ok =
      RAND_bytes(reinterpret_cast<unsigned char*>(buffer.data()), static_cast<int>(size)) == 1;
  secret_bytes secret(ok ? std::string_view(buffer) : std::string_view());
  OPENSSL_cleanse(buffer.data(), buffer.size());
  if (!ok) return errc::crypto_failure;
  return secret;
}

// The secret that fits `alg` exactly (hash-length bytes); errc::invalid_argument when `alg` is not
// an HMAC algorithm.
inline result<secret_bytes> generate_secret(algorithm alg) {
  return generate_secret(min_secret_size(alg));
}

JOT_END_NAMESPACE
