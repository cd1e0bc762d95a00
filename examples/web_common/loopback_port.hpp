#pragma once

// Where every demo server listens, whatever its HTTP library: 127.0.0.1 only (a demo holds no TLS
// certificate and must not be reachable from the network), on the port given by --port.

#include <charconv>
#include <optional>
#include <string_view>

namespace demo {

inline constexpr const char* loopback_host = "127.0.0.1";

// A TCP port from the command line: 0 (any free port) to 65535.
inline std::optional<int> parse_port(std::string_view text) {
  int port = -1;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (error != std::errc() || end != text.data() + text.size() || port < 0 || port > 65535) {
    return std::nullopt;
  }
  return port;
}

}  // namespace demo
