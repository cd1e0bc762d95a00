#pragma once

// The claim set behind basic_claims (claims.hpp), in one of two forms:
//  - a builder's (claims_builder.hpp): a short list of entries in the order the claims were set,
//    the common ones typed (a NumericDate, a string, a list of strings) rather than JSON values.
//    The encoder writes the list straight to the compact JSON it signs, byte for byte what
//    nlohmann's dump() writes of the same claims as a Json object (fuzz_claims checks it on every
//    input), so that signing builds no JSON document; the Json object is made when something
//    first reads the claims as JSON, once, safely from several threads;
//  - a verifier's: the decoded token (header, payload and signature), whose header and payload
//    are read in place or, when the scan does not take them, parsed (lazy_object.hpp). The
//    verified token's header lives here too, so that one allocation holds both.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "jot/detail/json_fast_path.hpp"
#include "jot/detail/lazy_object.hpp"
#include "jot/json.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

// The claim values the builder keeps typed: std::string or a string literal (a char array; not
// a pointer, which may be null, and Json(nullptr) is JSON null), and a std::vector<std::string>.
// claim_text_t is the type an entry keeps such a value as.
template <typename T>
inline constexpr bool is_claim_text_v =
    std::is_same_v<std::decay_t<T>, std::string> ||
    std::is_same_v<std::decay_t<T>, std::vector<std::string>> ||
    (std::is_array_v<std::remove_reference_t<T>> &&
     std::is_same_v<std::remove_cv_t<std::remove_extent_t<std::remove_reference_t<T>>>, char>);
template <typename T>
using claim_text_t = std::conditional_t<std::is_same_v<std::decay_t<T>, std::vector<std::string>>,
                                        std::vector<std::string>, std::string>;

// One claim as a builder keeps it.
template <typename Json>
struct claim_entry {
  enum class kind : unsigned char { integer, text, texts, json };

  std::string name;
  kind type = kind::json;
  std::int64_t integer = 0;        // kind::integer
  std::string text;                // kind::text
  std::vector<std::string> texts;  // kind::texts
  Json json;                       // kind::json
  // A typed entry whose name and strings need no escape in JSON (RFC 8259 §7), found when it was
  // set; such entries are written with no check. Their strings are UTF-8: the builder checks.
  bool plain = false;

  void find_if_plain() noexcept {
    const auto unescaped = [](std::string_view s) {
      return std::none_of(s.begin(), s.end(), [](char c) {
        return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
      });
    };
    plain = type != kind::json && unescaped(name) && unescaped(text) &&
            std::all_of(texts.begin(), texts.end(), unescaped);
  }

  // The most the compact JSON of the entry, `"name":value`, takes when plain.
  std::size_t plain_size_bound() const noexcept {
    std::size_t size = name.size() + 3 + text.size() + 2;
    if (type == kind::integer) size += 20;  // the digits of an int64 and its sign
    for (const auto& t : texts) size += t.size() + 3;
    return size + 2;
  }

  void assign(std::int64_t value) noexcept {
    type = kind::integer;
    integer = value;
  }
  void assign(std::string value) noexcept {
    type = kind::text;
    text = std::move(value);
  }
  void assign(std::vector<std::string> value) noexcept {
    type = kind::texts;
    texts = std::move(value);
  }
  static bool is_utf8(const std::string& value) noexcept { return is_valid_utf8(value); }
  static bool is_utf8(const std::vector<std::string>& values) noexcept {
    return std::all_of(values.begin(), values.end(),
                       [](const std::string& value) { return is_valid_utf8(value); });
  }

  // The value as the Json object's member, exactly what Json(value) makes of the typed value.
  Json to_json() const {
    switch (type) {
      case kind::integer:
        return Json(integer);
      case kind::text:
        return Json(text);
      case kind::texts: {
        Json list = Json::array();  // what Json(texts) makes, without its converter's templates
        for (const auto& item : texts) list.push_back(Json(item));
        return list;
      }
      default:
        return json;
    }
  }
};

// The order in which a Json object type keeps its members: sorted by the map's comparator
// (nlohmann::json's std::map), in insertion order (nlohmann::ordered_json's ordered_map), or
// unknown, for which the list is never written directly.
template <typename Map>
struct member_order {
  static constexpr bool known = false;
};
template <typename Value, typename Compare, typename Allocator>
struct member_order<std::map<std::string, Value, Compare, Allocator>> {
  static constexpr bool known = true;
  static constexpr bool sorted = true;
  using compare = Compare;
};
template <typename Value, typename IgnoredLess, typename Allocator>
struct member_order<nlohmann::ordered_map<std::string, Value, IgnoredLess, Allocator>> {
  static constexpr bool known = true;
  static constexpr bool sorted = false;
  using compare = void;
};

template <typename Json>
class claim_set {
 public:
  using entry = claim_entry<Json>;

  // An empty builder's list.
  claim_set() = default;
  // A verifier's, empty: it decodes into bytes() and sets up header() and payload() in place.
  struct verified_form {};
  explicit claim_set(verified_form) : verified_(true) {}
  // A verifier's claims: the object it parsed (a decrypted claim set, jwe/decrypter.hpp).
  explicit claim_set(Json parsed) : verified_(true) { payload_.take_parsed(std::move(parsed)); }
  // A builder's copy before it changes a shared list: the entries alone.
  claim_set(const claim_set& other) : entries_(other.entries_) {}
  claim_set& operator=(const claim_set&) = delete;
  ~claim_set() {
    if (const Json* made = json_.load(std::memory_order_acquire)) {
      auto* owned = const_cast<Json*>(made);  // made by json(), owned here
      dismantle(*owned);
      delete owned;
    }
  }

  // A verifier's decoded token, header and payload; changed only before the set is shared.
  std::string& bytes() noexcept { return bytes_; }
  lazy_object<Json>& header() noexcept { return header_; }
  const lazy_object<Json>& header() const noexcept { return header_; }
  lazy_object<Json>& payload() noexcept { return payload_; }
  const lazy_object<Json>& payload() const noexcept { return payload_; }

  // A claim read in place (a builder's claims make their Json object first).
  member_ref<Json> member(std::string_view name) const {
    if (verified_) return payload_.member(name);
    const Json& object = json();
    const auto it = object.find(name);
    return it == object.end() ? member_ref<Json>() : member_ref<Json>(&*it);
  }
  // A claim as a Json value, made on the first call for a verifier's; nullptr when absent.
  const Json* find_json(std::string_view name) const {
    if (verified_) return payload_.find(name);
    const Json& object = json();
    const auto it = object.find(name);
    return it == object.end() ? nullptr : &*it;
  }

  // The builder's list; changed only before the set is shared.
  std::vector<entry>& entries() noexcept { return entries_; }
  const std::vector<entry>& entries() const noexcept { return entries_; }
  const entry* find(std::string_view name) const noexcept {
    const auto it = std::find_if(entries_.begin(), entries_.end(),
                                 [name](const entry& e) { return e.name == name; });
    return it == entries_.end() ? nullptr : &*it;
  }

  // The claims as a Json object, made on the first call (std::bad_alloc may escape it).
  const Json& json() const {
    if (verified_) return payload_.json();
    if (const Json* made = json_.load(std::memory_order_acquire)) return *made;
    auto owned = std::make_unique<const Json>(make_json());
    const Json* expected = nullptr;
    if (json_.compare_exchange_strong(expected, owned.get(), std::memory_order_acq_rel,
                                      std::memory_order_acquire)) {
      return *owned.release();
    }
    return *expected;  // another thread made it first
  }

  // Appends the compact JSON of the claims to `out` and returns true, or returns false with
  // `out` unchanged where only nlohmann's dump() of json() can write it (the fast path's cases,
  // json_fast_path.hpp, and more than max_written entries or an unknown member order).
  bool write(std::string& out) const {
    if (verified_) return json_fast_path<Json>::write(payload_.json(), out);
    using order = member_order<typename Json::object_t>;
    if constexpr (!order::known) {
      return false;
    } else {
      const entry* members[max_written];
      const std::size_t count = entries_.size();
      if (count > max_written) return false;
      for (std::size_t i = 0; i < count; ++i) members[i] = &entries_[i];
      if constexpr (order::sorted) {
        // An insertion sort: a handful of entries.
        for (std::size_t i = 1; i < count; ++i) {
          for (std::size_t j = i;
               j > 0 && typename order::compare{}(members[j]->name, members[j - 1]->name); --j) {
            std::swap(members[j], members[j - 1]);
          }
        }
      }
      // Plain entries (the usual claims) are written in one pass into room enough for them;
      // otherwise a first pass checks and measures, as the fast path does.
      std::size_t bound = 2;
      for (std::size_t i = 0; i < count && bound != 0; ++i) {
        bound = members[i]->plain ? bound + members[i]->plain_size_bound() + 1 : 0;
      }
      const std::size_t start = out.size();
      if (bound != 0) {
        out.resize(start + bound);
        typename fast_path::char_writer writer{out.data() + start};
        emit(members, count, writer);
        out.resize(static_cast<std::size_t>(writer.next - out.data()));
        return true;
      }
      typename fast_path::size_counter counter;
      if (!emit(members, count, counter)) return false;
      out.resize(start + counter.size);
      typename fast_path::char_writer writer{out.data() + start};
      emit(members, count, writer);
      return true;
    }
  }

 private:
  static constexpr std::size_t max_written = 32;
  using fast_path = json_fast_path<Json>;

  Json make_json() const {
    Json object = Json::object();
    for (const entry& e : entries_) object[e.name] = e.to_json();
    return object;
  }

  template <typename Sink>
  static bool emit(const entry* const* members, std::size_t count, Sink& sink) {
    sink.put('{');
    for (std::size_t i = 0; i < count; ++i) {
      const entry& e = *members[i];
      if (i != 0) sink.put(',');
      if (!fast_path::emit_string(e.name, sink)) return false;
      sink.put(':');
      if (!emit_value(e, sink)) return false;
    }
    sink.put('}');
    return true;
  }

  template <typename Sink>
  static bool emit_value(const entry& e, Sink& sink) {
    switch (e.type) {
      case entry::kind::integer:
        return fast_path::emit_integer(e.integer, sink);
      case entry::kind::text:
        return fast_path::emit_string(e.text, sink);
      case entry::kind::texts:
        sink.put('[');
        for (std::size_t i = 0; i < e.texts.size(); ++i) {
          if (i != 0) sink.put(',');
          if (!fast_path::emit_string(e.texts[i], sink)) return false;
        }
        sink.put(']');
        return true;
      default:
        return fast_path::emit(e.json, sink);
    }
  }

  std::vector<entry> entries_;
  // A builder's Json object: null until json() makes it.
  mutable std::atomic<const Json*> json_{nullptr};
  bool verified_ = false;
  std::string bytes_;
  lazy_object<Json> header_;
  lazy_object<Json> payload_;
};

}  // namespace detail
JOT_END_NAMESPACE
