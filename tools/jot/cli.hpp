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

#include <jot/validator.hpp>
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

// "error: <errc>: <errc message>", exit 1: jot rejected the token; when the rejection is about
// one claim, ": <claim name>" follows (never its value). Nothing else is added, so a script can
// match the line exactly.
[[noreturn]] void fail_token(std::error_code code, std::string_view claim = {});

// JSON as one compact line, or with `pretty` indented by 2 (--pretty). Never throws: jot's strict
// parser already refused invalid UTF-8, and anything else that is not UTF-8 is replaced rather
// than allowed to abort the program.
std::string json_text(const nlohmann::json& value, bool pretty = false);

// `text` as a JSON string literal, with every non-ASCII and control character escaped: safe to
// print names that came from a token (claim names in audit findings) on any terminal.
std::string json_quoted(std::string_view text);

// Time limits of the tool itself. std::chrono::system_clock counts nanoseconds on libstdc++, so
// it ends in the year 2262; --now becomes a system_clock time (the claims builder's issue time,
// the validator's clock), so it stops at 2100, and --expires-in at 100 years. Dates written as
// claims and revocation ends are whole seconds (jot::sys_seconds) and reach jot::max_numeric_date.
inline constexpr std::int64_t max_now_seconds = 4102444800;  // 2100-01-01T00:00:00Z
inline constexpr std::int64_t max_duration_seconds = std::int64_t{36500} * 86400;  // 100 years

// The size cap of decode and audit: the largest token any jot verifier can be configured to
// accept (validator builder's allow_token_size), so every token a verifier could be asked to
// take can still be looked at, yet the input is bounded.
inline constexpr std::size_t inspection_size_limit = jot::validator::builder::max_token_size_limit;

// "8 KiB", "16 MiB" or "100 bytes": a size cap for help texts and messages.
std::string size_text(std::size_t bytes);

// Appends `words` (separated by single spaces) to `text`, continuing its last line; a word that
// would pass column `width` starts a new line indented by `indent` spaces. For the lists that
// help texts generate from the library's tables.
void append_words(std::string& text, std::string_view words, std::size_t indent,
                  std::size_t width = 97);

// Writes `text` and a newline to stdout; fails (exit 2) when stdout cannot be written, so that a
// full disk never looks like success.
void print_line(std::string_view text);
// The same without the newline (help texts end with their own).
void print_text(std::string_view text);

}  // namespace jot_cli
