#pragma once

// Helpers shared by the conformance-vector tests: loading a vector file from JOT_VECTORS_DIR,
// hex and base64url decoding of vector fields, readable Catch2 output for jot's error codes, and
// the verifiers the vectors are checked with.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <jot/jot.hpp>

#include "catch.hpp"
#include "json_edit.hpp"
#include "raw_token.hpp"
#include "test_support.hpp"
#include "verifier_setup.hpp"

namespace Catch {
// An expected or observed refusal, where nothing means that the key or token was accepted.
template <>
struct StringMaker<std::optional<jot::errc>> {
  static std::string convert(const std::optional<jot::errc>& code) {
    return code ? jot::errc_name(*code) : "accepted";
  }
};
}  // namespace Catch

namespace jot_vectors {

// The parsed vector file at `relative` (below JOT_VECTORS_DIR, by default tests/vectors/data).
// The suite runs only when the folder exists (vectors_main.cpp skips it otherwise, which happens
// only for an override that names no folder), so a missing or unreadable file is a failure,
// never a silent skip.
inline nlohmann::json load(std::string_view relative) {
  const auto dir = jot_test::vectors_dir();
  REQUIRE(dir);
  const std::filesystem::path path = *dir / std::filesystem::path(std::string(relative));
  INFO("vector file: " << path.string());
  REQUIRE(std::filesystem::is_regular_file(path));
  const auto text = jot_test::read_file(path);
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  REQUIRE_FALSE(doc.is_discarded());
  return doc;
}

// "accepted" or the errc name of a verification result, for INFO lines.
template <typename Result>
std::string outcome(const Result& result) {
  return result ? "accepted" : Catch::StringMaker<std::error_code>::convert(result.error());
}

inline std::string hex_decode(std::string_view hex) {
  REQUIRE(hex.size() % 2 == 0);
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  bool valid = true;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = nibble(hex[i]);
    const int low = nibble(hex[i + 1]);
    valid = valid && high >= 0 && low >= 0;
    out.push_back(static_cast<char>(high * 16 + low));
  }
  REQUIRE(valid);
  return out;
}

// Decodes a base64url field of a vector file; such fields are canonical by construction, so a
// decoding failure means the file is not what the test expects.
inline std::string b64u(std::string_view text) {
  auto decoded = jot::base64url_decode(text);
  REQUIRE(decoded.has_value());
  return std::move(*decoded);
}

// The JWS signing input (RFC 7515 §5.1) and the encoded signature of a compact token: the text
// before and after its last dot. Only used on tokens known to have exactly three segments.
inline std::string_view signing_input_of(std::string_view token) {
  return token.substr(0, token.rfind('.'));
}
inline std::string_view signature_segment_of(std::string_view token) {
  return token.substr(token.rfind('.') + 1);
}

// The decoded payload of a compact token with exactly three segments.
inline std::string payload_of(std::string_view token) {
  const auto first_dot = token.find('.');
  const auto second_dot = token.find('.', first_dot + 1);
  REQUIRE(second_dot != std::string_view::npos);
  return b64u(token.substr(first_dot + 1, second_dot - first_dot - 1));
}

inline bool is_json_object(std::string_view bytes) {
  const auto parsed = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  return !parsed.is_discarded() && parsed.is_object();
}

// The jot algorithm for a JOSE `alg` name. The polymorphic "EdDSA" (RFC 8037 §3.1) names no
// single algorithm, so the key's curve decides, as it does in jot's JWK import.
inline std::optional<jot::algorithm> algorithm_named(std::string_view name,
                                                     std::string_view crv = {}) {
  if (name == "EdDSA") {
    if (crv == "Ed25519") return jot::algorithm::ed25519;
    if (crv == "Ed448") return jot::algorithm::ed448;
    return std::nullopt;
  }
  return jot::algorithm_from_name(name);
}

// A verifier holding `key` alone with jot's default claim policy, reading the time from `clock`
// where one is given (a published token may have expired long ago), else from the real clock.
inline jot::verifier verifier_for(
    const jot::verification_key& key,
    std::function<std::chrono::system_clock::time_point()> clock = nullptr) {
  jot_test::verifier_setup builder;
  builder.add_key(key);
  if (clock) builder.allow_custom_clock(std::move(clock));
  auto verifier = builder.build();
  REQUIRE(verifier.has_value());
  return *verifier;
}

// A verifier holding `keys`, for vectors that test the JWS layer, not claims: every claim rule is
// relaxed (no exp required, aud and typ ignored). `max_token_bytes`, where given, replaces jot's
// token size cap (8 KiB).
inline jot::verifier jws_layer_verifier(const std::vector<jot::verification_key>& keys,
                                        std::optional<std::size_t> max_token_bytes = std::nullopt) {
  jot_test::verifier_setup builder;
  for (const auto& key : keys) builder.add_key(key);
  builder.allow_missing_expiration().ignore_audience().ignore_type();
  if (max_token_bytes) {
    if (*max_token_bytes < jot::default_max_token_size) {
      builder.expect_max_token_size(*max_token_bytes);
    } else {
      builder.allow_token_size(*max_token_bytes);
    }
  }
  auto verifier = builder.build();
  REQUIRE(verifier.has_value());
  return *verifier;
}

// Asserts that a token whose payload is not a JSON object is authentic at the JWS layer. jot
// verifies JWTs: once the signature holds it parses the payload as the claims set and reports
// errc::invalid_json (RFC 7519 §7.2 step 10). So the verifier must reach that step, and the key's
// own verify() must accept the signature over the signing input (RFC 7515 §5.2 step 8); either
// alone could hide a rejection for another reason.
inline void check_authentic_non_jwt(std::string_view token, const jot::verifier& verifier,
                                    const jot::verification_key& key) {
  REQUIRE_FALSE(is_json_object(payload_of(token)));
  const auto result = verifier.verify(token);
  INFO("jot: " << outcome(result));
  CHECK(result.error() == jot::errc::invalid_json);
  const auto signature = b64u(signature_segment_of(token));
  const auto verified = key.implementation().verify(signing_input_of(token), signature);
  INFO("key verify(): " << outcome(verified));
  CHECK(verified.has_value());
}

}  // namespace jot_vectors
