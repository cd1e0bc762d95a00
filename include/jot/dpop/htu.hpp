#pragma once

// The `htu` of a DPoP proof and the URI of the request it came with are compared after RFC 9449
// §4.3's normalisation: syntax-based (RFC 3986 §6.2.2: scheme and host in lower case,
// percent-encoding triplets in upper case and unreserved characters decoded, dot segments
// removed) and scheme-based (§6.2.3: the default port and an empty path are the same as none and
// "/"). The query and the fragment are not part of it (RFC 9449 §4.2). The proof signer writes
// its `htu` in this form too.

#include <cstddef>
#include <string>
#include <string_view>

#include "jot/detail/text.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace dpop {
namespace detail {

inline int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 §2.3.
inline bool is_unreserved(char c) noexcept {
  return jot::detail::is_alpha(c) || jot::detail::is_digit(c) || c == '-' || c == '.' || c == '_' ||
         c == '~';
}

// RFC 3986 §2.2.
inline bool is_sub_delim(char c) noexcept {
  return std::string_view("!$&'()*+,;=").find(c) != std::string_view::npos;
}

// Appends `text` with its percent-encoding normalised (RFC 3986 §6.2.2.1, §6.2.2.2): a triplet
// of an unreserved character becomes the character, any other keeps upper-case hex digits. Every
// other character must satisfy `allowed`; `lower` puts letters in lower case (the host). False
// for a character outside the grammar or a '%' not followed by two hex digits.
inline bool append_normalised(std::string_view text, bool (*allowed)(char) noexcept, bool lower,
                              std::string& out) {
  constexpr char hex[] = "0123456789ABCDEF";
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return false;
      const int high = hex_value(text[i + 1]), low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return false;
      i += 2;
      const char decoded = static_cast<char>(high * 16 + low);
      if (is_unreserved(decoded)) {
        c = decoded;
      } else {
        out += '%';
        out += hex[high];
        out += hex[low];
        continue;
      }
    } else if (!allowed(c)) {
      return false;
    }
    if (lower && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out += c;
  }
  return true;
}

// reg-name and IPv4address (RFC 3986 §3.2.2) outside percent-encoding.
inline bool is_host_char(char c) noexcept { return is_unreserved(c) || is_sub_delim(c); }
// IP-literal between the brackets: IPv6 hex, ':' and '.', or an IPvFuture.
inline bool is_ip_literal_char(char c) noexcept { return is_host_char(c) || c == ':'; }
// path segments and their '/' (RFC 3986 §3.3).
inline bool is_path_char(char c) noexcept {
  return is_unreserved(c) || is_sub_delim(c) || c == ':' || c == '@' || c == '/';
}

// RFC 3986 §5.2.4 remove_dot_segments, on an absolute path.
inline std::string remove_dot_segments(std::string_view input) {
  std::string output;
  while (!input.empty()) {
    if (jot::detail::starts_with(input, "../")) {
      input.remove_prefix(3);
    } else if (jot::detail::starts_with(input, "./")) {
      input.remove_prefix(2);
    } else if (jot::detail::starts_with(input, "/./")) {
      input.remove_prefix(2);
    } else if (input == "/.") {
      input = "/";
    } else if (jot::detail::starts_with(input, "/../") || input == "/..") {
      input = input.size() == 3 ? std::string_view("/") : input.substr(3);
      const std::size_t last = output.rfind('/');
      output.erase(last == std::string::npos ? 0 : last);
    } else if (input == "." || input == "..") {
      input = {};
    } else {
      const std::size_t next = input.find('/', 1);
      const std::string_view segment = input.substr(0, next);
      output.append(segment.data(), segment.size());
      input.remove_prefix(segment.size());
    }
  }
  return output;
}

}  // namespace detail

// The normal form of an http or https URI without its query and fragment: lower-case scheme and
// host, the port only when it is not the scheme's default (80, 443), the path with normalised
// percent-encoding and without dot segments ("/" when empty). errc::invalid_argument for anything
// else: another scheme, no host, a userinfo part (RFC 9110 §4.2.4 forbids one), a port that is
// not a number up to 65535, a character outside RFC 3986's grammar (a space, a non-ASCII byte).
inline result<std::string> normalize_htu(std::string_view uri) {
  JOT_TRY {
    uri = uri.substr(0, uri.find('#'));
    uri = uri.substr(0, uri.find('?'));
    const std::size_t colon = uri.find(':');
    if (colon == std::string_view::npos) return errc::invalid_argument;
    std::string out;
    out.reserve(uri.size() + 1);
    for (const char c : uri.substr(0, colon)) {
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    const bool https = out == "https";
    if (!https && out != "http") return errc::invalid_argument;
    std::string_view rest = uri.substr(colon + 1);
    if (!jot::detail::starts_with(rest, "//")) return errc::invalid_argument;
    rest.remove_prefix(2);
    const std::string_view authority = rest.substr(0, rest.find('/'));
    const std::string_view path = rest.substr(authority.size());
    out += "://";

    // host [":" port]; an IP-literal is bracketed, so only a ':' after it starts the port.
    std::string_view host = authority, port;
    const std::size_t host_end =
        authority.empty() || authority.front() != '[' ? authority.find(':') : authority.find(']');
    if (!authority.empty() && authority.front() == '[') {
      if (host_end == std::string_view::npos) return errc::invalid_argument;
      host = authority.substr(0, host_end + 1);
      const std::string_view after = authority.substr(host_end + 1);
      if (!after.empty() && after.front() != ':') return errc::invalid_argument;
      port = after.substr(after.empty() ? 0 : 1);
      out += '[';
      if (host.size() < 3 || !detail::append_normalised(host.substr(1, host.size() - 2),
                                                        detail::is_ip_literal_char, true, out)) {
        return errc::invalid_argument;
      }
      out += ']';
    } else {
      if (host_end != std::string_view::npos) {
        host = authority.substr(0, host_end);
        port = authority.substr(host_end + 1);
      }
      if (host.empty() || !detail::append_normalised(host, detail::is_host_char, true, out)) {
        return errc::invalid_argument;
      }
    }
    // The port: digits only, leading zeros dropped, the scheme's default left out.
    if (!jot::detail::all_of(port, jot::detail::is_digit)) return errc::invalid_argument;
    while (port.size() > 1 && port.front() == '0') port.remove_prefix(1);
    unsigned long number = 0;
    for (const char digit : port.substr(0, 6))
      number = number * 10 + static_cast<unsigned>(digit - '0');
    if (number > 65535) return errc::invalid_argument;
    if (!port.empty() && port != (https ? "443" : "80")) out.append(":").append(port);

    std::string normalised_path;
    if (!detail::append_normalised(path, detail::is_path_char, false, normalised_path)) {
      return errc::invalid_argument;
    }
    out +=
        normalised_path.empty() ? std::string("/") : detail::remove_dot_segments(normalised_path);
    return out;
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }
}

}  // namespace dpop
JOT_END_NAMESPACE
