#pragma once

// Exact equality of two JSON values, for tests that compare two parsers: nlohmann's operator==
// calls 1 (unsigned) and 1 (signed) and 1.0 equal, and ignores member order; this does not.

#include <nlohmann/json.hpp>

namespace jot_test {

template <typename Json>
bool same_json(const Json& a, const Json& b) {
  if (a.type() != b.type() || a.size() != b.size()) return false;
  if (a.is_object()) {
    for (auto x = a.begin(), y = b.begin(); x != a.end(); ++x, ++y) {
      if (x.key() != y.key() || !same_json(x.value(), y.value())) return false;
    }
    return true;
  }
  if (a.is_array()) {
    for (auto x = a.begin(), y = b.begin(); x != a.end(); ++x, ++y) {
      if (!same_json(*x, *y)) return false;
    }
    return true;
  }
  return a == b;
}

}  // namespace jot_test
