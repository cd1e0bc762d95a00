#pragma once

// Helpers for unit tests that need to craft tokens jot's own encoder would refuse to make.

#include <string>
#include <string_view>

#include <jot/jot.hpp>

namespace jot_test {

// A 64-byte secret that is the same in every run, so a failure reproduces.
inline jot::secret_bytes fixed_secret(std::size_t size = 64, char fill = 'k') {
  std::string bytes(size, fill);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(fill + i % 7);
  return jot::secret_bytes(bytes);
}

inline jot::signing_key hs256_key(std::string kid = {}) {
  auto key = jot::signing_key::hs256(fixed_secret()).value();
  return kid.empty() ? key : key.with_key_id(std::move(kid)).value();
}

// header.payload.signature over exactly these JSON texts, signed with `key`.
inline std::string sign_raw(std::string_view header_json, std::string_view payload_json,
                            const jot::signing_key& key) {
  std::string token =
      jot::base64url_encode(header_json) + "." + jot::base64url_encode(payload_json);
  token += "." + jot::base64url_encode(key.implementation().sign(token).value());
  return token;
}

}  // namespace jot_test
