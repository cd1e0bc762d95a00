#pragma once

// Keys bound to exactly one algorithm (RFC 8725 §3.1). A key is chosen for a token by `kid`, and
// the token's `alg` must then equal the key's algorithm before any cryptography runs, so the
// token can never pick the code path. There is no door that takes "key bytes plus an alg string".
//
// Both key types are cheap to copy (they share one immutable implementation) and safe to use
// from many threads at once.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "jot/algorithm.hpp"
#include "jot/detail/hmac.hpp"
#include "jot/result.hpp"
#include "jot/secret.hpp"
#include "jot/signer.hpp"

JOT_BEGIN_NAMESPACE

class verification_key {
 public:
  // An HMAC key for HS256/384/512. The secret must be at least the hash length (RFC 7518 §3.2:
  // errc::weak_key) and must not be a public key in disguise (errc::public_key_as_secret).
  static result<verification_key> hmac(algorithm alg, secret_bytes secret) {
    auto key = detail::hmac_key::create(alg, std::move(secret));
    if (!key) return key.error();
    return verification_key(std::move(*key));
  }
  static result<verification_key> hs256(secret_bytes s) {
    return hmac(algorithm::hs256, std::move(s));
  }
  static result<verification_key> hs384(secret_bytes s) {
    return hmac(algorithm::hs384, std::move(s));
  }
  static result<verification_key> hs512(secret_bytes s) {
    return hmac(algorithm::hs512, std::move(s));
  }

  // A verifier implemented by the application (for example a remote verification service).
  static result<verification_key> from_verifier(std::shared_ptr<const signature_verifier> impl) {
    if (!impl) return errc::invalid_argument;
    return verification_key(std::move(impl));
  }

  algorithm alg() const noexcept { return impl_->alg(); }
  const std::optional<std::string>& key_id() const noexcept { return key_id_; }

  // The same key, published under `kid` (RFC 7515 §4.1.4). An empty kid is refused.
  result<verification_key> with_key_id(std::string kid) const {
    if (kid.empty()) return errc::invalid_argument;
    verification_key copy = *this;
    copy.key_id_ = std::move(kid);
    return copy;
  }

  const signature_verifier& implementation() const noexcept { return *impl_; }

 private:
  friend class signing_key;
  explicit verification_key(std::shared_ptr<const signature_verifier> impl)
      : impl_(std::move(impl)) {}

  std::shared_ptr<const signature_verifier> impl_;
  std::optional<std::string> key_id_;
};

class signing_key {
 public:
  static result<signing_key> hmac(algorithm alg, secret_bytes secret) {
    auto key = detail::hmac_key::create(alg, std::move(secret));
    if (!key) return key.error();
    std::shared_ptr<const signature_verifier> verifier = *key;
    return signing_key(std::move(*key), std::move(verifier));
  }
  static result<signing_key> hs256(secret_bytes s) { return hmac(algorithm::hs256, std::move(s)); }
  static result<signing_key> hs384(secret_bytes s) { return hmac(algorithm::hs384, std::move(s)); }
  static result<signing_key> hs512(secret_bytes s) { return hmac(algorithm::hs512, std::move(s)); }

  // A fresh random key for `alg` (for HMAC: a hash-length secret from the OpenSSL CSPRNG).
  static result<signing_key> generate(algorithm alg) {
    auto secret = generate_secret(alg);
    if (!secret) return secret.error();
    return hmac(alg, std::move(*secret));
  }

  // A signer implemented by the application (an HSM, a remote KMS). `verifier`, when given,
  // must check the same algorithm; it becomes this key's verification_key().
  static result<signing_key> from_signer(std::shared_ptr<const signer> impl,
                                         std::shared_ptr<const signature_verifier> verifier = {}) {
    if (!impl || (verifier && verifier->alg() != impl->alg())) return errc::invalid_argument;
    return signing_key(std::move(impl), std::move(verifier));
  }

  algorithm alg() const noexcept { return impl_->alg(); }
  const std::optional<std::string>& key_id() const noexcept { return key_id_; }

  // The same key, stamping `kid` into the header of every token it signs.
  result<signing_key> with_key_id(std::string kid) const {
    if (kid.empty()) return errc::invalid_argument;
    signing_key copy = *this;
    copy.key_id_ = std::move(kid);
    return copy;
  }

  // The key that verifies this key's signatures, with the same kid. For HMAC it holds the same
  // secret; errc::invalid_key for a custom signer created without a verifier.
  result<jot::verification_key> verification_key() const {
    if (!verifier_) return errc::invalid_key;
    jot::verification_key key(verifier_);
    key.key_id_ = key_id_;
    return key;
  }

  const signer& implementation() const noexcept { return *impl_; }

 private:
  signing_key(std::shared_ptr<const signer> impl,
              std::shared_ptr<const signature_verifier> verifier)
      : impl_(std::move(impl)), verifier_(std::move(verifier)) {}

  std::shared_ptr<const signer> impl_;
  std::shared_ptr<const signature_verifier> verifier_;
  std::optional<std::string> key_id_;
};

JOT_END_NAMESPACE
