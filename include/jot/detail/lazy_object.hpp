#pragma once

// A verified token's header or claim set, read without making Json values. The verifier scans
// the decoded JSON with the fast path's grammar (json_fast_path.hpp: no escape, no fraction, at
// most 16 members, 8 in a nested object), which records where each top-level member's
// value is; the checks and the typed accessors read members there. A member's Json value is made
// on its first find(), the whole object on the first json(), each once, safely from several
// threads (claims are immutable and shared between threads). A text the scan does not take is
// parsed as before (parse_json_object) and kept as its Json object; the verdict is the same
// either way, since the scan accepts exactly the texts the fast path reads (fuzz_json checks it).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>

#include "jot/detail/json_fast_path.hpp"
#include "jot/json.hpp"
#include "jot/numeric_date.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

// Destroys the members and items of `value` from the leaves up, leaving it an empty container.
// nlohmann's destructor first moves the children of a non-empty container to a vector on the
// heap (so that a deep value cannot exhaust the call stack): an allocation per container, to
// free it. Claims and headers are depth-capped when parsed or built, so this recursion is
// bounded; anything deeper than `depth` is left to nlohmann's destructor.
template <typename Json>
void dismantle(Json& value, std::size_t depth = default_max_json_depth) noexcept {
  if (depth == 0) return;
  if (value.is_object()) {
    auto& members = value.template get_ref<typename Json::object_t&>();
    for (auto& member : members) dismantle(member.second, depth - 1);
    members.clear();
  } else if (value.is_array()) {
    auto& items = value.template get_ref<typename Json::array_t&>();
    for (auto& item : items) dismantle(item, depth - 1);
    items.clear();
  }
}

// One member (or array item) of either form, read in place: a Json value, or a scanned text.
template <typename Json>
class member_ref {
  using fast_path = json_fast_path<Json>;

 public:
  member_ref() = default;
  explicit member_ref(const Json* json) noexcept : json_(json) {}
  explicit member_ref(const typename fast_path::scanned_value* scanned) noexcept
      : scanned_(scanned) {}

  // Whether the member is present.
  explicit operator bool() const noexcept { return json_ || scanned_; }

  // discarded when absent.
  typename Json::value_t type() const noexcept {
    if (json_) return json_->type();
    return scanned_ ? scanned_->type : Json::value_t::discarded;
  }
  bool is_string() const noexcept { return type() == Json::value_t::string; }
  bool is_array() const noexcept { return type() == Json::value_t::array; }
  bool is_boolean() const noexcept { return type() == Json::value_t::boolean; }

  // The text of a string member.
  std::string_view string() const noexcept {
    if (scanned_) return fast_path::scanned_string(*scanned_);
    return json_->template get_ref<const typename Json::string_t&>();
  }
  // The value of a boolean member.
  bool boolean() const noexcept {
    return json_ ? json_->template get<bool>() : scanned_->text == "true";
  }
  // The NumericDate (numeric_date.hpp) of the member, or nullopt when it is none.
  std::optional<std::int64_t> date(rounding direction) const noexcept {
    if (json_) return numeric_date_seconds(*json_, direction);
    return numeric_date_seconds(fast_path::scanned_scalar(*scanned_), direction);
  }
  // A member that is neither a string nor a container, as its Json value (no allocation); only
  // for such a member.
  Json scalar() const noexcept { return json_ ? *json_ : fast_path::scanned_scalar(*scanned_); }

  // Calls f(member_ref) for each item of an array member, in order.
  template <typename Function>
  void for_each_item(Function&& f) const {
    if (json_) {
      for (const Json& item : *json_) f(member_ref(&item));
    } else {
      fast_path::for_each_scanned_item(
          *scanned_, [&f](const typename fast_path::scanned_value& item) { f(member_ref(&item)); });
    }
  }

  // A string, or an array of strings (`aud`, RFC 7519 §4.1.3).
  bool is_string_or_string_array() const {
    if (is_string()) return true;
    if (!is_array()) return false;
    bool strings = true;
    for_each_item([&strings](const member_ref& item) { strings = strings && item.is_string(); });
    return strings;
  }

 private:
  const Json* json_ = nullptr;
  const typename fast_path::scanned_value* scanned_ = nullptr;
};

// A Json object read through lazy_object's interface, for readers that parse eagerly.
template <typename Json>
class json_object_ref {
 public:
  using json_type = Json;
  explicit json_object_ref(const Json& object) noexcept : object_(object) {}

  member_ref<Json> member(std::string_view name) const noexcept {
    const auto it = object_.find(name);
    return it == object_.end() ? member_ref<Json>() : member_ref<Json>(&*it);
  }
  bool contains(std::string_view name) const noexcept { return static_cast<bool>(member(name)); }

 private:
  const Json& object_;
};

// A header or claim set: scanned text, or a parsed Json object (see the top of this file).
template <typename Json>
class lazy_object {
  using fast_path = json_fast_path<Json>;

 public:
  using json_type = Json;
  lazy_object() = default;
  lazy_object(const lazy_object&) = delete;
  lazy_object& operator=(const lazy_object&) = delete;
  ~lazy_object() {
    release(whole_);
    for (std::size_t i = 0; i < fast_path::max_scanned_members; ++i) {
      if (made_[i].load(std::memory_order_acquire) != made) continue;
      Json& member = member_at(i);
      dismantle(member);
      member.~Json();
    }
    dismantle(parsed_);
  }

  // Takes `text` (which must outlive this object) as the object, and returns true, if the scan
  // takes it; otherwise returns false, and the caller parses it and calls take_parsed().
  bool scan(std::string_view text, std::size_t max_depth) {
    if (!fast_path::scan_object(text, max_depth, index_)) return false;
    text_ = text;
    max_depth_ = max_depth;
    scanned_ = true;
    return true;
  }
  void take_parsed(Json parsed) noexcept {
    parsed_ = std::move(parsed);
    scanned_ = false;
  }

  // The member `name` read in place; empty when absent.
  member_ref<Json> member(std::string_view name) const noexcept {
    if (!scanned_) return json_object_ref<Json>(parsed_).member(name);
    const auto* found = index_.find(name);
    return found ? member_ref<Json>(&found->value) : member_ref<Json>();
  }
  bool contains(std::string_view name) const noexcept { return static_cast<bool>(member(name)); }

  // The member `name` as a Json value, made on the first call; nullptr when absent
  // (std::bad_alloc may escape it).
  const Json* find(std::string_view name) const {
    if (!scanned_) {
      const auto it = parsed_.find(name);
      return it == parsed_.end() ? nullptr : &*it;
    }
    const auto* found = index_.find(name);
    if (!found) return nullptr;
    const auto slot = static_cast<std::size_t>(found - index_.members);
    return &make_member(slot, found->value);
  }

  // The whole object as a Json value, made on the first call (std::bad_alloc may escape it).
  const Json& json() const {
    if (!scanned_) return parsed_;
    return make_once(whole_, [&] { return fast_path::read_object(text_, max_depth_); });
  }

 private:
  // The value make() returns, kept in `slot` by the first of concurrent callers. make() cannot
  // fail on a scanned text (the scan accepted exactly what the reader reads); an empty object
  // stands in should it ever.
  template <typename Make>
  static const Json& make_once(std::atomic<const Json*>& slot, Make&& make) {
    if (const Json* made = slot.load(std::memory_order_acquire)) return *made;
    auto value = make();
    auto owned = std::make_unique<const Json>(value ? std::move(*value) : Json::object());
    const Json* expected = nullptr;
    if (slot.compare_exchange_strong(expected, owned.get(), std::memory_order_acq_rel,
                                     std::memory_order_acquire)) {
      return *owned.release();
    }
    return *expected;  // another thread made it first
  }

  // A member's value, made in its slot (no allocation of its own) by the first caller while any
  // other waits: made_[slot] goes from absent to making to made.
  const Json& make_member(std::size_t slot, const typename fast_path::scanned_value& value) const {
    auto& state = made_[slot];
    for (;;) {
      auto seen = state.load(std::memory_order_acquire);
      if (seen == made) return member_at(slot);
      if (seen == absent && state.compare_exchange_weak(seen, making, std::memory_order_acquire)) {
        break;
      }
      if (seen == making) std::this_thread::yield();
    }
    JOT_TRY {
      auto value_made = fast_path::read_scanned(value, /*depth=*/1, max_depth_);
      new (members_[slot].bytes) Json(value_made ? std::move(*value_made) : Json());
    }
    JOT_CATCH_ALL {
      state.store(absent, std::memory_order_release);
#ifndef JOT_NO_EXCEPTIONS
      throw;  // std::bad_alloc, to the caller (find() says it may escape)
#endif
    }
    state.store(made, std::memory_order_release);
    return member_at(slot);
  }

  static void release(std::atomic<const Json*>& slot) noexcept {
    if (const Json* made = slot.load(std::memory_order_acquire)) {
      auto* owned = const_cast<Json*>(made);  // made by make_once, owned here
      dismantle(*owned);
      delete owned;
    }
  }

  typename fast_path::object_index index_;
  std::string_view text_;
  std::size_t max_depth_ = default_max_json_depth;
  bool scanned_ = false;
  Json parsed_;
  mutable std::atomic<const Json*> whole_{nullptr};
  enum member_state : unsigned char { absent, making, made };
  mutable std::atomic<member_state> made_[fast_path::max_scanned_members] = {};
  // Raw storage, so that the slots never made cost nothing to make or destroy.
  struct member_storage {
    alignas(Json) unsigned char bytes[sizeof(Json)];
  };
  mutable member_storage members_[fast_path::max_scanned_members];
  Json& member_at(std::size_t slot) const noexcept {
    return *std::launder(reinterpret_cast<Json*>(members_[slot].bytes));
  }
};

}  // namespace detail
JOT_END_NAMESPACE
