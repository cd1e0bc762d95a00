#pragma once

// jwe::decrypter_builder: the keys of a decrypter, each with the content encryption algorithms it
// accepts, stated once at start-up:
//
//   auto decrypter = jot::jwe::decrypter::builder{}
//                        .add_key(key, {jot::jwe::content_encryption::a256gcm})
//                        .build();
//
// The allowlist is exactly the set of (alg, enc) pairs so given: each key admits its own key
// management algorithm with the encs listed for it, nothing else.

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "jot/jwe/algorithms.hpp"
#include "jot/jwe/detail/compact.hpp"
#include "jot/jwe/keys.hpp"
#include "jot/result.hpp"
#include "jot/validator.hpp"

JOT_BEGIN_NAMESPACE
namespace jwe {

class decrypter;

namespace detail {
constexpr std::uint32_t enc_bit(content_encryption enc) noexcept {
  return std::uint32_t{1} << static_cast<unsigned>(enc);
}
// A key of a decrypter and the content encryption algorithms it accepts (one bit per enc).
struct decrypter_entry {
  decryption_key key;
  std::uint32_t encs;
};
}  // namespace detail

// Reached as jwe::decrypter::builder; include <jot/jwe.hpp>.
class decrypter_builder {
 public:
  // A key and the content encryption algorithms accepted with it. With several keys, every key
  // needs a distinct kid and tokens must name one.
  decrypter_builder& add_key(decryption_key key, std::vector<content_encryption> encs) {
    std::uint32_t mask = 0;
    for (const content_encryption enc : encs) mask |= detail::enc_bit(enc);
    entries_.push_back(detail::decrypter_entry{std::move(key), mask});
    return *this;
  }

  // The claim policy of decrypt_unsigned_claims (a nested token is checked by its verifier's
  // validator instead). Without it, the strict default policy.
  decrypter_builder& validator(result<jot::validator> policy) {
    validator_ = std::move(policy);
    return *this;
  }

  // A larger or smaller cap than default_max_encrypted_token_size (16 KiB), checked before any
  // byte is decoded: 1 byte to 16 MiB.
  decrypter_builder& max_token_size(std::size_t bytes) {
    max_token_size_ = bytes;
    return *this;
  }

  // The decrypter, or: the validator's own error; errc::no_keys without keys; invalid_argument
  // for a key given no enc, or a size cap out of range; content_key_size_mismatch for a `dir`
  // key given an enc of another key length; missing_key_id when one of several keys has no kid,
  // duplicate_key_id when two share one.
  result<decrypter> build() const;

 private:
  std::vector<detail::decrypter_entry> entries_;
  result<jot::validator> validator_ = jot::validator::builder{}.build();
  std::size_t max_token_size_ = default_max_encrypted_token_size;
};

}  // namespace jwe
JOT_END_NAMESPACE
