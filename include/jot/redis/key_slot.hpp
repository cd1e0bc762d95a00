#pragma once

// key_slot(): the Redis Cluster hash slot of a key, as the Redis Cluster specification defines it
// ("Key distribution model"): CRC16(key) mod 16384, where only the hash tag is hashed when the
// key has one (the text between the first '{' and the first '}' after it, if not empty).
// cluster_client routes by it; the stores put a subject's or a family's keys in one slot with it.

#include <cstdint>
#include <string_view>

#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE
namespace redis {

// The number of hash slots of a Redis Cluster; key_slot() maps a key to one.
inline constexpr int cluster_slots = 16384;

namespace detail {

// CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, no reflection, the variant the
// Redis Cluster specification names ("Key distribution model"; CRC16("123456789") = 0x31C3).
constexpr std::uint16_t crc16(std::string_view data) noexcept {
  std::uint16_t crc = 0;
  for (char c : data) {
    crc = static_cast<std::uint16_t>(crc ^ (static_cast<std::uint8_t>(c) << 8));
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) ? static_cast<std::uint16_t>((crc << 1) ^ 0x1021)
                           : static_cast<std::uint16_t>(crc << 1);
    }
  }
  return crc;
}

}  // namespace detail

// The hash slot of `key`, hash tags included.
constexpr int key_slot(std::string_view key) noexcept {
  const auto open = key.find('{');
  if (open != std::string_view::npos) {
    const auto close = key.find('}', open + 1);
    if (close != std::string_view::npos && close != open + 1) {
      key = key.substr(open + 1, close - open - 1);
    }
  }
  return detail::crc16(key) % cluster_slots;
}

}  // namespace redis
JOT_END_NAMESPACE
