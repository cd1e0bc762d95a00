#pragma once

// Helpers shared by the unit tests: fixed and generated keys, short-lived tokens, and tokens
// crafted by hand where jot's own encoder would refuse to make them.

#include <chrono>
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

// A fresh ES256 key published under `kid`.
inline jot::signing_key es256_key_named(const std::string& kid) {
  return jot::signing_key::generate(jot::algorithm::es256).value().with_key_id(kid).value();
}

// A token for subject "s" that expires in ten minutes, signed with `key`.
inline std::string short_lived_token(const jot::signing_key& key) {
  return jot::encoder{key}
      .sign(
          jot::claims::builder{}.subject("s").expires_in(std::chrono::minutes(10)).build().value())
      .value();
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
