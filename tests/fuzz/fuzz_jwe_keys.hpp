#pragma once

// The fixed decryption keys of fuzz_jwe, one per key management family and size, shared with the
// corpus generator so that the committed seeds decrypt under them. TEST KEYS ONLY.

#include <string>
#include <vector>

#include <jot/jwe.hpp>

#include "fixed_keys.hpp"

namespace jot_fuzz {

inline jot::secret_bytes fixed_jwe_secret(std::size_t size) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>('j' + i % 13);
  return jot::secret_bytes(bytes);
}

// dir (16, 32 and 64 bytes), A128KW, A256KW, RSA-OAEP, RSA-OAEP-256, ECDH-ES+A128KW on P-256;
// made once.
inline const std::vector<jot::jwe::decryption_key>& fixed_jwe_keys() {
  using jot::jwe::decryption_key;
  using jot::jwe::key_management;
  static const std::vector<decryption_key> keys = {
      decryption_key::from_secret(key_management::dir, fixed_jwe_secret(16)).value(),
      decryption_key::from_secret(key_management::dir, fixed_jwe_secret(32)).value(),
      decryption_key::from_secret(key_management::dir, fixed_jwe_secret(64)).value(),
      decryption_key::from_secret(key_management::a128kw, fixed_jwe_secret(16)).value(),
      decryption_key::from_secret(key_management::a256kw, fixed_jwe_secret(32)).value(),
      decryption_key::from_pem(key_management::rsa_oaep, jot_test::pem::rsa_2048_pem).value(),
      decryption_key::from_pem(key_management::rsa_oaep_256, jot_test::pem::rsa_2048_pem).value(),
      decryption_key::from_pem(key_management::ecdh_es_a128kw, jot_test::pem::p256_pem).value(),
  };
  return keys;
}

// The content encryption a control byte selects for `key`: for a dir key, the one of its length.
inline jot::jwe::content_encryption fuzz_enc(const jot::jwe::decryption_key& key,
                                             std::uint8_t selector) {
  const auto& table = jot::jwe::detail::content_encryption_table;
  if (key.alg() == jot::jwe::key_management::dir) {
    for (const auto& row : table) {
      if (row.key_size == key.material().secret->size() && selector-- == 0) return row.enc;
    }
    for (const auto& row : table) {
      if (row.key_size == key.material().secret->size()) return row.enc;
    }
  }
  return table[selector % std::size(table)].enc;
}

}  // namespace jot_fuzz
