// Fuzz target: strict base64url (jot/base64url.hpp).
// The input is used twice: as text to decode, and as bytes to encode.
// Invariants:
//  - decoding agrees exactly with an independent model of canonical unpadded base64url (the
//    alphabet, no length 4n+1, zero unused trailing bits);
//  - decode then encode gives back the input whenever decoding succeeds: one byte string has
//    exactly one accepted text, so a token cannot be re-spelled under the same signature;
//  - encode then decode gives back any byte string, with the length ceil(4n/3) and only
//    alphabet characters;
//  - appending to a buffer keeps what was in it, and so does encoding in place after it;
//    secret_bytes::from_base64url agrees.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"

#include <jot/jot.hpp>

namespace {

int alphabet_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// RFC 4648 §5 without padding, canonical only (RFC 7515 §2), written out independently of jot's
// table-driven decoder.
bool model_accepts(std::string_view text) {
  if (text.size() % 4 == 1) return false;
  for (char c : text) {
    if (alphabet_value(c) < 0) return false;
  }
  if (text.empty() || text.size() % 4 == 0) return true;
  const int last = alphabet_value(text.back());
  // Two characters carry one byte (4 unused bits); three carry two bytes (2 unused bits).
  return text.size() % 4 == 2 ? (last & 0x0f) == 0 : (last & 0x03) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // Decode -> encode.
  const auto decoded = jot::base64url_decode(input);
  JOT_FUZZ_CHECK(decoded.has_value() == model_accepts(input));
  if (decoded) {
    JOT_FUZZ_CHECK(decoded->size() == input.size() * 3 / 4);
    JOT_FUZZ_CHECK(jot::base64url_encode(*decoded) == input);
  } else {
    JOT_FUZZ_CHECK(decoded.error() == jot::errc::invalid_base64);
  }

  // The append form used on the verify hot path keeps the buffer's prefix.
  std::string appended = "prefix";
  const bool append_ok = jot::detail::base64url_decode_append(input, appended);
  JOT_FUZZ_CHECK(append_ok == decoded.has_value());
  if (append_ok) JOT_FUZZ_CHECK(appended == "prefix" + *decoded);

  const auto secret = jot::secret_bytes::from_base64url(input);
  JOT_FUZZ_CHECK(secret.has_value() == decoded.has_value());
  if (secret) JOT_FUZZ_CHECK(secret->unsafe_bytes() == *decoded);

  // Encode -> decode, on the same bytes taken as binary.
  const std::string encoded = jot::base64url_encode(input);
  JOT_FUZZ_CHECK(encoded.size() == (input.size() * 4 + 2) / 3);
  for (char c : encoded) JOT_FUZZ_CHECK(alphabet_value(c) >= 0);
  const auto round_trip = jot::base64url_decode(encoded);
  JOT_FUZZ_CHECK(round_trip.has_value() && *round_trip == input);
  // Encoding in place, after a prefix (as the encoder writes a token's payload), writes the same.
  std::string in_place = "prefix" + std::string(input);
  jot::detail::base64url_encode_in_place(in_place, 6);
  JOT_FUZZ_CHECK(in_place == "prefix" + encoded);
  return 0;
}
