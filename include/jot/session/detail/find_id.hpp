#pragma once

// How the memory stores (memory_stores.hpp, memory_refresh_family_store.hpp) find an entry by its
// id: in a hash table, whose lookup reads one bucket where a tree reads a node per level (with
// 100 000 sessions, about 17 nodes, most of them cache misses).

#include <cstddef>
#include <string>
#include <string_view>

#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

// The longest id find_id() copies into its thread's buffer rather than into a new string.
inline constexpr std::size_t find_id_buffer = 64;

// Finds `id` in `map`, an unordered_map keyed by std::string, without allocating a key: C++17's
// unordered containers find only their key_type, and a std::string longer than 15 characters
// allocates. An id of up to find_id_buffer characters (jot's are 22) is copied into a buffer of
// the calling thread, allocated once; a longer one, as a new string. The stores that hash their
// ids hold the `jti` and `sid` of tokens an issuer signed (jot's are random), which no user picks
// to fill one bucket; the version store, keyed by subjects that users may pick, keeps a tree.
template <typename Map>
auto find_id(Map& map, std::string_view id) -> decltype(map.begin()) {
  if (id.size() > find_id_buffer) return map.find(std::string(id));
  thread_local std::string key = [] {
    std::string buffer;
    buffer.reserve(find_id_buffer);
    return buffer;
  }();
  key.assign(id.data(), id.size());
  return map.find(key);
}

}  // namespace detail
JOT_END_NAMESPACE
