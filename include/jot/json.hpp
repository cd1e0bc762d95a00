#pragma once

// Strict JSON for JOSE headers and JWT claim sets (RFC 7515 §5.2, RFC 7519 §7.2, RFC 8725 §3.7).
// Compared with a plain nlohmann::json::parse this:
//  - rejects duplicate member names at every depth, comparing the unescaped names, so
//    {"alg":"HS256","\u0061lg":"none"} cannot show two parsers two different algorithms;
//  - caps nesting depth, so a 100 000-deep array costs nothing;
//  - rejects a byte order mark (RFC 8259 §8.1: it must not be added), comments and trailing data;
//  - rejects numbers that overflow a double (1e400) and invalid UTF-8;
//  - rejects a raw NUL byte anywhere: RFC 8259 §7 requires control characters in strings to be
//    escaped and §2 allows none outside them, and nlohmann's lexer would take it as the end of
//    input, so {"sub":"alice"}\0{"sub":"admin"} must not parse as its first half;
//  - requires an object at the top level;
//  - never lets an nlohmann exception escape: every failure is an errc.
// Thread-safe: the functions keep no state between calls.

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "jot/detail/json_fast_path.hpp"
#include "jot/detail/text.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

// How deeply a token's header and claims may nest (the object itself is level 1) unless a
// validator says otherwise: deep enough for real claims, far too shallow to exhaust the stack.
inline constexpr std::size_t default_max_json_depth = 32;

// jot's templates take any nlohmann::basic_json specialisation (nlohmann::json,
// nlohmann::ordered_json, or one with other number or allocator types); nlohmann's own trait
// says what a specialisation is.
template <typename Json>
inline constexpr bool is_basic_json_v = nlohmann::detail::is_basic_json<Json>::value;

namespace detail {

// Whether `value` is the JSON string `text`: what `value == "text"` answers, without
// instantiating nlohmann's comparison of any two JSON values (and the conversion of the literal
// to one) in every translation unit that includes jot.
template <typename Json>
bool is_json_string(const Json& value, std::string_view text) noexcept {
  const auto* string = value.template get_ptr<const typename Json::string_t*>();
  return string != nullptr && *string == text;
}

// nlohmann's JSON parser driving a SAX consumer: what Json::sax_parse does for JSON text, without
// also instantiating nlohmann's readers of five binary formats (CBOR, MessagePack...) for the
// consumer, which Json::sax_parse does whatever the format, at over a second of compile time in
// every translation unit that includes jot.
template <typename Json, typename Sax>
bool sax_parse_json_text(std::string_view text, Sax& sax, bool strict) {
  auto input = nlohmann::detail::input_adapter(text.begin(), text.end());
  using parser_type = nlohmann::detail::parser<Json, decltype(input)>;
  return parser_type(std::move(input), nullptr, /*allow_exceptions_=*/true,
                     /*skip_comments=*/false)
      .sax_parse(&sax, strict);
}

// An nlohmann SAX consumer that builds a Json value while enforcing the rules above.
template <typename Json>
class strict_json_builder {
 public:
  using number_integer_t = typename Json::number_integer_t;
  using number_unsigned_t = typename Json::number_unsigned_t;
  using number_float_t = typename Json::number_float_t;
  using string_t = typename Json::string_t;
  using binary_t = typename Json::binary_t;

  strict_json_builder(Json& root, std::size_t max_depth) : root_(root), max_depth_(max_depth) {}

  bool null() { return add(nullptr); }
  bool boolean(bool value) { return add(value); }
  bool number_integer(number_integer_t value) { return add(value); }
  bool number_unsigned(number_unsigned_t value) { return add(value); }
  bool number_float(number_float_t value, const string_t& /*text*/) { return add(value); }
  bool string(string_t& value) { return add(std::move(value)); }
  bool binary(binary_t& /*value*/) { return fail(errc::invalid_json); }  // not produced by JSON

  bool start_object(std::size_t /*size*/) { return open(Json::value_t::object); }
  bool start_array(std::size_t /*size*/) { return open(Json::value_t::array); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(string_t& name) {
    auto& members = open_.back()->template get_ref<typename Json::object_t&>();
    auto [member, inserted] = members.emplace(std::move(name), Json());
    if (!inserted) return fail(errc::duplicate_member);
    member_ = &member->second;
    return true;
  }

  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const typename Json::exception& /*ex*/) {
    return fail(errc::invalid_json);
  }

  errc error() const noexcept { return error_; }

 private:
  template <typename Value>
  Json* place(Value&& value) {
    if (open_.empty()) {
      root_ = Json(std::forward<Value>(value));
      return &root_;
    }
    Json& parent = *open_.back();
    if (parent.is_array()) {
      parent.push_back(Json(std::forward<Value>(value)));
      return &parent.back();
    }
    *member_ = Json(std::forward<Value>(value));
    return member_;
  }

  template <typename Value>
  bool add(Value&& value) {
    // A scalar at the top level is not an object: stop early.
    if (open_.empty()) return fail(errc::invalid_json);
    place(std::forward<Value>(value));
    return true;
  }

  bool open(typename Json::value_t type) {
    if (open_.size() >= max_depth_) return fail(errc::json_too_deep);
    if (open_.empty() && type != Json::value_t::object) return fail(errc::invalid_json);
    open_.push_back(place(type));
    return true;
  }

  bool close() {
    open_.pop_back();
    return true;
  }

  bool fail(errc code) {
    // Keep the first, most specific reason; the parser reports its own error after a `false`.
    if (!failed_) error_ = code;
    failed_ = true;
    return false;
  }

  Json& root_;
  std::size_t max_depth_;
  std::vector<Json*> open_;
  Json* member_ = nullptr;
  errc error_ = errc::invalid_json;
  bool failed_ = false;
};

// Points each slot of `out` at the member of `object` named by the slot's name (a slot whose
// member is absent is left as it is): one pass over the members instead of one lookup per name,
// for the checks that read many members of the same small object.
template <typename Json, typename Members, std::size_t N>
void find_members(const Json& object, Members& out,
                  const std::pair<std::string_view, const Json * Members::*> (&slots)[N]) {
  for (const auto& [name, value] : object.template get_ref<const typename Json::object_t&>()) {
    for (const auto& [slot_name, slot] : slots) {
      if (std::string_view(name) == slot_name) {
        out.*slot = &value;
        break;
      }
    }
  }
}

// The deepest nesting of arrays and objects in `text`, counted as max_depth counts (a top-level
// container is 1), without parsing: brackets inside strings do not count, and the text need not
// be valid JSON. The parsers here count their depth as they read (the fast path in its recursion,
// strict_json_builder in its stack of open containers); this serves readers that have no depth
// cap of their own, such as nlohmann's lenient parse in the command-line tool and the tests, so
// that they refuse what jot's parser would.
inline std::size_t json_text_nesting(std::string_view text) noexcept {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

// parse_json_object without its fast path: nlohmann's parser under the rules above. Every text
// goes through here that the fast path (json_fast_path.hpp) does not take; the fuzzers call it
// directly to compare the two.
template <typename Json>
result<Json> parse_json_object_strictly(std::string_view text, std::size_t max_depth) {
  // nlohmann skips a UTF-8 byte order mark silently; JOSE inputs must not carry one.
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) return errc::invalid_json;
  if (text.find('\0') != std::string_view::npos) return errc::invalid_json;
  JOT_TRY {
    Json root;
    strict_json_builder<Json> builder(root, max_depth);
    const bool ok = sax_parse_json_text<Json>(text, builder, /*strict=*/true);
    if (!ok) return builder.error();
    if (!root.is_object()) return errc::invalid_json;
    return root;
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }
}

}  // namespace detail

// Parses `text` as one strict JSON object.
template <typename Json = nlohmann::json>
result<Json> parse_json_object(std::string_view text,
                               std::size_t max_depth = default_max_json_depth) {
  static_assert(is_basic_json_v<Json>, "Json must be an nlohmann::basic_json specialisation");
  JOT_TRY {
    if (auto common = detail::json_fast_path<Json>::read_object(text, max_depth)) {
      return std::move(*common);
    }
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }
  return detail::parse_json_object_strictly<Json>(text, max_depth);
}

JOT_END_NAMESPACE
