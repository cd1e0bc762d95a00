#pragma once

// Where a Redis server is and how to talk to it: connection_options, and parse_url for the URL
// form operators write in configuration files:
//
//   redis://[[username]:password@]host[:port][/database]     (port 6379, database 0 by default)
//   unix://[[username]:password@]/path/to/redis.sock[?db=N]
//
// User name and password may be percent-encoded (RFC 3986 §2.1), so they can hold ':', '@' or
// '/'. An IPv6 address goes in brackets: redis://[::1]:6379. There is no rediss:// (TLS):
// Debian's hiredis 0.14 has no TLS support, so a URL asking for it is refused rather than
// silently sent in clear text; run Redis on a private network, a unix socket, or behind a TLS
// tunnel (stunnel, spiped) instead.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jot/config.hpp"
#include "jot/errc.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace redis {

// How to reach one Redis server and log in; parse_url() makes one from a redis:// URL.
struct connection_options {
  // Where the server listens (TCP host and port, or unix_socket) and how long connecting may take.
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string unix_socket;  // when set, host and port are not used
  std::string username;     // an ACL user (Redis 6+); empty: AUTH with the password alone
  std::string password;     // empty: no AUTH
  int database = 0;         // SELECT; a cluster has database 0 only
  std::chrono::milliseconds connect_timeout{1000};
  // How long one command (or one pipeline) may wait for its reply before the store reports
  // store_unavailable. A WAIT for replicas gets its own timeout on top (store_options).
  // One call returns within connect_timeout + command_timeout on one server and within
  // 2 x (connect_timeout + command_timeout) on a Cluster, plus a WAIT's timeout: waiting for a
  // connection, connecting, map reads, redirections and the reply all share that deadline
  // (docs/redis.md, "Timeouts"). Resolving a host name is not bounded: give an address.
  std::chrono::milliseconds command_timeout{1000};
  // Connections kept per server. A caller finding all of them busy waits for one within the
  // deadline of its call.
  std::size_t pool_size = 8;
  // Whether to use a server whose maxmemory-policy is not noeviction. false: every new connection
  // and health_check() reads the policy (INFO memory) and such a server is errc::store_evicts.
  // true skips the check and accepts what eviction costs: revocations and token versions can
  // vanish, so revoked tokens are accepted again and a logged-out user's old tokens work again
  // (docs/redis.md, "Eviction"). A URL never sets it.
  bool allow_evicting_policy = false;
};

namespace detail {

inline int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 §2.1 percent-decoding; false on a malformed escape.
inline bool percent_decode(std::string_view text, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return false;
    const int high = hex_value(text[i + 1]), low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return false;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return true;
}

// A whole decimal number in [min, max]; false otherwise.
inline bool parse_number(std::string_view text, long min, long max, int& out) {
  if (text.empty() || text.size() > 9) return false;
  long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value < min || value > max) return false;
  out = static_cast<int>(value);
  return true;
}

// "[[username]:password@]" at the front of `authority`: removed and decoded into `options`.
inline bool take_credentials(std::string_view& authority, connection_options& options) {
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos) return true;
  const std::string_view credentials = authority.substr(0, at);
  authority.remove_prefix(at + 1);
  const auto colon = credentials.find(':');
  // "user@host" without a password: Redis has no password-less AUTH, so it is a mistake.
  if (colon == std::string_view::npos) return false;
  return percent_decode(credentials.substr(0, colon), options.username) &&
         percent_decode(credentials.substr(colon + 1), options.password);
}

}  // namespace detail

// The options a URL describes (the timeouts, the pool size and allow_evicting_policy keep their
// defaults);
// errc::invalid_argument for anything else, rediss:// included (see the top of this file).
inline result<connection_options> parse_url(std::string_view url) {
  JOT_TRY {
    connection_options options;
    constexpr std::string_view tcp_scheme = "redis://", unix_scheme = "unix://";
    if (url.substr(0, unix_scheme.size()) == unix_scheme) {
      std::string_view rest = url.substr(unix_scheme.size());
      const auto slash = rest.find('/');
      if (slash == std::string_view::npos) return errc::invalid_argument;
      std::string_view authority = rest.substr(0, slash);
      if (!detail::take_credentials(authority, options) || !authority.empty()) {
        return errc::invalid_argument;
      }
      std::string_view path = rest.substr(slash);
      if (const auto query = path.find('?'); query != std::string_view::npos) {
        const std::string_view parameter = path.substr(query + 1);
        path = path.substr(0, query);
        if (parameter.substr(0, 3) != "db=" ||
            !detail::parse_number(parameter.substr(3), 0, 1 << 20, options.database)) {
          return errc::invalid_argument;
        }
      }
      if (path.size() < 2) return errc::invalid_argument;
      options.unix_socket = std::string(path);
      return options;
    }
    if (url.substr(0, tcp_scheme.size()) != tcp_scheme) return errc::invalid_argument;
    std::string_view rest = url.substr(tcp_scheme.size());
    std::string_view authority = rest.substr(0, rest.find('/'));
    std::string_view path =
        authority.size() < rest.size() ? rest.substr(authority.size() + 1) : std::string_view();
    if (!detail::take_credentials(authority, options)) return errc::invalid_argument;
    std::string_view port;
    if (!authority.empty() && authority.front() == '[') {  // an IPv6 literal, RFC 3986 §3.2.2
      const auto close = authority.find(']');
      if (close == std::string_view::npos) return errc::invalid_argument;
      options.host = std::string(authority.substr(1, close - 1));
      const std::string_view after = authority.substr(close + 1);
      if (!after.empty() && after.front() != ':') return errc::invalid_argument;
      if (!after.empty()) port = after.substr(1);
      if (after.size() == 1) return errc::invalid_argument;
    } else {
      const auto colon = authority.find(':');
      options.host = std::string(authority.substr(0, colon));
      if (colon != std::string_view::npos) {
        port = authority.substr(colon + 1);
        if (port.empty()) return errc::invalid_argument;
      }
    }
    if (options.host.empty()) return errc::invalid_argument;
    if (!port.empty() && !detail::parse_number(port, 1, 65535, options.port)) {
      return errc::invalid_argument;
    }
    if (!path.empty() && !detail::parse_number(path, 0, 1 << 20, options.database)) {
      return errc::invalid_argument;
    }
    return options;
  }
  JOT_CATCH_ALL { return jot::detail::errc_of_current_exception(errc::out_of_memory); }
}

// Where a cluster_client finds the cluster and how it talks to its nodes.
struct cluster_options {
  // The first node to ask for the slot map, and the password, timeouts and pool size used for
  // every node (a cluster has database 0 only: another database is invalid_argument).
  connection_options node;
  // More nodes to ask when the first does not answer, as (host, port).
  std::vector<std::pair<std::string, int>> more_seeds;
  // MOVED and ASK redirections followed for one command before it is store_unavailable.
  int max_redirects = 5;
};

// How often the router had to correct itself: for metrics, and for the tests that check that
// MOVED and ASK were really followed.
struct cluster_statistics {
  // MOVED and ASK redirections followed, and slot map reads (CLUSTER SLOTS), since construction.
  std::uint64_t moved = 0;
  std::uint64_t ask = 0;
  std::uint64_t map_reads = 0;
};

}  // namespace redis
JOT_END_NAMESPACE
