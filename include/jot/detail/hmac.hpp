#pragma once

// HMAC-SHA2 for HS256/384/512 (RFC 7518 §3.2) on OpenSSL 3's EVP_MAC.
// Speed: the HMAC implementation is fetched once per process and the keyed context is built
// once per key, which skips the provider fetch and the key schedule (the two inner/outer pads)
// that a one-shot HMAC call repeats every time. A sign or verify takes a context from the key's
// pool (context_pool.hpp) and re-initialises it, or duplicates the keyed template when the pool
// has none for this thread.

#include <cctype>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/x509.h>
#include <nlohmann/json.hpp>

#include "jot/algorithm.hpp"
#include "jot/detail/context_pool.hpp"
#include "jot/detail/openssl.hpp"
#include "jot/detail/public_key_screen.hpp"
#include "jot/detail/text.hpp"
#include "jot/json.hpp"
#include "jot/result.hpp"
#include "jot/secret.hpp"
#include "jot/signer.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

inline EVP_MAC* hmac_implementation() noexcept {
  static fetched_algorithm<EVP_MAC, &EVP_MAC_fetch, &EVP_MAC_free> mac;
  return mac.get("HMAC");
}

class hmac_key final : public signer, public signature_verifier {
 public:
  static constexpr std::size_t max_mac_size = 64;

  // `screen`: refuse a secret that is a public key (RS256 -> HS256 confusion). Off only for a
  // secret jot drew from the random generator itself, which no one could have chosen (and
  // whose first byte being 0x30 must not make key generation depend on the DER decoder).
  static result<std::shared_ptr<const hmac_key>> create(algorithm alg, secret_bytes secret,
                                                        bool screen = true) {
    if (!is_hmac(alg)) return errc::invalid_argument;
    if (screen) {
      const auto public_key = looks_like_public_key(secret.unsafe_bytes());
      if (!public_key) return public_key.error();
      if (*public_key) return errc::public_key_as_secret;
    }
    if (secret.size() < min_secret_size(alg)) return errc::weak_key;
    EVP_MAC* mac = hmac_implementation();
    if (mac == nullptr) return errc::crypto_failure;
    evp_mac_ctx_ptr ctx(EVP_MAC_CTX_new(mac));
    if (!ctx) return errc::crypto_failure;
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                                            const_cast<char*>(info(alg).digest), 0),
                           OSSL_PARAM_construct_end()};
    const auto* key = reinterpret_cast<const unsigned char*>(secret.unsafe_bytes().data());
    if (EVP_MAC_init(ctx.get(), key, secret.size(), params) != 1) {
      clear_openssl_errors();
      return errc::crypto_failure;
    }
    const std::size_t size = EVP_MAC_CTX_get_mac_size(ctx.get());
    if (size == 0 || size > max_mac_size) return errc::crypto_failure;
    return std::shared_ptr<const hmac_key>(
        new hmac_key(alg, size, std::move(ctx), std::move(secret)));
  }

  algorithm alg() const noexcept override { return alg_; }
  const secret_bytes& secret() const noexcept { return secret_; }

  result<std::string> sign(std::string_view signing_input) const override {
    unsigned char mac[max_mac_size];
    if (!compute(signing_input, mac)) return errc::crypto_failure;
    std::string out(reinterpret_cast<const char*>(mac), mac_size_);
    OPENSSL_cleanse(mac, sizeof mac);
    return out;
  }

  result<void> verify(std::string_view signing_input, std::string_view signature) const override {
    // The length is public (it is fixed by the algorithm); only the content is compared in
    // constant time. A truncated or empty MAC is rejected here (RFC 7518 §3.2 forbids them).
    if (signature.size() != mac_size_) return errc::invalid_signature;
    unsigned char mac[max_mac_size];
    if (!compute(signing_input, mac)) return errc::crypto_failure;
    const bool equal = CRYPTO_memcmp(mac, signature.data(), mac_size_) == 0;
    OPENSSL_cleanse(mac, sizeof mac);
    if (!equal) return errc::invalid_signature;
    return {};
  }

 private:
  hmac_key(algorithm alg, std::size_t mac_size, evp_mac_ctx_ptr keyed, secret_bytes secret)
      : alg_(alg), mac_size_(mac_size), keyed_(std::move(keyed)), secret_(std::move(secret)) {}

  bool compute(std::string_view input, unsigned char* out) const noexcept {
    // A pooled context is this thread's alone until given back; initialising it without a key
    // restarts it with the key it has (RFC 2104's inner and outer states are kept). The template
    // is only read (EVP_MAC_CTX_dup), so concurrent calls on one key are safe.
    evp_mac_ctx_ptr ctx(pool_.take());
    bool ok = false;
    if (ctx) {
      ok = EVP_MAC_init(ctx.get(), nullptr, 0, nullptr) == 1;
    } else {
      ctx.reset(EVP_MAC_CTX_dup(keyed_.get()));
      ok = ctx != nullptr;
    }
    std::size_t written = 0;
    ok = ok &&
         EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(input.data()),
                        input.size()) == 1 &&
         EVP_MAC_final(ctx.get(), out, &written, max_mac_size) == 1 && written == mac_size_;
    if (!ok) {
      clear_openssl_errors();
      return false;  // a context in an unknown state is freed, not pooled
    }
    pool_.give_back(ctx.release());
    return true;
  }

  algorithm alg_;
  std::size_t mac_size_;
  evp_mac_ctx_ptr keyed_;
  mutable context_pool<EVP_MAC_CTX, &EVP_MAC_CTX_free> pool_;
  secret_bytes secret_;
};

}  // namespace detail
JOT_END_NAMESPACE
