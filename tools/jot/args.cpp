#include "args.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

#include "cli.hpp"

namespace jot_cli {

bool arguments::has(std::string_view name) const {
  return std::any_of(options_.begin(), options_.end(),
                     [name](const auto& option) { return option.first == name; });
}

std::optional<std::string> arguments::value(std::string_view name) const {
  for (const auto& [option, value] : options_) {
    if (option == name) return value;
  }
  return std::nullopt;
}

std::vector<std::string> arguments::values(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [option, value] : options_) {
    if (option == name) out.push_back(value);
  }
  return out;
}

std::vector<option_spec> with_verify_claim_options(std::vector<option_spec> own) {
  static const option_spec claim_options[] = {
      {"iss", true, false},     {"aud", true, true},
      {"sub", true, false},     {"typ", true, false},
      {"leeway", true, false},  {"now", true, false},
      {"max-age", true, false}, {"require", true, true},
      {"claim", true, true},    {"allow-missing-exp", false, false},
      {"pretty", false, false}};
  own.insert(own.end(), std::begin(claim_options), std::end(claim_options));
  return own;
}

std::vector<option_spec> with_sign_claim_options(std::vector<option_spec> own) {
  static const option_spec claim_options[] = {
      {"typ", true, false},        {"expires-in", true, false},    {"now", true, false},
      {"claims", true, false},     {"claims-file", true, false},   {"claim", true, true},
      {"no-expiry", false, false}, {"allow-sensitive", true, true}};
  own.insert(own.end(), std::begin(claim_options), std::end(claim_options));
  return own;
}

bool wants_help(const std::vector<std::string>& argv) {
  for (const std::string& arg : argv) {
    if (arg == "--") return false;
    if (arg == "--help" || arg == "-h") return true;
  }
  return false;
}

namespace {

// An option name is shown in a message only when it looks like one: whatever else the user typed
// (a token pasted in the wrong place) is not repeated.
std::string shown_option(std::string_view name) {
  const bool plain =
      !name.empty() && name.size() <= 32 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) ||
               std::isdigit(static_cast<unsigned char>(c)) || c == '-';
      });
  return plain ? "--" + std::string(name) : std::string("an option");
}

}  // namespace

arguments parse_arguments(std::string_view command, const std::vector<std::string>& argv,
                          const std::vector<option_spec>& specs, std::size_t min_positional,
                          std::size_t max_positional) {
  arguments out;
  bool options_ended = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (options_ended || arg == "-" || arg.empty() || arg[0] != '-') {
      out.positional_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    if (arg.size() < 3 || arg[1] != '-') {
      fail_usage(command, "unknown short option; jot takes long options such as --alg");
    }
    const std::size_t equals = arg.find('=');
    const std::string name = arg.substr(2, equals == std::string::npos ? equals : equals - 2);
    const auto spec = std::find_if(specs.begin(), specs.end(),
                                   [&name](const option_spec& s) { return name == s.name; });
    if (spec == specs.end()) fail_usage(command, "unknown option " + shown_option(name));
    if (!spec->repeatable && out.has(name)) {
      fail_usage(command, shown_option(name) + " may be given only once");
    }
    std::string value;
    if (spec->takes_value) {
      if (equals != std::string::npos) {
        value = arg.substr(equals + 1);
      } else if (i + 1 < argv.size()) {
        value = argv[++i];
      } else {
        fail_usage(command, shown_option(name) + " needs a value");
      }
    } else if (equals != std::string::npos) {
      fail_usage(command, shown_option(name) + " takes no value");
    }
    out.options_.emplace_back(name, std::move(value));
  }
  if (out.positional_.size() < min_positional) {
    fail_usage(command, "missing argument");
  }
  if (out.positional_.size() > max_positional) {
    fail_usage(command, "too many arguments");
  }
  return out;
}

std::int64_t parse_integer(std::string_view command, std::string_view option, std::string_view text,
                           std::int64_t min, std::int64_t max) {
  const std::string where = "--" + std::string(option);
  // Digits only (no sign, no spaces, no hex), at most 18 of them so the sum cannot overflow.
  if (text.empty() || text.size() > 18 || !std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      })) {
    fail_usage(command, where + " needs a whole number of seconds");
  }
  std::int64_t value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  if (value < min || value > max) {
    fail_usage(command,
               where + " must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return value;
}

std::chrono::seconds parse_duration(std::string_view command, std::string_view option,
                                    std::string_view text) {
  const std::string where = "--" + std::string(option);
  const std::string wrong = where + " needs a DURATION such as 900, 15m, 1h or 7d";
  std::int64_t unit = 1;
  if (!text.empty() && !std::isdigit(static_cast<unsigned char>(text.back()))) {
    switch (text.back()) {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'd':
        unit = 86400;
        break;
      default:
        fail_usage(command, wrong);
    }
    text.remove_suffix(1);
  }
  // At most 12 digits: 10^12 days in seconds still fits an int64.
  if (text.empty() || text.size() > 12 || !std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      })) {
    fail_usage(command, wrong);
  }
  std::int64_t count = 0;
  for (char c : text) count = count * 10 + (c - '0');
  if (count == 0) fail_usage(command, where + " must be positive");
  if (count * unit > max_duration_seconds)
    fail_usage(command, where + " must be at most 100 years");
  return std::chrono::seconds(count * unit);
}

claim_assignment parse_claim_assignment(std::string_view command, std::string_view assignment) {
  const std::size_t equals = assignment.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    fail_usage(command, "--claim needs NAME=VALUE");
  }
  claim_assignment out;
  out.name = std::string(assignment.substr(0, equals));
  out.text = std::string(assignment.substr(equals + 1));
  // Deep nesting is refused before parsing: printing or comparing such a value recurses.
  if (jot::detail::json_text_nesting(out.text) > jot::default_max_json_depth) {
    fail_usage(command,
               "--claim VALUE nests deeper than " + std::to_string(jot::default_max_json_depth));
  }
  auto parsed = nlohmann::json::parse(out.text, nullptr, /*allow_exceptions=*/false);
  out.value = parsed.is_discarded() ? nlohmann::json(out.text) : std::move(parsed);
  return out;
}

}  // namespace jot_cli
