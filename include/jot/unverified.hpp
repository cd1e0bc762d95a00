#pragma once

// Reading a token WITHOUT verifying it. Nothing here checks a signature, so nothing here may be
// used to make an authorization decision: these are for debugging tools, logs, and routing a
// token to the right verifier by `kid` or `iss` before verifying it. The results are plain JSON
// and strings, never a verified_token or claims object. Not included by jot.hpp.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "jot/base64url.hpp"
#include "jot/detail/compact.hpp"
#include "jot/json.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace unverified {

// A decoded token whose signature nobody checked: for logging and debugging only, never for a
// decision. Most code uses jot::unverified::token.
template <typename Json>
struct basic_token {
  static_assert(is_basic_json_v<Json>, "Json must be an nlohmann::basic_json specialisation");

  Json header;            // strict JSON object, NOT authenticated
  Json payload;           // strict JSON object, NOT authenticated
  std::string signature;  // raw signature bytes, NOT checked
};

// A decoded, unchecked token of nlohmann::json.
using token = basic_token<nlohmann::json>;

// Splits, decodes and parses a compact JWS with the same strictness as the verifier (size cap,
// three segments, canonical base64url, strict JSON), and checks nothing else. A compact JWE (five
// segments) is errc::encrypted_token: its payload cannot be read without the key.
template <typename Json = nlohmann::json>
result<basic_token<Json>> decode(std::string_view token,
                                 std::size_t max_token_size = default_max_token_size) noexcept {
  JOT_TRY {
    if (token.size() > max_token_size) return errc::token_too_large;
    const auto segments = detail::split_compact(token);
    if (!segments) {
      return detail::is_compact_jwe(token) ? errc::encrypted_token : errc::malformed_token;
    }
    std::string header_bytes, payload_bytes;
    basic_token<Json> out;
    if (!detail::base64url_decode_append(segments->header, header_bytes) ||
        !detail::base64url_decode_append(segments->payload, payload_bytes) ||
        !detail::base64url_decode_append(segments->signature, out.signature)) {
      return errc::invalid_base64;
    }
    auto header = parse_json_object<Json>(header_bytes);
    if (!header) return header.error();
    auto payload = parse_json_object<Json>(payload_bytes);
    if (!payload) return payload.error();
    out.header = std::move(*header);
    out.payload = std::move(*payload);
    return out;
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }
}

}  // namespace unverified
JOT_END_NAMESPACE
