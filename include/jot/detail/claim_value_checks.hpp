#pragma once

// What the claims builder (claims_builder.hpp) checks in a claim before it takes it, and the claim
// set it shares with the claims it builds: reserved names, the walk over a claim's value (UTF-8,
// finite numbers, depth, sensitive member names), and the copy-on-write claim set.

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jot/detail/claim_set.hpp"
#include "jot/detail/header_checks.hpp"
#include "jot/json.hpp"
#include "jot/result.hpp"
#include "jot/sensitive_claims.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

inline constexpr std::string_view registered_claim_names[] = {"iss", "sub", "aud", "exp",
                                                              "nbf", "iat", "jti"};

inline bool is_reserved_claim_name(std::string_view name) {
  // Each name is compared only with those of its length and first letter: this runs for every
  // custom claim a builder adds.
  const auto in = [name](const auto& list) {
    for (const std::string_view reserved : list) {
      if (reserved.size() == name.size() && reserved.front() == name.front() && reserved == name) {
        return true;
      }
    }
    return false;
  };
  return in(registered_claim_names) || in(header_parameter_names);
}

// What claim() learns from one walk over a value. Sensitive member names are collected rather
// than refused on the spot, so that allow_sensitive_claim() may come before or after claim().
struct claim_value_scan {
  std::optional<errc> error;
  std::vector<std::string> sensitive_names;
};

// Every string and member name UTF-8, every number finite, no deeper than the verifier's
// default_max_json_depth (the payload object is the first level, the claim value the second),
// and the sensitive member names at any depth. An explicit stack: a deep value cannot exhaust
// the call stack, and the depth limit bounds the stack. Each member name is normalised once,
// into one reused buffer.
template <typename Json>
bool is_valid_scalar(const Json& value) {
  if (value.is_string()) {
    return is_valid_utf8(value.template get_ref<const typename Json::string_t&>());
  }
  return !value.is_number_float() ||
         std::isfinite(value.template get<typename Json::number_float_t>());
}

template <typename Json>
claim_value_scan scan_claim_value(const Json& value) {
  claim_value_scan scan;
  if (!value.is_structured()) {  // most claims: no walk, no allocation
    if (!is_valid_scalar(value)) scan.error = errc::invalid_argument;
    return scan;
  }
  std::string normalized;
  std::vector<std::pair<const Json*, std::size_t>> pending{{&value, 2}};
  while (!pending.empty() && !scan.error) {
    const auto [next, depth] = pending.back();
    pending.pop_back();
    if (!next->is_structured()) {
      if (!is_valid_scalar(*next)) scan.error = errc::invalid_argument;
    } else {
      if (depth > default_max_json_depth) {
        scan.error = errc::invalid_argument;
        break;
      }
      if (next->is_object()) {
        for (auto it = next->begin(); it != next->end(); ++it) {
          const auto& name = it.key();
          if (!is_valid_utf8(name)) {
            scan.error = errc::invalid_argument;
            break;
          }
          normalize_claim_name(name, normalized);
          if (classify_normalized_claim_name(normalized) == claim_name_kind::sensitive) {
            scan.sensitive_names.emplace_back(name);
          }
          pending.emplace_back(&it.value(), depth + 1);
        }
      } else {
        for (const auto& child : *next) pending.emplace_back(&child, depth + 1);
      }
    }
  }
  return scan;
}

// The builder's claim set (claim_set.hpp), which build() shares with the claims it returns
// instead of copying it. Claims are immutable, so once the set is shared (by build(), or by a
// copy of the builder) the builder's next change copies it first. The mark is atomic because
// build() is const and may run in several threads at once; changes come only through the
// non-const builder, never at the same time as anything else.
template <typename Json>
class shared_claim_set {
 public:
  shared_claim_set() : set_(std::make_shared<claim_set<Json>>()) {
    // Room for the usual claims, so that adding them does not grow the list.
    set_->entries().reserve(8);
  }
  // No move members: a moved-from builder keeps its (then shared) set rather than none.
  shared_claim_set(const shared_claim_set& other) : set_(other.set_), shared_(true) {
    other.shared_.store(true, std::memory_order_relaxed);
  }
  shared_claim_set& operator=(const shared_claim_set& other) {
    other.shared_.store(true, std::memory_order_relaxed);
    set_ = other.set_;
    shared_.store(true, std::memory_order_relaxed);
    return *this;
  }

  const claim_set<Json>& read() const noexcept { return *set_; }
  std::shared_ptr<const claim_set<Json>> share() const noexcept {
    shared_.store(true, std::memory_order_relaxed);
    return set_;
  }
  std::vector<claim_entry<Json>>& write() {
    if (shared_.load(std::memory_order_relaxed)) {
      set_ = std::make_shared<claim_set<Json>>(std::as_const(*set_));
      shared_.store(false, std::memory_order_relaxed);
    }
    return set_->entries();
  }

 private:
  std::shared_ptr<claim_set<Json>> set_;  // never null
  mutable std::atomic<bool> shared_{false};
};

}  // namespace detail
JOT_END_NAMESPACE
