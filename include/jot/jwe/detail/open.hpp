#pragma once

// Opening a compact JWE: every step of the decrypter's check order (decrypter.hpp) up to the
// authenticated plaintext, which the decrypter then interprets (nested JWT or claim set). A free
// function over the decrypter's keys, so that the conformance tests can open the published
// examples, whose plaintexts are prose, through exactly the code tokens go through.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "jot/base64url.hpp"
#include "jot/detail/compact.hpp"
#include "jot/json.hpp"
#include "jot/jwe/algorithms.hpp"
#include "jot/jwe/decrypter_builder.hpp"
#include "jot/jwe/detail/compact.hpp"
#include "jot/jwe/detail/content_cipher.hpp"
#include "jot/jwe/detail/header.hpp"
#include "jot/jwe/detail/key_delivery.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace jwe {
namespace detail {

// A token decrypted and authenticated, not yet interpreted.
struct opened_token {
  nlohmann::json header;
  std::string plaintext;
  const decrypter_entry* entry;
  key_management alg;
  content_encryption enc;
  bool nested;  // `cty: JWT`
};
using result_of_open = result<opened_token>;

// True when some key admits the pair.
inline bool holds(const std::vector<decrypter_entry>& entries, key_management alg,
                  content_encryption enc) noexcept {
  for (const auto& entry : entries) {
    if (entry.key.alg() == alg && (entry.encs & enc_bit(enc)) != 0) return true;
  }
  return false;
}

// The key named by `kid`; without one (or when no key has one), the only key. An unknown kid is
// an error, never a fallback to another key.
inline result<const decrypter_entry*> select_entry(const std::vector<decrypter_entry>& entries,
                                                   std::optional<std::string_view> kid) {
  if (kid && entries.front().key.key_id()) {
    for (const auto& entry : entries) {
      if (entry.key.key_id() == *kid) return &entry;
    }
    return errc::unknown_key_id;
  }
  if (entries.size() == 1) return &entries.front();
  return errc::missing_key_id;
}

inline result_of_open open_token(const std::vector<decrypter_entry>& entries,
                                 std::size_t max_token_size, std::size_t max_json_depth,
                                 std::string_view token) {
  if (token.size() > max_token_size) return errc::token_too_large;
  const auto segments = split_jwe(token);
  if (!segments) {
    return jot::detail::split_compact(token) ? errc::unencrypted_token : errc::malformed_jwe;
  }
  std::string header_bytes;
  if (!jot::detail::base64url_decode_append(segments->header, header_bytes)) {
    return errc::invalid_base64;
  }
  auto header = parse_json_object(header_bytes, max_json_depth);
  if (!header) return header.error();
  auto fields = read_jwe_header(*header);
  if (!fields) return fields.error();

  const auto alg = key_management_from_name(fields->alg);
  const auto enc = content_encryption_from_name(fields->enc);
  if (!alg || !enc || !holds(entries, *alg, *enc)) return errc::encryption_not_allowed;
  auto entry = select_entry(entries, fields->kid);
  if (!entry) return entry.error();
  const key_material& key = (*entry)->key.material();
  if (key.alg != *alg || ((*entry)->encs & enc_bit(*enc)) == 0) {
    return errc::encryption_not_allowed;
  }

  // The other four segments, decoded one after the other into one buffer.
  std::string decoded;
  decoded.reserve(token.size());
  std::size_t ends[4] = {};
  const std::string_view encoded[4] = {segments->encrypted_key, segments->iv, segments->ciphertext,
                                       segments->tag};
  for (std::size_t i = 0; i < 4; ++i) {
    if (!jot::detail::base64url_decode_append(encoded[i], decoded)) return errc::invalid_base64;
    ends[i] = decoded.size();
  }
  const std::string_view all(decoded);
  const std::string_view encrypted_key = all.substr(0, ends[0]);
  const std::string_view iv = all.substr(ends[0], ends[1] - ends[0]);
  const std::string_view ciphertext = all.substr(ends[1], ends[2] - ends[1]);
  const std::string_view tag = all.substr(ends[2]);
  const content_encryption_info& row = info(*enc);
  if (iv.size() != row.iv_size || tag.size() != row.tag_size ||
      encrypted_key.size() != encrypted_key_size(key, *enc)) {
    return errc::invalid_jwe_segment;
  }

  auto cek = recover_key(key, *enc, *header, encrypted_key);
  if (!cek) return cek.error();
  auto plaintext = decrypt_content(*enc, *cek, iv, segments->header, ciphertext, tag);
  if (!plaintext) return plaintext.error();
  return opened_token{std::move(*header), std::move(*plaintext), *entry, *alg, *enc,
                      fields->nested};
}

}  // namespace detail
}  // namespace jwe
JOT_END_NAMESPACE
