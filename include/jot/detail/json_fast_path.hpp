#pragma once

// The JSON that token headers and claim sets almost always hold (objects, arrays, strings without
// escapes, integers, true, false and null), read straight into a Json value in one pass, and
// written straight from one. It decides nothing:
//  - read_object is the first half of parse_json_object (json.hpp): on anything else (an escape,
//    a fraction or an exponent) and on every error it gives up, and parse_json_object runs
//    nlohmann's parser under the strict rules instead. A text it reads is one the strict parser
//    accepts with exactly the same value (same types, same members, same order);
//  - write gives up on anything else too (a string to escape, a float, a binary value), and the
//    encoder then calls nlohmann's dump; what it writes is byte for byte what dump() writes.
// fuzz_json checks both on every input. The point is speed: nlohmann's lexer copies each
// character into a token buffer and its parser reaches the value through a SAX interface, which
// was most of the time of verifying an HMAC token; its dump() sets up a serializer per call.

#include <charconv>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "jot/detail/text.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

template <typename Json>
class json_fast_path {
 public:
  // The object `text` holds, or nullopt to say "ask the strict parser". `max_depth` counts
  // nested containers as the strict parser does (the top-level object is depth 1).
  static std::optional<Json> read_object(std::string_view text, std::size_t max_depth) {
    json_fast_path reader(text, max_depth);
    reader.skip_whitespace();
    if (reader.at_end() || *reader.next_ != '{') return std::nullopt;
    Json root;
    if (!reader.read_value(root, 0)) return std::nullopt;
    reader.skip_whitespace();
    if (!reader.at_end()) return std::nullopt;
    return root;
  }

  // Appends the compact JSON text of `value` to `out` and returns true, or returns false (with
  // `out` unchanged) for a value it leaves to nlohmann's dump(). Two passes, the first measuring
  // and checking, so the text is written in place with no growth and no per-character call.
  static bool write(const Json& value, std::string& out) {
    size_counter counter;
    if (!emit(value, counter)) return false;
    const std::size_t start = out.size();
    out.resize(start + counter.size);
    char_writer writer{out.data() + start};
    emit(value, writer);
    return true;
  }

  // The writer's parts, also used by the builder's claim list (claim_set.hpp): two sinks, the
  // first pass counting and checking, the second writing.
  struct size_counter {
    static constexpr bool checks = true;
    std::size_t size = 0;
    void put(char) noexcept { ++size; }
    void put(std::string_view text) noexcept { size += text.size(); }
  };
  struct char_writer {
    static constexpr bool checks = false;
    char* next;
    void put(char c) noexcept { *next++ = c; }
    void put(std::string_view text) noexcept {
      std::memcpy(next, text.data(), text.size());
      next += text.size();
    }
  };

  template <typename Sink>
  static bool emit(const Json& value, Sink& sink) {
    switch (value.type()) {
      case Json::value_t::object: {
        sink.put('{');
        bool first = true;
        for (const auto& [name, member] : value.template get_ref<const object_t&>()) {
          if (!first) sink.put(',');
          first = false;
          if (!emit_string(name, sink)) return false;
          sink.put(':');
          if (!emit(member, sink)) return false;
        }
        sink.put('}');
        return true;
      }
      case Json::value_t::array: {
        sink.put('[');
        bool first = true;
        for (const Json& item : value.template get_ref<const array_t&>()) {
          if (!first) sink.put(',');
          first = false;
          if (!emit(item, sink)) return false;
        }
        sink.put(']');
        return true;
      }
      case Json::value_t::string:
        return emit_string(value.template get_ref<const string_t&>(), sink);
      case Json::value_t::boolean:
        sink.put(value.template get<bool>() ? std::string_view("true") : "false");
        return true;
      case Json::value_t::null:
        sink.put(std::string_view("null"));
        return true;
      case Json::value_t::number_integer:
        return emit_integer(value.template get<number_integer_t>(), sink);
      case Json::value_t::number_unsigned:
        return emit_integer(value.template get<number_unsigned_t>(), sink);
      default:  // floats (nlohmann's own shortest form), binary, discarded
        return false;
    }
  }

  // A string that needs no escape (RFC 8259 §7: no '"', '\\' or control character), in valid
  // UTF-8, written as it is; nlohmann's dump() writes such a string unchanged too.
  template <typename Sink>
  static bool emit_string(std::string_view text, Sink& sink) {
    if constexpr (Sink::checks) {
      bool ascii = true;
      for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte == '"' || byte == '\\' || byte < 0x20) return false;
        if (byte >= 0x80) ascii = false;
      }
      if (!ascii && !is_valid_utf8(text)) return false;
    }
    sink.put('"');
    sink.put(text);
    sink.put('"');
    return true;
  }

  // The scan: the reader's grammar, checked without making a Json value, for a verifier that
  // reads a few members and makes the rest only when asked (lazy_object.hpp). It accepts exactly
  // the texts read_object reads (fuzz_json checks it), and records the top-level members.
  // A value's `text` is its JSON text as it stands in the input (a string with its quotes).
  struct scanned_value {
    typename Json::value_t type = Json::value_t::discarded;
    std::string_view text;
  };
  struct scanned_member {
    std::string_view name;
    scanned_value value;
  };
  // Headers and claim sets with more members, or a nested object with more, are left to the
  // readers that make Json values: the index has a fixed size, so scanning allocates nothing.
  static constexpr std::size_t max_scanned_members = 16;
  // A nested object's names are compared on the stack, at each depth: fewer.
  static constexpr std::size_t max_nested_members = 8;
  struct object_index {
    std::size_t size = 0;
    scanned_member members[max_scanned_members];

    const scanned_member* find(std::string_view name) const noexcept {
      for (std::size_t i = 0; i < size; ++i) {
        if (same_name(members[i].name, name)) return &members[i];
      }
      return nullptr;
    }
  };

  // Whether `text` is an object read_object reads, with at most max_scanned_members members (and
  // max_nested_members in each nested object); if so, `index` holds its members in text order.
  static bool scan_object(std::string_view text, std::size_t max_depth, object_index& index) {
    json_fast_path scanner(text, max_depth);
    scanner.skip_whitespace();
    if (scanner.at_end() || *scanner.next_ != '{') return false;
    index.size = 0;
    if (!scanner.scan_object_members(0, &index)) return false;
    scanner.skip_whitespace();
    return scanner.at_end();
  }

  // The value of a scanned member or item as a Json value, exactly as read_object makes it.
  // `depth`: the containers around it (1 for a member of the top-level object).
  static std::optional<Json> read_scanned(const scanned_value& value, std::size_t depth,
                                          std::size_t max_depth) {
    json_fast_path reader(value.text, max_depth);
    Json out;
    if (!reader.read_value(out, depth) || !reader.at_end()) return std::nullopt;
    return out;
  }

  // A scanned string's content (it has no escape: the scan gives up on one).
  static std::string_view scanned_string(const scanned_value& value) noexcept {
    return value.text.substr(1, value.text.size() - 2);
  }

  // A scanned true, false, null or integer as its Json value (which allocates nothing).
  static Json scanned_scalar(const scanned_value& value) noexcept {
    json_fast_path reader(value.text, 1);
    Json out;
    switch (value.type) {
      case Json::value_t::boolean:
        out = value.text == "true";
        return out;
      case Json::value_t::number_integer:
      case Json::value_t::number_unsigned:
        reader.read_integer(out);
        return out;
      default:
        return out;  // null
    }
  }

  // Calls f(item) for each item of a scanned array, in order.
  template <typename Function>
  static void for_each_scanned_item(const scanned_value& array, Function&& f) {
    json_fast_path scanner(array.text, max_scanned_depth);
    ++scanner.next_;
    scanner.skip_whitespace();
    if (*scanner.next_ == ']') return;
    for (;;) {
      scanned_value item;
      scanner.scan_value(1, item);
      f(item);
      if (scanner.end_of_item(']') != item_end::more) return;
    }
  }

  template <typename Integer, typename Sink>
  static bool emit_integer(Integer value, Sink& sink) {
    char digits[24];  // 20 digits and a sign at most
    const auto written = std::to_chars(digits, digits + sizeof digits, value);
    if (written.ec != std::errc()) return false;
    sink.put(std::string_view(digits, static_cast<std::size_t>(written.ptr - digits)));
    return true;
  }

 private:
  using string_t = typename Json::string_t;
  using object_t = typename Json::object_t;
  using array_t = typename Json::array_t;
  using number_integer_t = typename Json::number_integer_t;
  using number_unsigned_t = typename Json::number_unsigned_t;

  // The reader: a cursor over the text.
  json_fast_path(std::string_view text, std::size_t max_depth)
      : next_(text.data()), end_(text.data() + text.size()), max_depth_(max_depth) {}

  bool at_end() const noexcept { return next_ == end_; }

  // RFC 8259 §2: space, tab, line feed, carriage return.
  void skip_whitespace() noexcept {
    while (next_ != end_ && (*next_ == ' ' || *next_ == '\n' || *next_ == '\r' || *next_ == '\t')) {
      ++next_;
    }
  }

  // `depth`: the containers around this value.
  bool read_value(Json& out, std::size_t depth) {
    if (at_end()) return false;
    switch (*next_) {
      case '{':
        return read_object_members(out, depth);
      case '[':
        return read_array_items(out, depth);
      case '"': {
        std::string_view text;
        if (!read_string(text)) return false;
        out = string_t(text.data(), text.size());
        return true;
      }
      case 't':
        return read_literal("true", out, true);
      case 'f':
        return read_literal("false", out, false);
      case 'n':
        return read_literal("null", out, nullptr);
      default:
        return read_integer(out);
    }
  }

  // After a container's opening bracket: whether it closes at once (then next_ is past it).
  bool closes_at_once(char close) noexcept {
    skip_whitespace();
    if (at_end() || *next_ != close) return false;
    ++next_;
    return true;
  }

  // A member's name and the colon after it (RFC 8259 §4), leaving next_ at the value. The reader
  // and the scan share it, so that they agree on what a member is.
  bool read_member_name(std::string_view& name) noexcept {
    if (at_end() || *next_ != '"' || !read_string(name)) return false;
    skip_whitespace();
    if (at_end() || *next_ != ':') return false;
    ++next_;
    skip_whitespace();
    return true;
  }

  bool read_object_members(Json& out, std::size_t depth) {
    if (depth >= max_depth_) return false;  // the strict parser reports json_too_deep
    ++next_;
    out = Json(Json::value_t::object);
    auto& members = out.template get_ref<object_t&>();
    if (closes_at_once('}')) return true;
    for (;;) {
      std::string_view name;
      if (!read_member_name(name)) return false;
      auto [member, inserted] = members.emplace(string_t(name.data(), name.size()), Json());
      if (!inserted) return false;  // the strict parser reports duplicate_member
      if (!read_value(member->second, depth + 1)) return false;
      const item_end after = end_of_item('}');
      if (after != item_end::more) return after == item_end::closed;
    }
  }

  bool read_array_items(Json& out, std::size_t depth) {
    if (depth >= max_depth_) return false;
    ++next_;
    out = Json(Json::value_t::array);
    auto& items = out.template get_ref<array_t&>();
    if (closes_at_once(']')) return true;
    // Room for the short lists claims hold (roles, audiences) at once, rather than growing
    // through 1, 2 and 4 items: one allocation instead of three.
    items.reserve(4);
    for (;;) {
      items.emplace_back();
      if (!read_value(items.back(), depth + 1)) return false;
      const item_end after = end_of_item(']');
      if (after != item_end::more) return after == item_end::closed;
    }
  }

  enum class item_end { more, closed, invalid };

  // After a member or an item: whitespace, then ',' (and whitespace) or `close`, consumed.
  item_end end_of_item(char close) noexcept {
    skip_whitespace();
    if (at_end()) return item_end::invalid;
    const char c = *next_++;
    if (c == close) return item_end::closed;
    if (c != ',') return item_end::invalid;
    skip_whitespace();
    return item_end::more;
  }

  // A string with no escape and no control character (RFC 8259 §7), in valid UTF-8; `text` is
  // its content. An escape makes it give up: the strict parser unescapes.
  bool read_string(std::string_view& text) noexcept {
    const char* const start = ++next_;
    bool ascii = true;
    for (; next_ != end_; ++next_) {
      const auto c = static_cast<unsigned char>(*next_);
      if (c == '"') break;
      if (c == '\\' || c < 0x20) return false;
      if (c >= 0x80) ascii = false;
    }
    if (at_end()) return false;
    text = std::string_view(start, static_cast<std::size_t>(next_ - start));
    ++next_;
    return ascii || is_valid_utf8(text);
  }

  template <typename Value>
  bool read_literal(std::string_view word, Json& out, Value value) {
    if (static_cast<std::size_t>(end_ - next_) < word.size() ||
        std::string_view(next_, word.size()) != word) {
      return false;
    }
    next_ += word.size();
    out = value;
    return true;
  }

  // An integer (RFC 8259 §6) with the type nlohmann gives it: unsigned without a minus sign,
  // signed with one. A fraction, an exponent or a value out of range (which nlohmann reads as
  // a double) makes it give up.
  bool read_integer(Json& out) noexcept {
    const char* const start = next_;
    const bool negative = *next_ == '-';
    const char* digits = negative ? next_ + 1 : next_;
    const char* p = digits;
    while (p != end_ && *p >= '0' && *p <= '9') ++p;
    if (p == digits || (*digits == '0' && p - digits > 1)) return false;  // none, or a leading 0
    if (p != end_ && (*p == '.' || *p == 'e' || *p == 'E')) return false;
    next_ = p;
    if (negative) {
      number_integer_t value{};
      if (std::from_chars(start, p, value).ec != std::errc()) return false;
      out = value;
    } else {
      number_unsigned_t value{};
      if (std::from_chars(start, p, value).ec != std::errc()) return false;
      out = value;
    }
    return true;
  }

  // Items of a scanned array are read again with no depth cap: the scan checked it.
  static constexpr std::size_t max_scanned_depth = static_cast<std::size_t>(-1);

  // The scan's counterpart of read_value: the same grammar, recording the value's type and text.
  bool scan_value(std::size_t depth, scanned_value& out) {
    if (at_end()) return false;
    const char* const start = next_;
    Json scalar;  // true, false, null and integers: no allocation
    bool read = false;
    switch (*next_) {
      case '{':
        out.type = Json::value_t::object;
        read = scan_object_members(depth, nullptr);
        break;
      case '[':
        out.type = Json::value_t::array;
        read = scan_array_items(depth);
        break;
      case '"': {
        out.type = Json::value_t::string;
        std::string_view ignored;
        read = read_string(ignored);
        break;
      }
      case 't':
        read = read_literal("true", scalar, true);
        break;
      case 'f':
        read = read_literal("false", scalar, false);
        break;
      case 'n':
        read = read_literal("null", scalar, nullptr);
        break;
      default:
        read = read_integer(scalar);
    }
    if (*start != '{' && *start != '[' && *start != '"') out.type = scalar.type();
    out.text = std::string_view(start, static_cast<std::size_t>(next_ - start));
    return read;
  }

  // Members of an object: into `index` at the top level, names compared for duplicates as the
  // reader's emplace does (the object's names are unescaped, so the text is the name).
  bool scan_object_members(std::size_t depth, object_index* index) {
    if (depth >= max_depth_) return false;
    ++next_;
    if (closes_at_once('}')) return true;
    std::string_view nested_names[max_nested_members];
    const std::size_t most = index ? max_scanned_members : max_nested_members;
    std::size_t count = 0;
    for (;;) {
      std::string_view name;
      if (!read_member_name(name)) return false;
      if (count == most) return false;
      for (std::size_t i = 0; i < count; ++i) {
        if (same_name(index ? index->members[i].name : nested_names[i], name)) return false;
      }
      scanned_value ignored;
      scanned_value& value = index ? index->members[count].value : ignored;
      if (index) {
        index->members[count].name = name;
        index->size = count + 1;
      } else {
        nested_names[count] = name;
      }
      ++count;
      if (!scan_value(depth + 1, value)) return false;
      const item_end after = end_of_item('}');
      if (after != item_end::more) return after == item_end::closed;
    }
  }

  bool scan_array_items(std::size_t depth) {
    if (depth >= max_depth_) return false;
    ++next_;
    if (closes_at_once(']')) return true;
    for (;;) {
      scanned_value ignored;
      if (!scan_value(depth + 1, ignored)) return false;
      const item_end after = end_of_item(']');
      if (after != item_end::more) return after == item_end::closed;
    }
  }

  const char* next_;
  const char* const end_;
  const std::size_t max_depth_;
};

}  // namespace detail
JOT_END_NAMESPACE
