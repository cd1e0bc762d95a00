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
//  - the fast path (detail/json_fast_path.hpp) decides nothing: a text it reads, the strict
//    parser (nlohmann's, under jot's rules) accepts with exactly the same value, same number
//    types and same member order; a text the strict parser rejects, the fast path gives up on;
//    and what its writer writes is byte for byte what nlohmann's dump() writes;
//  - detail::json_text_nesting, the depth read without parsing, is within the cap for a text the
//    strict parser accepts and beyond it for one refused as json_too_deep;
//  - every rejection is a jot errc, and nothing throws.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "same_json.hpp"

#include <jot/jot.hpp>

namespace {

template <typename Json>
void check_fast_path(std::string_view text, std::size_t max_depth) {
  const auto fast = jot::detail::json_fast_path<Json>::read_object(text, max_depth);
  const auto strict = jot::detail::parse_json_object_strictly<Json>(text, max_depth);
  if (fast) JOT_FUZZ_CHECK(strict.has_value() && jot_test::same_json(*fast, *strict));
  // The text scanner measures the depth the parsers cap.
  const std::size_t nesting = jot::detail::json_text_nesting(text);
  if (strict) JOT_FUZZ_CHECK(nesting <= max_depth);
  if (strict.error() == jot::errc::json_too_deep) JOT_FUZZ_CHECK(nesting > max_depth);
}

template <typename Json>
jot::result<Json> check_accepted_text(std::string_view text) {
  check_fast_path<Json>(text, jot::default_max_json_depth);
  check_fast_path<Json>(text, 2);
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
  std::string written;
  if (jot::detail::json_fast_path<Json>::write(*parsed, written)) {
    JOT_FUZZ_CHECK(written == dumped);
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
