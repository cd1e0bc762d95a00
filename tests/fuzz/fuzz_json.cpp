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
//  - the scan (json_fast_path::scan_object, which the verifier uses to read headers and claims in
//    place, detail/lazy_object.hpp) accepts exactly the texts the fast path reads, except those
//    with an object of more members than its index holds; each member it records, made into a
//    Json value, equals the strict parser's member; read in place (string, NumericDate, array
//    items) it says what the strict parser's member says; and the lazy object's json() equals
//    the strict parser's object;
//  - detail::json_text_nesting, the depth read without parsing, is within the cap for a text the
//    strict parser accepts and beyond it for one refused as json_too_deep;
//  - every rejection is a jot errc, and nothing throws.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "same_json.hpp"

#include <jot/jot.hpp>

namespace {

// Whether `value` holds an object of more members than the scan's index (top level) or its
// duplicate check (nested) takes.
template <typename Json>
bool beyond_scan_limits(const Json& value, bool top_level) {
  using fast_path = jot::detail::json_fast_path<Json>;
  if (value.is_object()) {
    const std::size_t most =
        top_level ? fast_path::max_scanned_members : fast_path::max_nested_members;
    if (value.size() > most) return true;
  }
  if (value.is_structured()) {
    for (const auto& item : value) {
      if (beyond_scan_limits(item, false)) return true;
    }
  }
  return false;
}

// A member read in place says what the strict parser's value says.
template <typename Json>
void check_member_ref(const jot::detail::member_ref<Json>& ref, const Json& strict) {
  JOT_FUZZ_CHECK(static_cast<bool>(ref));
  JOT_FUZZ_CHECK(ref.type() == strict.type());
  if (strict.is_string()) {
    JOT_FUZZ_CHECK(ref.string() == strict.template get_ref<const typename Json::string_t&>());
  }
  if (strict.is_boolean()) JOT_FUZZ_CHECK(ref.boolean() == strict.template get<bool>());
  for (const auto direction : {jot::detail::rounding::down, jot::detail::rounding::up}) {
    JOT_FUZZ_CHECK(ref.date(direction) == jot::detail::numeric_date_seconds(strict, direction));
  }
  if (strict.is_array()) {
    std::size_t i = 0;
    ref.for_each_item([&](const jot::detail::member_ref<Json>& item) {
      JOT_FUZZ_CHECK(i < strict.size());
      check_member_ref(item, strict[i++]);
    });
    JOT_FUZZ_CHECK(i == strict.size());
    JOT_FUZZ_CHECK(ref.is_string_or_string_array() ==
                   std::all_of(strict.begin(), strict.end(),
                               [](const Json& item) { return item.is_string(); }));
  }
}

template <typename Json>
void check_scan(std::string_view text, std::size_t max_depth, const std::optional<Json>& fast,
                const jot::result<Json>& strict) {
  using fast_path = jot::detail::json_fast_path<Json>;
  typename fast_path::object_index index;
  const bool scanned = fast_path::scan_object(text, max_depth, index);
  if (!scanned) {
    JOT_FUZZ_CHECK(!fast || beyond_scan_limits(*fast, true));
    return;
  }
  JOT_FUZZ_CHECK(fast.has_value() && strict.has_value());
  JOT_FUZZ_CHECK(index.size == strict->size());
  jot::detail::lazy_object<Json> lazy;
  JOT_FUZZ_CHECK(lazy.scan(text, max_depth));
  for (std::size_t i = 0; i < index.size; ++i) {
    const auto& member = index.members[i];
    const auto it = strict->find(member.name);
    JOT_FUZZ_CHECK(it != strict->end());
    const auto made = fast_path::read_scanned(member.value, 1, max_depth);
    JOT_FUZZ_CHECK(made && jot_test::same_json(*made, *it));
    const Json* found = lazy.find(member.name);
    JOT_FUZZ_CHECK(found && jot_test::same_json(*found, *it));
    check_member_ref(lazy.member(member.name), *it);
  }
  JOT_FUZZ_CHECK(jot_test::same_json(lazy.json(), *strict));
}

template <typename Json>
void check_fast_path(std::string_view text, std::size_t max_depth) {
  const auto fast = jot::detail::json_fast_path<Json>::read_object(text, max_depth);
  const auto strict = jot::detail::parse_json_object_strictly<Json>(text, max_depth);
  if (fast) JOT_FUZZ_CHECK(strict.has_value() && jot_test::same_json(*fast, *strict));
  check_scan(text, max_depth, fast, strict);
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
