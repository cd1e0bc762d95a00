#pragma once

// Command-line parsing for the subcommands: GNU-style long options (`--name VALUE` or
// `--name=VALUE`), `--` to end the options, `-` as a positional argument (standard input), and
// `-h` / `--help` anywhere before `--`. Every mistake is a usage failure (exit 2).
//
// Values are never echoed in messages: a misplaced token or secret on the command line must not
// end up in a terminal scroll-back or a CI log a second time.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace jot_cli {

struct option_spec {
  const char* name;  // without the leading "--"
  bool takes_value;
  bool repeatable;
};

class arguments {
 public:
  bool has(std::string_view name) const;
  // The value of a non-repeatable option, or nullopt when it was not given.
  std::optional<std::string> value(std::string_view name) const;
  // Every value of a repeatable option, in command-line order.
  std::vector<std::string> values(std::string_view name) const;
  // Every option as (name, value), in command-line order; flags have an empty value.
  const std::vector<std::pair<std::string, std::string>>& options() const { return options_; }
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  friend arguments parse_arguments(std::string_view, const std::vector<std::string>&,
                                   const std::vector<option_spec>&, std::size_t, std::size_t);
  std::vector<std::pair<std::string, std::string>> options_;
  std::vector<std::string> positional_;
};

// `own` followed by the options of jot verify's claim checks (--iss, --aud, ..., --pretty), which
// jot decrypt takes too for the token inside.
std::vector<option_spec> with_verify_claim_options(std::vector<option_spec> own);

// `own` followed by the options jot sign makes the claims from (--typ, --claims, --claim, ...),
// which jot encrypt takes too for the token it signs first.
std::vector<option_spec> with_sign_claim_options(std::vector<option_spec> own);

// True when `argv` asks for help (`-h` or `--help` before any `--`).
bool wants_help(const std::vector<std::string>& argv);

// Parses the arguments after the subcommand name against `specs`.
arguments parse_arguments(std::string_view command, const std::vector<std::string>& argv,
                          const std::vector<option_spec>& specs, std::size_t min_positional,
                          std::size_t max_positional);

// A whole number of seconds in [min, max] given to `option`, e.g. --leeway 30.
std::int64_t parse_integer(std::string_view command, std::string_view option, std::string_view text,
                           std::int64_t min, std::int64_t max);

// DURATION: seconds ("900") or a number with one unit: s, m, h, d ("15m", "1h", "7d"). Positive.
std::chrono::seconds parse_duration(std::string_view command, std::string_view option,
                                    std::string_view text);

// --claim NAME=VALUE. VALUE is JSON when it parses as JSON (true, 42, "x", ["a","b"]), else the
// text itself as a string, so `--claim role=admin` needs no shell-quoted JSON quotes.
struct claim_assignment {
  std::string name;
  std::string text;      // VALUE as written
  nlohmann::json value;  // VALUE as JSON, or `text` as a JSON string
};
claim_assignment parse_claim_assignment(std::string_view command, std::string_view assignment);

}  // namespace jot_cli
