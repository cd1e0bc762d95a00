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
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
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

// One claim as a builder keeps it: its name and its value, typed where it is a NumericDate, a
// string or a list of strings (index 0 to 2), or any JSON value (index 3).
template <typename Json>
struct claim_entry {
  std::string name;
  std::variant<std::int64_t, std::string, std::vector<std::string>, Json> value;
  // A typed entry whose name and strings need no escape in JSON (RFC 8259 §7), as the builder
  // found when it set the entry (scan()); such entries are written with no check. Their strings
  // are UTF-8: the builder checks.
  bool plain = false;

  // What one pass over strings finds: whether they are UTF-8 (RFC 8259 §8.1), and whether none
  // needs an escape in JSON (no '"', '\\' or control character, RFC 8259 §7).
  struct text_scan {
    bool utf8 = true;
    bool plain = true;
  };
  static text_scan scan(std::string_view text) noexcept {
    bool ascii = true, plain = true;
    for (const char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      ascii &= byte < 0x80;
      plain &= byte >= 0x20 && byte != '"' && byte != '\\';
    }
    return {ascii || is_valid_utf8(text), plain};
  }
  static text_scan scan(const std::vector<std::string>& texts) noexcept {
    text_scan all;
    for (const auto& text : texts) {
      const text_scan one = scan(text);
      all.utf8 &= one.utf8;
      all.plain &= one.plain;
    }
    return all;
  }

  // The integer value, or null when the value is something else.
  const std::int64_t* integer() const noexcept { return std::get_if<std::int64_t>(&value); }

  // The most the compact JSON of the entry, `"name":value`, takes when plain.
  std::size_t plain_size_bound() const noexcept {
    std::size_t size = name.size() + 3 + 2;
    if (const auto* text = std::get_if<std::string>(&value)) {
      size += text->size() + 2;
    } else if (const auto* texts = std::get_if<std::vector<std::string>>(&value)) {
      size += 2;
      for (const auto& t : *texts) size += t.size() + 3;
    } else {
      size += 20;  // the digits of an int64 and its sign
    }
    return size;
  }

  // The value as the Json object's member, exactly what Json(value) makes of the typed value.
  Json to_json() const {
    if (const auto* number = integer()) return Json(*number);
    if (const auto* text = std::get_if<std::string>(&value)) return Json(*text);
    if (const auto* texts = std::get_if<std::vector<std::string>>(&value)) {
      Json list = Json::array();  // what Json(texts) makes, without its converter's templates
      for (const auto& item : *texts) list.push_back(Json(item));
      return list;
    }
    return *std::get_if<Json>(&value);
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
               j > 0 && precedes<typename order::compare>(members[j]->name, members[j - 1]->name);
               --j) {
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

  // Whether the member `a` goes before `b` in a map ordered by Compare. std::less (nlohmann's
  // default) orders std::string by char_traits<char>::compare, bytes as unsigned char; compared
  // here inline, since the names are short and every pair the sort compares would call memcmp.
  template <typename Compare>
  static bool precedes(const std::string& a, const std::string& b) {
    if constexpr (std::is_same_v<Compare, std::less<>> ||
                  std::is_same_v<Compare, std::less<std::string>>) {
      const std::size_t common = std::min(a.size(), b.size());
      for (std::size_t i = 0; i < common; ++i) {
        if (a[i] != b[i])
          return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]);
      }
      return a.size() < b.size();
    } else {
      return Compare{}(a, b);
    }
  }

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
    if (const auto* number = e.integer()) return fast_path::emit_integer(*number, sink);
    if (const auto* text = std::get_if<std::string>(&e.value)) {
      return fast_path::emit_string(*text, sink);
    }
    if (const auto* texts = std::get_if<std::vector<std::string>>(&e.value)) {
      sink.put('[');
      for (std::size_t i = 0; i < texts->size(); ++i) {
        if (i != 0) sink.put(',');
        if (!fast_path::emit_string((*texts)[i], sink)) return false;
      }
      sink.put(']');
      return true;
    }
    return fast_path::emit(*std::get_if<Json>(&e.value), sink);
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
