#pragma once

// HMAC-SHA2 for HS256/384/512 (RFC 7518 §3.2, RFC 2104) on OpenSSL 3's EVP digests.
// Speed: the digest is fetched once per process and the key schedule (the inner and outer pads
// absorbed into their hash states) is done once per key, which a one-shot HMAC call repeats every
// time. A sign or verify takes a digest context from the key's pool (context_pool.hpp), copies
// the inner state into it, then the outer one.

#include <cstddef>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/crypto.h>

#include "jot/algorithm.hpp"
#include "jot/detail/context_pool.hpp"
#include "jot/detail/openssl.hpp"
#include "jot/detail/public_key_screen.hpp"
#include "jot/detail/text.hpp"
#include "jot/result.hpp"
#include "jot/secret.hpp"
#include "jot/signer.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

// OpenSSL's HMAC, for JWE's AES-CBC-HMAC content encryption (jwe/detail/content_cipher.hpp).
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
    const EVP_MD* digest = digest_of(alg);
    if (digest == nullptr) return errc::crypto_failure;
    const int mac_size = EVP_MD_get_size(digest);
    const int block_size = EVP_MD_get_block_size(digest);
    if (mac_size <= 0 || static_cast<std::size_t>(mac_size) > max_mac_size ||
        block_size < mac_size || static_cast<std::size_t>(block_size) > max_block_size) {
      return errc::crypto_failure;
    }
    const padded_key key(digest, secret.unsafe_bytes(), static_cast<std::size_t>(block_size));
    evp_md_ctx_ptr inner_start = key.absorbed(digest, ipad);
    evp_md_ctx_ptr outer_start = key.absorbed(digest, opad);
    if (!inner_start || !outer_start) {
      clear_openssl_errors();
      return errc::crypto_failure;
    }
    return std::shared_ptr<const hmac_key>(new hmac_key(alg, static_cast<std::size_t>(mac_size),
                                                        std::move(inner_start),
                                                        std::move(outer_start), std::move(secret)));
  }

  algorithm alg() const noexcept override { return alg_; }
  const secret_bytes& secret() const noexcept { return secret_; }
  // The size of every MAC of this key (the digest's size, RFC 7518 §3.2).
  std::size_t mac_size() const noexcept { return mac_size_; }

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

  // The MAC of `input` into `out` (room for mac_size() bytes): the encoder writes it straight
  // into the token. False when OpenSSL fails.
  bool compute(std::string_view input, unsigned char* out) const noexcept {
    // RFC 2104: H(K ^ opad || H(K ^ ipad || input)), each hash resumed from its pad's state,
    // absorbed once per key. A pooled context is this thread's alone until given back; the two
    // starting states are only read (EVP_MD_CTX_copy_ex), so concurrent calls on one key are
    // safe. EVP_MAC_init would duplicate the same states, with more work around each copy.
    evp_md_ctx_ptr ctx(pool_.take());
    if (!ctx) ctx.reset(EVP_MD_CTX_new());
    unsigned char inner_hash[max_mac_size];
    unsigned int inner_size = 0, outer_size = 0;
    const bool ok = ctx != nullptr && EVP_MD_CTX_copy_ex(ctx.get(), inner_start_.get()) == 1 &&
                    EVP_DigestUpdate(ctx.get(), input.data(), input.size()) == 1 &&
                    EVP_DigestFinal_ex(ctx.get(), inner_hash, &inner_size) == 1 &&
                    inner_size == mac_size_ &&
                    EVP_MD_CTX_copy_ex(ctx.get(), outer_start_.get()) == 1 &&
                    EVP_DigestUpdate(ctx.get(), inner_hash, inner_size) == 1 &&
                    EVP_DigestFinal_ex(ctx.get(), out, &outer_size) == 1 && outer_size == mac_size_;
    OPENSSL_cleanse(inner_hash, sizeof inner_hash);
    if (!ok) {
      clear_openssl_errors();
      return false;  // a context in an unknown state is freed, not pooled
    }
    pool_.give_back(ctx.release());
    return true;
  }

 private:
  // The largest hash block of the HMAC algorithms: SHA-384's and SHA-512's 128 bytes.
  static constexpr std::size_t max_block_size = 128;
  static constexpr unsigned char ipad = 0x36, opad = 0x5c;

  // K as RFC 2104 §2 pads it to the block size B (hashed first when longer than B); cleansed
  // when it goes.
  class padded_key {
   public:
    padded_key(const EVP_MD* digest, std::string_view secret, std::size_t block_size)
        : block_size_(block_size) {
      if (secret.size() > block_size) {
        unsigned int size = 0;
        ok_ = EVP_Digest(secret.data(), secret.size(), bytes_, &size, digest, nullptr) == 1;
      } else {
        std::memcpy(bytes_, secret.data(), secret.size());
      }
    }
    padded_key(const padded_key&) = delete;
    padded_key& operator=(const padded_key&) = delete;
    ~padded_key() { OPENSSL_cleanse(bytes_, sizeof bytes_); }

    // A context that has absorbed K ^ pad: the state every MAC of the key starts from.
    evp_md_ctx_ptr absorbed(const EVP_MD* digest, unsigned char pad) const {
      unsigned char block[max_block_size];
      for (std::size_t i = 0; i < block_size_; ++i) block[i] = bytes_[i] ^ pad;
      evp_md_ctx_ptr ctx(EVP_MD_CTX_new());
      const bool absorbed = ok_ && ctx != nullptr &&
                            EVP_DigestInit_ex2(ctx.get(), digest, nullptr) == 1 &&
                            EVP_DigestUpdate(ctx.get(), block, block_size_) == 1;
      OPENSSL_cleanse(block, sizeof block);
      if (!absorbed) ctx.reset();
      return ctx;
    }

   private:
    unsigned char bytes_[max_block_size] = {};
    std::size_t block_size_;
    bool ok_ = true;
  };

  hmac_key(algorithm alg, std::size_t mac_size, evp_md_ctx_ptr inner_start,
           evp_md_ctx_ptr outer_start, secret_bytes secret)
      : alg_(alg),
        mac_size_(mac_size),
        inner_start_(std::move(inner_start)),
        outer_start_(std::move(outer_start)),
        secret_(std::move(secret)) {}

  algorithm alg_;
  std::size_t mac_size_;
  evp_md_ctx_ptr inner_start_;  // K ^ ipad absorbed
  evp_md_ctx_ptr outer_start_;  // K ^ opad absorbed
  mutable context_pool<EVP_MD_CTX, &EVP_MD_CTX_free> pool_;
  secret_bytes secret_;
};

}  // namespace detail
JOT_END_NAMESPACE
