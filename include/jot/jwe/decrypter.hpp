#pragma once

// jwe::decrypter: compact JWE -> the verified inner JWT (decrypt_and_verify, the main path) or,
// explicitly, a decrypted unsigned claim set (decrypt_unsigned_claims). Built by
// jwe::decrypter::builder (decrypter_builder.hpp); immutable, cheap to copy, safe to share.
//
// The check order, each step before the next, the first failure the rejection:
//  - size: at most the cap (default_max_encrypted_token_size), before any byte is decoded;
//  - segments: exactly five (RFC 7516 §7.1); three is a JWS (errc::unencrypted_token), anything
//    else errc::malformed_jwe; the JSON serialization is never read;
//  - header: canonical base64url, strict JSON; `crit`, `zip`, `p2c`/`p2s` refused
//    (detail/header.hpp); `alg` and `enc` strings;
//  - algorithms: `alg` and `enc` name algorithms jot implements and the decrypter holds
//    (errc::encryption_not_allowed);
//  - key: by `kid` (unknown_key_id; with several keys a kid is required, missing_key_id), then
//    the (alg, enc) pair must be one given for that key (encryption_not_allowed);
//  - segments again: canonical base64url; the IV and the tag exactly the sizes of `enc`, the
//    encrypted key exactly the size the key management produces, empty for `dir`
//    (errc::invalid_jwe_segment);
//  - key recovery: unwrap the CEK; any failure goes on with a random CEK (RFC 7516 §11.5);
//  - content: authenticate and decrypt with the protected header's base64url bytes, as received,
//    as the AAD; every failure of this and the previous step is errc::decryption_failed;
//  - plaintext: a nested JWT (`cty: JWT`) is verified by the given verifier, its validator
//    checking its claims; an unsigned claim set is parsed strictly and checked by the
//    decrypter's validator.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "jot/base64url.hpp"
#include "jot/claims.hpp"
#include "jot/json.hpp"
#include "jot/jwe/algorithms.hpp"
#include "jot/jwe/decrypted_token.hpp"
#include "jot/jwe/decrypter_builder.hpp"
#include "jot/jwe/detail/open.hpp"
#include "jot/jwe/keys.hpp"
#include "jot/result.hpp"
#include "jot/validator.hpp"
#include "jot/verifier.hpp"

JOT_BEGIN_NAMESPACE
namespace jwe {

// Decrypts tokens with its keys, in the check order (the top of this file).
class decrypter {
 public:
  // jwe::decrypter::builder{} makes one (decrypter_builder.hpp).
  using builder = decrypter_builder;

  // The main path: decrypts a nested token and returns what `verifier` makes of the JWS inside,
  // so a verified_token comes back only when the inner signature verifies under one of the
  // verifier's keys and its validator accepts the claims. A token whose `cty` is not JWT is
  // errc::missing_nested_token. Never throws.
  template <typename Json>
  result<basic_verified_token<Json>> decrypt_and_verify(
      std::string_view token, const basic_verifier<Json>& verifier) const noexcept {
    JOT_TRY {
      auto opened = open(token);
      if (!opened) return opened.error();
      if (!opened->nested) return errc::missing_nested_token;
      return verifier.verify(opened->plaintext);
    }
    JOT_CATCH_ALL { return jot::detail::errc_of_current_exception(); }
  }

  // The explicit exception: an encrypted claim set with no signature inside (see
  // decrypted_token.hpp for what that proves), checked by the decrypter's validator. A nested
  // token is errc::nested_token here: its signature would go unchecked. Never throws.
  result<decrypted_token> decrypt_unsigned_claims(std::string_view token) const noexcept {
    JOT_TRY {
      auto opened = open(token);
      if (!opened) return opened.error();
      if (opened->nested) return errc::nested_token;
      const jot::validator& validator = state_->validator;
      auto payload = parse_json_object(opened->plaintext, validator.max_json_depth());
      if (!payload) return payload.error();
      if (auto checked = validator.check(opened->header, *payload); !checked) {
        return checked.error();
      }
      return decrypted_token(
          opened->alg, opened->enc, opened->entry->key.key_id(), std::move(opened->header),
          jot::claims(
              std::make_shared<jot::detail::claim_set<nlohmann::json>>(std::move(*payload))));
    }
    JOT_CATCH_ALL { return jot::detail::errc_of_current_exception(); }
  }

  // The size cap, checked before any byte is decoded.
  std::size_t max_token_size() const noexcept { return state_->max_token_size; }

 private:
  friend class decrypter_builder;
  struct state {
    std::vector<detail::decrypter_entry> entries;
    jot::validator validator;
    std::size_t max_token_size;
  };
  explicit decrypter(std::shared_ptr<const state> s) : state_(std::move(s)) {}

  detail::result_of_open open(std::string_view token) const {
    return detail::open_token(state_->entries, state_->max_token_size,
                              state_->validator.max_json_depth(), token);
  }

  std::shared_ptr<const state> state_;
};

inline result<decrypter> decrypter_builder::build() const {
  if (!validator_) return validator_.error();
  if (entries_.empty()) return errc::no_keys;
  if (max_token_size_ == 0 || max_token_size_ > jot::validator::builder::max_token_size_limit) {
    return errc::invalid_argument;
  }
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const auto& entry = entries_[i];
    if (entry.encs == 0) return errc::invalid_argument;
    if (entry.key.alg() == key_management::dir) {
      for (const auto& row : detail::content_encryption_table) {
        if ((entry.encs & detail::enc_bit(row.enc)) != 0 &&
            entry.key.material().secret->size() != row.key_size) {
          return errc::content_key_size_mismatch;
        }
      }
    }
    if (entries_.size() > 1 && !entry.key.key_id()) return errc::missing_key_id;
    for (std::size_t j = 0; j < i; ++j) {
      if (entry.key.key_id() && entries_[j].key.key_id() == entry.key.key_id()) {
        return errc::duplicate_key_id;
      }
    }
  }
  JOT_TRY {
    return decrypter(std::make_shared<const decrypter::state>(
        decrypter::state{entries_, *validator_, max_token_size_}));
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }
}

}  // namespace jwe
JOT_END_NAMESPACE
