#pragma once

// The purge that the bounded memory stores (memory_stores.hpp, memory_refresh_family_store.hpp)
// run when full.

#include <algorithm>

#include "jot/claims.hpp"
#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

// Erases the entries of `entries` that have ended at `now` (`end_of(entry) <= now`).
// `earliest_end` is no later than any entry's end: while `now` is before it, nothing can have
// ended and the entries are not even read, so a full store that stays full costs one pass per
// end time rather than one per refused write. The caller lowers it for each entry it adds.
template <typename Map, typename EndOf>
void purge_ended(Map& entries, sys_seconds now, sys_seconds& earliest_end, EndOf end_of) {
  if (now < earliest_end) return;
  earliest_end = sys_seconds::max();
  for (auto it = entries.begin(); it != entries.end();) {
    const sys_seconds end = end_of(it->second);
    if (end <= now) {
      it = entries.erase(it);
    } else {
      earliest_end = std::min(earliest_end, end);
      ++it;
    }
  }
}

}  // namespace detail
JOT_END_NAMESPACE
