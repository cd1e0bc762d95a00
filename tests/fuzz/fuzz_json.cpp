// Fuzz target: strict JSON parsing (jot::parse_json_object), the parser every header, payload and
// JWKS goes through. The input is the JSON text.
// Invariants:
//  - nlohmann::json and nlohmann::ordered_json give the same verdict and the same errc (the
//    strictness does not depend on how objects are stored);
//  - an accepted text is an object; dump -> parse succeeds and gives an equal value, and dumping
//    that again gives the same text (the encoder relies on this to sign what it wrote);
//  - an accepted text is also accepted, with an equal value, by nlohmann's own parser (strict
//    never accepts what the general parser would read differently) and with a deeper depth limit;
//  - an accepted text holds no raw NUL byte (RFC 8259 §2; nlohmann's lexer would stop there);
//  - every rejection is a jot errc, and nothing throws.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"

#include <jot/jot.hpp>

namespace {

template <typename Json>
jot::result<Json> check_accepted_text(std::string_view text) {
  auto parsed = jot::parse_json_object<Json>(text);
  if (!parsed) {
    JOT_FUZZ_CHECK(jot_fuzz::is_jot_error(parsed.error()));
    return parsed;
  }
  JOT_FUZZ_CHECK(parsed->is_object());
  JOT_FUZZ_CHECK(text.find('\0') == std::string_view::npos);

  // Strict parsing validated the UTF-8, so the strict dump cannot throw.
  std::string dumped;
  try {
    dumped = parsed->dump(-1, ' ', false, Json::error_handler_t::strict);
  } catch (...) {
    jot_fuzz::invariant_failed("a strictly parsed value must dump", __FILE__, __LINE__);
  }
  const auto reparsed = jot::parse_json_object<Json>(dumped);
  JOT_FUZZ_CHECK(reparsed.has_value());
  JOT_FUZZ_CHECK(*reparsed == *parsed);
  JOT_FUZZ_CHECK(reparsed->dump() == dumped);

  const Json general = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  JOT_FUZZ_CHECK(!general.is_discarded());
  JOT_FUZZ_CHECK(general == *parsed);

  const auto deeper = jot::parse_json_object<Json>(text, 256);
  JOT_FUZZ_CHECK(deeper.has_value() && *deeper == *parsed);
  return parsed;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto as_json = check_accepted_text<nlohmann::json>(text);
  const auto as_ordered = check_accepted_text<nlohmann::ordered_json>(text);
  JOT_FUZZ_CHECK(as_json.has_value() == as_ordered.has_value());
  JOT_FUZZ_CHECK(as_json.error() == as_ordered.error());
  return 0;
}
