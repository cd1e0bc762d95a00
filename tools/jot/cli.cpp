#include "cli.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include <jot/error.hpp>

namespace jot_cli {

namespace {
std::string errc_prefix(std::error_code code) {
  return std::string("error: ") + jot::errc_name(code) + ": ";
}
}  // namespace

void fail_usage(std::string_view command, std::string_view text) {
  std::string line = "error: usage: ";
  line.append(text);
  line += command.empty() ? std::string(" (see jot --help)")
                          : " (see jot " + std::string(command) + " --help)";
  throw cli_failure(exit_usage, std::move(line));
}

void fail_io(std::string_view text) {
  throw cli_failure(exit_usage, "error: io: " + std::string(text));
}

void fail_key(std::error_code code, std::string_view where, std::string_view hint) {
  std::string line = errc_prefix(code);
  line.append(where);
  line += ": ";
  line += code.message();  // jot's fixed sentence for the code
  if (!hint.empty()) {
    line += "; ";
    line.append(hint);
  }
  throw cli_failure(exit_usage, std::move(line));
}

void fail_token(std::error_code code, std::string_view claim) {
  std::string line = errc_prefix(code) + code.message();
  if (!claim.empty()) line.append(": ").append(claim);  // the claim's name, never its value
  throw cli_failure(exit_rejected, std::move(line));
}

std::string json_text(const nlohmann::json& value, bool pretty) {
  return value.dump(pretty ? 2 : -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string json_quoted(std::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', /*ensure_ascii=*/true, nlohmann::json::error_handler_t::replace);
}

std::string size_text(std::size_t bytes) {
  constexpr std::size_t kib = 1024, mib = 1024 * 1024;
  if (bytes != 0 && bytes % mib == 0) return std::to_string(bytes / mib) + " MiB";
  if (bytes != 0 && bytes % kib == 0) return std::to_string(bytes / kib) + " KiB";
  return std::to_string(bytes) + " bytes";
}

void append_words(std::string& text, std::string_view words, std::size_t indent,
                  std::size_t width) {
  const std::size_t line_start = text.rfind('\n');
  std::size_t column = line_start == std::string::npos ? text.size() : text.size() - line_start - 1;
  bool first = true;
  while (!words.empty()) {
    const std::size_t end = std::min(words.find(' '), words.size());
    const std::string_view word = words.substr(0, end);
    if (!first && column + 1 + word.size() > width) {
      text += "\n" + std::string(indent, ' ');
      column = indent;
    } else if (!first) {
      text += ' ';
      ++column;
    }
    text.append(word);
    column += word.size();
    first = false;
    words.remove_prefix(std::min(end + 1, words.size()));
  }
}

void print_text(std::string_view text) {
  const bool ok =
      std::fwrite(text.data(), 1, text.size(), stdout) == text.size() && std::fflush(stdout) == 0;
  if (!ok) fail_io("cannot write to standard output");
}

void print_line(std::string_view text) {
  print_text(text);
  print_text("\n");
}

}  // namespace jot_cli
