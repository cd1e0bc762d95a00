#pragma once

// basic_encoder<Json>: claims + signing key -> compact JWS (RFC 7515 §7.1).
// The header is written by jot from the key: `alg` is the key's algorithm, `kid` the key's id,
// `typ` the encoder's type ("JWT" unless told otherwise, RFC 7519 §5.1). Immutable after
// construction and safe to share across threads. The header is encoded once, at construction.
// The payload is the claims' JSON written compactly in the Json type's member order: with
// nlohmann::ordered_json the order in which the builder set the claims. Claims are valid UTF-8
// by construction (the builder checks each claim as it is added, the verifier parses strictly),
// so the exceptions and the JOT_NO_EXCEPTIONS builds sign the same bytes; a `typ` or `kid` that
// is not UTF-8 is errc::invalid_argument in both.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "jot/base64url.hpp"
#include "jot/claims.hpp"
#include "jot/detail/hmac.hpp"
#include "jot/json.hpp"
#include "jot/keys.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

// Signs claims with one key into compact JWS tokens; the header comes from the key and the type
// alone. Immutable and safe to share across threads. Most code uses jot::encoder.
template <typename Json>
class basic_encoder {
  static_assert(is_basic_json_v<Json>, "Json must be an nlohmann::basic_json specialisation");

 public:
  // `type` becomes the `typ` header; use an explicit type such as "at+jwt" (RFC 9068) so a token
  // cannot be replayed where another kind is expected (RFC 8725 §3.11), or nullopt to omit it.
  explicit basic_encoder(signing_key key, std::optional<std::string> type = std::string("JWT"))
      : key_(std::move(key)),
        type_(std::move(type)),
        header_segment_(encode_header()),
        hmac_(dynamic_cast<const detail::hmac_key*>(&key_.implementation())) {}

  // The key every token is signed with.
  const signing_key& key() const noexcept { return key_; }

  // The compact token `header.payload.signature`. errc::invalid_argument when the `typ` or the
  // key's kid is not UTF-8; when no signature can be made, the signer's error (crypto_failure
  // from OpenSSL or a throwing application signer); out_of_memory on allocation failure.
  result<std::string> sign(const basic_claims<Json>& claims) const {
    if (!header_segment_) return errc::invalid_argument;
    JOT_TRY {
      // One buffer: the header, the payload's JSON appended and encoded where it is, then the
      // signature. Room for the usual claims; a larger payload grows it.
      std::string token;
      token.reserve(header_segment_->size() + usual_payload_room);
      token.append(*header_segment_);
      token.push_back('.');
      const std::size_t payload_start = token.size();
      if (!claims.set_->write(token)) {
        std::string payload_json;
        if (!dump(claims.json(), payload_json)) return errc::invalid_argument;
        token.append(payload_json);
      }
      detail::base64url_encode_in_place(token, payload_start);
      if (hmac_ != nullptr) {
        unsigned char mac[detail::hmac_key::max_mac_size];
        if (!hmac_->compute(token, mac)) return errc::crypto_failure;
        token.push_back('.');
        detail::base64url_encode_append(
            std::string_view(reinterpret_cast<const char*>(mac), hmac_->mac_size()), token);
        return token;
      }
      auto signature = key_.implementation().sign(token);
      if (!signature) return signature.error();
      token.push_back('.');
      detail::base64url_encode_append(*signature, token);
      return token;
    }
    JOT_CATCH_ALL { return detail::errc_of_current_exception(); }
  }

 private:
  // The room sign() makes after the header at first: a payload of about 480 bytes of JSON, with
  // its encoding and an HS512 signature.
  static constexpr std::size_t usual_payload_room = 768;

  // The header is the same for every token an encoder signs, so it is written and encoded once;
  // nullopt when `typ` or `kid` is not UTF-8, which makes every sign() errc::invalid_argument.
  std::optional<std::string> encode_header() const {
    if ((type_ && !detail::is_valid_utf8(*type_)) ||
        (key_.key_id() && !detail::is_valid_utf8(*key_.key_id()))) {
      return std::nullopt;
    }
    Json header = Json::object();
    header["alg"] = std::string(algorithm_name(key_.alg()));
    if (type_) header["typ"] = *type_;
    if (key_.key_id()) header["kid"] = *key_.key_id();
    std::string header_json;
    if (!dump(header, header_json)) return std::nullopt;
    return base64url_encode(header_json);
  }

  // Compact JSON, written by the fast path when it can (the same bytes, detail/json_fast_path.hpp)
  // or by nlohmann; false when a string is not valid UTF-8 (RFC 8259 §8.1 requires UTF-8). Without
  // exceptions nlohmann cannot report that, and the strict handler would abort; the checks made
  // before (see the top of this file) leave nothing for `replace` to replace.
  static bool dump(const Json& value, std::string& out) {
    if (detail::json_fast_path<Json>::write(value, out)) return true;
#ifndef JOT_NO_EXCEPTIONS
    try {
      out = value.dump(-1, ' ', false, Json::error_handler_t::strict);
    } catch (const typename Json::type_error&) {
      return false;
    }
#else
    out = value.dump(-1, ' ', false, Json::error_handler_t::replace);
#endif
    return true;
  }

  signing_key key_;
  std::optional<std::string> type_;
  std::optional<std::string> header_segment_;  // BASE64URL(UTF8(JWS Protected Header))
  // The key's own HMAC, whose MAC sign() writes straight into the token; null for other keys.
  const detail::hmac_key* hmac_;
};

// The encoder of nlohmann::json claims.
using encoder = basic_encoder<nlohmann::json>;

JOT_END_NAMESPACE
