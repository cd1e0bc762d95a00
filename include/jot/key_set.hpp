#pragma once

// key_set: kid -> verification_key, the allowlist of a verifier, and the JWKS (RFC 7517 §5) a
// service publishes or consumes. Immutable once made, cheap to copy (shared), safe to share
// between threads. Rules: two keys under one kid must answer to different `alg` values (else
// errc::duplicate_key_id); an unknown kid finds nothing (there is no fallback key); each key
// admits only its own algorithm.
//
// A key set read from a JWKS refuses HMAC secrets (`kty: oct`) unless the caller allows them
// (jwks_options::allow_symmetric_keys): a JWKS is usually a public document, and a secret
// published in one lets anyone who reads it forge tokens (errc::symmetric_key_in_jwks).

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "jot/algorithm.hpp"
#include "jot/json.hpp"
#include "jot/jwk.hpp"
#include "jot/keys.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {
inline constexpr std::uint32_t algorithm_bit(algorithm alg) noexcept {
  return std::uint32_t{1} << static_cast<unsigned>(alg);
}

// The algorithms a header `alg` value may stand for: one, none, or both Edwards curves for the
// polymorphic "EdDSA". `among` limits the search to those algorithms (a verifier's key set
// holds one or two, so it compares the name with their names alone).
inline constexpr std::uint32_t algorithms_named(std::string_view name,
                                                std::uint32_t among = ~std::uint32_t{0}) noexcept {
  std::uint32_t mask = 0;
  for (algorithm alg : all_algorithms) {
    if ((among & algorithm_bit(alg)) != 0 && algorithm_accepts_name(alg, name)) {
      mask |= algorithm_bit(alg);
    }
  }
  return mask;
}

// Keys of a JWKS that are not for JWS signature verification are skipped, not errors: a JWKS
// often carries encryption keys too (RFC 7517 §4.2, §4.3).
JOT_INLINE bool usable_for_verification(const nlohmann::json& jwk,
                                        std::optional<algorithm> default_algorithm);
}  // namespace detail

// How key_set::from_jwks reads a JWKS. It converts from an algorithm (or std::nullopt), so
// `from_jwks(text, algorithm::rs256)` keeps reading as the default algorithm alone.
struct jwks_options {
  // No default algorithm, or the default algorithm alone (implicit, for from_jwks(text, alg)).
  jwks_options() = default;
  jwks_options(std::nullopt_t) noexcept {}
  jwks_options(algorithm alg) noexcept : default_algorithm(alg) {}
  jwks_options(std::optional<algorithm> alg) noexcept : default_algorithm(alg) {}

  // For keys without `alg` whose type fits it (many providers omit `alg` on RSA keys).
  std::optional<algorithm> default_algorithm;
  // Relaxation: accept HMAC secrets (`kty: oct`) among the signature keys. Off, a JWKS holding
  // one fails as errc::symmetric_key_in_jwks: a JWKS fetched from a URL is public, and a secret
  // in it lets anyone forge tokens. Turn it on only for a JWKS that is itself kept secret (a
  // local key file, a secret manager's document).
  bool allow_symmetric_keys = false;
};

// The keys a verifier may use, looked up by (kid, alg); see the top of this file. Most code
// makes one from a JWKS (from_jwks) or hands keys to verifier::builder, which makes one.
class key_set {
 public:
  static constexpr std::size_t max_keys = 100;  // bounds the work a hostile JWKS can cause

  key_set() : data_(std::make_shared<const data>()) {}

  // A set of these keys: errc::duplicate_key_id when two keys under one kid answer to the same
  // `alg` value, invalid_argument for more than max_keys.
  static result<key_set> from_keys(std::vector<verification_key> keys) {
    return make(std::move(keys), 0);
  }

  // A JWKS object {"keys":[...]}. Keys that are not for signatures (use "enc", key_ops without
  // "verify", X25519, non-JWS algorithms) are skipped and counted in skipped(); a signing key
  // that is malformed or weak fails the whole set with its errc, and so does an HMAC secret
  // (errc::symmetric_key_in_jwks) unless options.allow_symmetric_keys. options.default_algorithm
  // serves keys without `alg` whose type fits it (many providers omit `alg` on RSA keys).
  static result<key_set> from_jwks(const nlohmann::json& jwks, const jwks_options& options = {}) {
    JOT_TRY { return from_jwks_object(jwks, options); }
    JOT_CATCH_ALL { return errc::out_of_memory; }
  }

  // The same from JWKS text, parsed strictly (duplicate members, depth, BOM, NUL...). A string
  // literal or a std::string is text too: without the two overloads below, either would be
  // ambiguous with the nlohmann::json overload (which would take it as a JSON string value).
  static result<key_set> from_jwks(std::string_view text, const jwks_options& options = {});
  static result<key_set> from_jwks(const char* text, const jwks_options& options = {}) {
    if (text == nullptr) return errc::invalid_argument;
    return from_jwks(std::string_view(text), options);
  }
  static result<key_set> from_jwks(const std::string& text, const jwks_options& options = {}) {
    return from_jwks(std::string_view(text), options);
  }

  // The public JWKS to publish. An HMAC key has no public form: errc::invalid_key.
  result<nlohmann::json> to_jwks() const;

  // The key published under `kid` for one of the algorithms in `algorithm_mask` (bits as in
  // algorithms()), or nullptr. One kid names one key per `alg` header value: RFC 7517 §4.5 lets
  // keys of one kid be equivalent alternatives, such as one RSA key bound to RS256 and to PS256,
  // and the token's `alg` then tells them apart.
  const verification_key* find(std::string_view kid,
                               std::uint32_t algorithm_mask = ~std::uint32_t{0}) const noexcept {
    return data_->find(kid, algorithm_mask);
  }

  // False when no key has a kid: then a token's kid names nothing, and keys are told apart by
  // algorithm and signature alone.
  bool has_key_ids() const noexcept { return !data_->by_id.empty(); }
  // The keys, in the order given (from_keys) or found (from_jwks).
  const std::vector<verification_key>& keys() const noexcept { return data_->keys; }
  // How many keys the set holds.
  std::size_t size() const noexcept { return data_->keys.size(); }
  bool empty() const noexcept { return data_->keys.empty(); }
  // How many keys of the JWKS were skipped as not for signatures (see from_jwks).
  std::size_t skipped() const noexcept { return data_->skipped; }
  // One bit per jot::algorithm present (bit = 1 << algorithm).
  std::uint32_t algorithms() const noexcept { return data_->algorithms; }

 private:
  struct data {
    std::vector<verification_key> keys;
    std::multimap<std::string, std::size_t, std::less<>> by_id;
    std::uint32_t algorithms = 0;
    std::size_t skipped = 0;

    const verification_key* find(std::string_view kid, std::uint32_t algorithm_mask) const {
      const auto [first, last] = by_id.equal_range(kid);
      for (auto it = first; it != last; ++it) {
        const verification_key& key = keys[it->second];
        if ((algorithm_mask & detail::algorithm_bit(key.alg())) != 0) return &key;
      }
      return nullptr;
    }
  };
  explicit key_set(std::shared_ptr<const data> d) : data_(std::move(d)) {}

  static result<key_set> from_jwks_object(const nlohmann::json& jwks, const jwks_options& options);

  static result<key_set> make(std::vector<verification_key> keys, std::size_t skipped) {
    if (keys.size() > max_keys) return errc::invalid_argument;
    JOT_TRY { return make_unguarded(std::move(keys), skipped); }
    JOT_CATCH_ALL { return errc::out_of_memory; }  // the index allocates
  }
  static result<key_set> make_unguarded(std::vector<verification_key> keys, std::size_t skipped);

  std::shared_ptr<const data> data_;
};

JOT_END_NAMESPACE

// The definitions, unless <jot/compile_once.hpp> compiles them once (JOT_INLINE, config.hpp).
#ifndef JOT_SEPARATE_COMPILATION
#include "jot/detail/key_set_impl.hpp"
#endif
