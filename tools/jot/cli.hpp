#pragma once

// The vocabulary every subcommand of the `jot` tool shares: exit statuses, the one way a command
// fails, and output helpers.
//
// A command returns its exit status or throws cli_failure, which main() turns into exactly one
// line on stderr. Failure lines are assembled only from fixed text, option names, file paths and
// jot's fixed errc messages: never from token bytes, claim values or key material, so a failure
// is safe to paste into a ticket or a log.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

#include <nlohmann/json.hpp>

namespace jot_cli {

enum exit_status : int {
  exit_ok = 0,        // the command did what was asked (verify: the token is valid)
  exit_rejected = 1,  // the token was rejected (audit: there are findings)
  exit_usage = 2,     // bad options, an unreadable file, a key that does not fit or is weak
};

class cli_failure {
 public:
  cli_failure(int status, std::string line) : status_(status), line_(std::move(line)) {}
  int status() const noexcept { return status_; }
  const std::string& line() const noexcept { return line_; }

 private:
  int status_;
  std::string line_;
};

// "error: usage: <text> (see jot <command> --help)", exit 2.
[[noreturn]] void fail_usage(std::string_view command, std::string_view text);

// "error: io: <text>", exit 2: a file that cannot be read or written.
[[noreturn]] void fail_io(std::string_view text);

// "error: <errc>: <where>: <errc message>[; <hint>]", exit 2: jot refused a key or an input the
// user configured (a weak secret, a P-384 key for ES256, a sensitive claim name...).
[[noreturn]] void fail_key(std::error_code code, std::string_view where,
                           std::string_view hint = {});

// "error: <errc>: <errc message>", exit 1: jot rejected the token. Nothing else is added, so a
// script can match the line exactly.
[[noreturn]] void fail_token(std::error_code code);

// Compact JSON. Never throws: jot's strict parser already refused invalid UTF-8, and anything
// else that is not UTF-8 is replaced rather than allowed to abort the program.
std::string json_text(const nlohmann::json& value);

// `text` as a JSON string literal, with every non-ASCII and control character escaped: safe to
// print names that came from a token (claim names in audit findings) on any terminal.
std::string json_quoted(std::string_view text);

// The deepest nesting of arrays and objects in JSON text (strings skipped), found without
// parsing: lets the tool refuse input whose parsing or printing would recurse too deep.
std::size_t json_nesting(std::string_view text);
inline constexpr std::size_t max_value_nesting = 32;  // jot's own default JSON depth

// Time limits of the tool. std::chrono::system_clock counts nanoseconds on libstdc++, so it
// ends in the year 2262: a --now up to 2100 plus a lifetime of up to 100 years, or a date claim up
// to 9e9 seconds (2255), stays inside it, where a larger value would overflow while being
// converted to a time_point.
inline constexpr std::int64_t max_now_seconds = 4102444800;  // 2100-01-01T00:00:00Z
inline constexpr std::int64_t max_duration_seconds = std::int64_t{36500} * 86400;  // 100 years
inline constexpr std::int64_t max_date_seconds = 9000000000;                       // 2255-03-14

// The size cap of decode and audit: far above what a verifier accepts (8 KiB by default), so an
// oversized token can still be looked at, yet bounded.
inline constexpr std::size_t inspection_size_limit = 1024 * 1024;

// Writes `text` and a newline to stdout; fails (exit 2) when stdout cannot be written, so that a
// full disk never looks like success.
void print_line(std::string_view text);
// The same without the newline (help texts end with their own).
void print_text(std::string_view text);

}  // namespace jot_cli
