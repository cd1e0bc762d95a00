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
#include "jot/jwe/detail/compact.hpp"
#include "jot/jwe/detail/content_cipher.hpp"
#include "jot/jwe/detail/header.hpp"
#include "jot/jwe/detail/key_delivery.hpp"
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
          jot::claims(std::make_shared<const nlohmann::json>(std::move(*payload))));
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

  // A token decrypted and authenticated, not yet interpreted.
  struct opened_token {
    nlohmann::json header;
    std::string plaintext;
    const detail::decrypter_entry* entry;
    key_management alg;
    content_encryption enc;
    bool nested;
  };

  result<opened_token> open(std::string_view token) const {
    if (token.size() > state_->max_token_size) return errc::token_too_large;
    const auto segments = detail::split_jwe(token);
    if (!segments) {
      return jot::detail::split_compact(token) ? errc::unencrypted_token : errc::malformed_jwe;
    }
    std::string header_bytes;
    if (!jot::detail::base64url_decode_append(segments->header, header_bytes)) {
      return errc::invalid_base64;
    }
    auto header = parse_json_object(header_bytes, state_->validator.max_json_depth());
    if (!header) return header.error();
    auto fields = detail::read_jwe_header(*header);
    if (!fields) return fields.error();

    const auto alg = key_management_from_name(fields->alg);
    const auto enc = content_encryption_from_name(fields->enc);
    if (!alg || !enc || !holds(*alg, *enc)) return errc::encryption_not_allowed;
    auto entry = select(fields->kid);
    if (!entry) return entry.error();
    const detail::key_material& key = (*entry)->key.material();
    if (key.alg != *alg || ((*entry)->encs & detail::enc_bit(*enc)) == 0) {
      return errc::encryption_not_allowed;
    }

    // The other four segments, decoded one after the other into one buffer.
    std::string decoded;
    decoded.reserve(token.size());
    std::size_t ends[4] = {};
    const std::string_view encoded[4] = {segments->encrypted_key, segments->iv,
                                         segments->ciphertext, segments->tag};
    for (std::size_t i = 0; i < 4; ++i) {
      if (!jot::detail::base64url_decode_append(encoded[i], decoded)) return errc::invalid_base64;
      ends[i] = decoded.size();
    }
    const std::string_view all(decoded);
    const std::string_view encrypted_key = all.substr(0, ends[0]);
    const std::string_view iv = all.substr(ends[0], ends[1] - ends[0]);
    const std::string_view ciphertext = all.substr(ends[1], ends[2] - ends[1]);
    const std::string_view tag = all.substr(ends[2]);
    const auto& row = detail::info(*enc);
    if (iv.size() != row.iv_size || tag.size() != row.tag_size ||
        encrypted_key.size() != detail::encrypted_key_size(key, *enc)) {
      return errc::invalid_jwe_segment;
    }

    auto cek = detail::recover_key(key, *enc, encrypted_key);
    if (!cek) return cek.error();
    auto plaintext = detail::decrypt_content(*enc, *cek, iv, segments->header, ciphertext, tag);
    if (!plaintext) return plaintext.error();
    return opened_token{std::move(*header), std::move(*plaintext), *entry, *alg, *enc,
                        fields->nested};
  }

  // True when some key admits the pair.
  bool holds(key_management alg, content_encryption enc) const noexcept {
    for (const auto& entry : state_->entries) {
      if (entry.key.alg() == alg && (entry.encs & detail::enc_bit(enc)) != 0) return true;
    }
    return false;
  }

  // The key named by `kid`; without one, the only key. An unknown kid is an error, never a
  // fallback to another key.
  result<const detail::decrypter_entry*> select(std::optional<std::string_view> kid) const {
    const auto& entries = state_->entries;
    if (kid && entries.front().key.key_id()) {
      for (const auto& entry : entries) {
        if (entry.key.key_id() == *kid) return &entry;
      }
      return errc::unknown_key_id;
    }
    if (entries.size() == 1) return &entries.front();
    return errc::missing_key_id;
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
