#pragma once

// RS*, PS*, ES* and EdDSA signatures on OpenSSL 3's EVP_DigestSign/EVP_DigestVerify.
// Speed: the digest is fetched and the signature operation initialised (padding, salt, MGF1)
// once per key; each call copies that template context instead of repeating the set-up.
// Strictness (RFC 7518 §3.3-3.5, RFC 8037 §3.1): the signature must have exactly the JWS length
// (the modulus length for RSA, 2 x the coordinate size for ECDSA, 64 / 114 bytes for EdDSA), and
// ECDSA's r and s must lie in [1, n-1] before OpenSSL sees them.
// With JOT_ED25519_LIBSODIUM, Ed25519 signs and verifies on libsodium instead (sodium_ed25519.hpp);
// the EVP_PKEY is kept for export.

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include <openssl/bn.h>

#include "jot/algorithm.hpp"
#include "jot/detail/ecdsa_encoding.hpp"
#include "jot/detail/edwards.hpp"
#include "jot/detail/openssl.hpp"
#ifdef JOT_ED25519_LIBSODIUM
#include "jot/detail/sodium_ed25519.hpp"
#endif
#include "jot/result.hpp"
#include "jot/signer.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

class evp_signature_key final : public signer, public signature_verifier {
 public:
  // `key` must already fit `alg` (check_key_fits). With `can_sign`, `key` holds the private key.
  static result<std::shared_ptr<const evp_signature_key>> create(algorithm alg, evp_pkey_ptr key,
                                                                 bool can_sign) {
    std::shared_ptr<evp_signature_key> out(new evp_signature_key(alg, std::move(key)));
    EVP_PKEY* pkey = out->key_.get();
    if (is_ecdsa(alg)) {
      BIGNUM* raw_order = nullptr;
      if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_ORDER, &raw_order) != 1) {
        clear_openssl_errors();
        return errc::crypto_failure;
      }
      const bn_ptr order(raw_order);
      out->width_ = static_cast<std::size_t>((BN_num_bits(order.get()) + 7) / 8);
      const bool ok =
          out->width_ <= max_ecdsa_width &&
          BN_bn2binpad(order.get(), out->order_.data(), static_cast<int>(out->width_)) > 0;
      if (!ok) return errc::crypto_failure;
      out->signature_size_ = 2 * out->width_;
    } else if (is_eddsa(alg)) {
      out->signature_size_ = info(alg).signature_size;
    } else {
      out->signature_size_ = static_cast<std::size_t>(EVP_PKEY_get_size(pkey));
    }
    out->can_sign_ = can_sign;
#ifdef JOT_ED25519_LIBSODIUM
    if (alg == algorithm::ed25519) {
      if (auto loaded = out->sodium_.load(pkey, can_sign); !loaded) return loaded.error();
      return std::shared_ptr<const evp_signature_key>(std::move(out));
    }
#endif
    out->verify_template_ = out->initialised(false);
    if (!out->verify_template_) return errc::crypto_failure;
    if (can_sign) {
      out->sign_template_ = out->initialised(true);
      if (!out->sign_template_) return errc::crypto_failure;
    }
    return std::shared_ptr<const evp_signature_key>(std::move(out));
  }

  algorithm alg() const noexcept override { return alg_; }
  EVP_PKEY* pkey() const noexcept { return key_.get(); }
  bool can_sign() const noexcept { return can_sign_; }
  std::size_t coordinate_size() const noexcept { return width_; }  // ECDSA only

  result<std::string> sign(std::string_view signing_input) const override {
    if (!can_sign_) return errc::invalid_key;
#ifdef JOT_ED25519_LIBSODIUM
    if (alg_ == algorithm::ed25519) return sodium_.sign(signing_input);
#endif
    evp_md_ctx_ptr ctx(EVP_MD_CTX_new());
    std::string out(static_cast<std::size_t>(EVP_PKEY_get_size(key_.get())), '\0');
    std::size_t size = out.size();
    const bool ok = ctx && EVP_MD_CTX_copy_ex(ctx.get(), sign_template_.get()) == 1 &&
                    EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &size,
                                   reinterpret_cast<const unsigned char*>(signing_input.data()),
                                   signing_input.size()) == 1;
    if (!ok) {
      clear_openssl_errors();
      return errc::crypto_failure;
    }
    if (!is_ecdsa(alg_)) {
      out.resize(size);
      return out;
    }
    std::string raw(signature_size_, '\0');  // DER -> R || S (RFC 7518 §3.4)
    if (!ecdsa_der_to_raw(reinterpret_cast<const unsigned char*>(out.data()), size, width_,
                          reinterpret_cast<unsigned char*>(raw.data()))) {
      return errc::crypto_failure;
    }
    return raw;
  }

  result<void> verify(std::string_view signing_input, std::string_view signature) const override {
    if (signature.size() != signature_size_) return errc::invalid_signature;
    const auto* sig = reinterpret_cast<const unsigned char*>(signature.data());
    if (alg_ == algorithm::ed25519) {
      // R (the first half, RFC 8032 §5.1.6) of small order: refused by libsodium 1.0.18, accepted
      // by OpenSSL when [S]B = R + [k]A holds, which only the key's holder can arrange (R the
      // identity; with a mixed-order A, another small-order R). Refused here for both backends.
      // A non-canonical R never verifies on either: both compare R's bytes with the canonical
      // encoding of [S]B - [k]A.
      if (!acceptable_edwards_key(sig, signature_size_ / 2)) return errc::invalid_signature;
#ifdef JOT_ED25519_LIBSODIUM
      if (sodium_.verify(signing_input, sig)) return {};
      return errc::invalid_signature;
#endif
    }
    std::size_t sig_size = signature.size();
    unsigned char der[max_ecdsa_der_size];
    if (is_ecdsa(alg_)) {
      if (!in_scalar_range(sig, order_.data(), width_) ||
          !in_scalar_range(sig + width_, order_.data(), width_)) {
        return errc::invalid_signature;
      }
      sig_size = ecdsa_raw_to_der(sig, width_, der);
      sig = der;
    }
    evp_md_ctx_ptr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_MD_CTX_copy_ex(ctx.get(), verify_template_.get()) != 1) {
      clear_openssl_errors();
      return errc::crypto_failure;
    }
    const int rc = EVP_DigestVerify(ctx.get(), sig, sig_size,
                                    reinterpret_cast<const unsigned char*>(signing_input.data()),
                                    signing_input.size());
    if (rc == 1) return {};
    clear_openssl_errors();
    // Not only 0 means "does not verify": OpenSSL also answers some invalid signatures with a
    // negative value (an ECDSA check that meets the point at infinity, Wycheproof ecdsa tcId 169),
    // so a negative value cannot be told apart from an internal error. Fail closed.
    return errc::invalid_signature;
  }

 private:
  evp_signature_key(algorithm alg, evp_pkey_ptr key) : alg_(alg), key_(std::move(key)) {}

  evp_md_ctx_ptr initialised(bool for_signing) const {
    evp_md_ctx_ptr ctx(EVP_MD_CTX_new());
    if (!ctx) return nullptr;
    const char* digest = info(alg_).digest;
    // RSASSA-PSS as JWA fixes it: MGF1 with the same hash, salt length = hash length (§3.5).
    OSSL_PARAM pss[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_SIGNATURE_PARAM_PAD_MODE,
                                         const_cast<char*>(OSSL_PKEY_RSA_PAD_MODE_PSS), 0),
        OSSL_PARAM_construct_utf8_string(OSSL_SIGNATURE_PARAM_MGF1_DIGEST,
                                         const_cast<char*>(digest ? digest : ""), 0),
        OSSL_PARAM_construct_utf8_string(OSSL_SIGNATURE_PARAM_PSS_SALTLEN,
                                         const_cast<char*>(OSSL_PKEY_RSA_PSS_SALT_LEN_DIGEST), 0),
        OSSL_PARAM_construct_end()};
    const OSSL_PARAM* params = is_rsa_pss(alg_) ? pss : nullptr;
    const int ok = for_signing ? EVP_DigestSignInit_ex(ctx.get(), nullptr, digest, nullptr, nullptr,
                                                       key_.get(), params)
                               : EVP_DigestVerifyInit_ex(ctx.get(), nullptr, digest, nullptr,
                                                         nullptr, key_.get(), params);
    if (ok != 1) {
      clear_openssl_errors();
      return nullptr;
    }
    return ctx;
  }

  algorithm alg_;
  evp_pkey_ptr key_;
  evp_md_ctx_ptr verify_template_;
  evp_md_ctx_ptr sign_template_;
  bool can_sign_ = false;
#ifdef JOT_ED25519_LIBSODIUM
  sodium_ed25519 sodium_;  // Ed25519 only
#endif
  std::size_t signature_size_ = 0;
  std::size_t width_ = 0;                               // ECDSA coordinate size in bytes
  std::array<unsigned char, max_ecdsa_width> order_{};  // ECDSA group order n, big-endian
};

}  // namespace detail
JOT_END_NAMESPACE
