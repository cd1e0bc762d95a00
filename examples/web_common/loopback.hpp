#pragma once

// What the cpp-httplib demo servers (web_app, microservice) share: they bind 127.0.0.1 only
// (loopback_port.hpp) and print the address they bound, so that a test asking for port 0 learns
// the port the kernel chose.

#include <httplib.h>

#include <iostream>
#include <optional>
#include <string>

#include "loopback_port.hpp"

namespace demo {

// Binds `server` to 127.0.0.1:`port` (0: a free port); returns the origin it serves, e.g.
// "http://127.0.0.1:8080", or nullopt when the port is taken.
inline std::optional<std::string> bind_loopback(httplib::Server& server, int port) {
  if (port == 0) {
    port = server.bind_to_any_port(loopback_host);
    if (port <= 0) return std::nullopt;
  } else if (!server.bind_to_port(loopback_host, port)) {
    return std::nullopt;
  }
  return "http://" + std::string(loopback_host) + ":" + std::to_string(port);
}

// Prints the line tests wait for, then serves until the process is stopped.
inline int serve(httplib::Server& server, const std::string& origin) {
  std::cout << "listening on " << origin << std::endl;  // endl: the test reads it from a pipe
  return server.listen_after_bind() ? 0 : 1;
}

}  // namespace demo
