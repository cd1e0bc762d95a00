#pragma once

// Shared fixtures of the CLI tests: running the built `jot`, a private scratch folder, keys made
// once by `jot keygen` and reused (RSA generation is the slow part of the suite), hand-made
// tokens, and the exact lines the tool must print.

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <jot/jot.hpp>
#include <nlohmann/json.hpp>

#include "catch.hpp"
#include "child_process.hpp"
#include "json_edit.hpp"
#include "raw_token.hpp"

namespace jot_cli_test {

using json = nlohmann::json;
using jot_test::process_result;
using jot_test::run_program;

// The fixed clock of most tests (2023-11-14T22:13:20Z) and offsets from it.
inline constexpr std::int64_t now = 1700000000;
inline std::string at(std::int64_t seconds) { return std::to_string(seconds); }

inline process_result run_jot(std::vector<std::string> args, std::string_view input = {}) {
  args.insert(args.begin(), JOT_CLI_PATH);
  return run_program(args, input);
}

// A 0700 folder for the whole test run, removed at exit. Paths handed out are unique.
class workspace {
 public:
  static workspace& get() {
    static workspace instance;
    return instance;
  }
  std::string fresh_path(std::string_view name) {
    return (dir_ / (std::to_string(++counter_) + "-" + std::string(name))).string();
  }
  std::string write(std::string_view name, std::string_view content) {
    const std::string path = fresh_path(name);
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

 private:
  workspace() {
    // The children inherit the umask: keygen's public files are then exactly 0644.
    ::umask(022);
    std::string pattern = (std::filesystem::temp_directory_path() / "jot-cli-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    dir_ = pattern;
  }
  ~workspace() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::filesystem::path dir_;
  int counter_ = 0;
};

inline std::string fresh_path(std::string_view name) { return workspace::get().fresh_path(name); }
inline std::string write_file(std::string_view name, std::string_view content) {
  return workspace::get().write(name, content);
}
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// --- What the tool prints -------------------------------------------------------------------

// The line of a rejection; `claim`: the name of the claim it is about, when it is about one.
inline std::string rejection_line(jot::errc code, std::string_view claim = {}) {
  std::string line = std::string("error: ") + jot::errc_name(code) + ": " + jot::errc_message(code);
  if (!claim.empty()) line += ": " + std::string(claim);
  return line + "\n";
}

inline std::string key_error_line(jot::errc code, std::string_view where,
                                  std::string_view hint = {}) {
  std::string line = std::string("error: ") + jot::errc_name(code) + ": " + std::string(where) +
                     ": " + jot::errc_message(code);
  if (!hint.empty()) line += "; " + std::string(hint);
  return line + "\n";
}

inline std::string usage_line(std::string_view command, std::string_view text) {
  return "error: usage: " + std::string(text) + " (see jot " + std::string(command) + " --help)\n";
}

// Exit 1, nothing on stdout, exactly the one line of `code` (and `claim`) on stderr.
inline void check_rejected(const process_result& r, jot::errc code, std::string_view claim = {}) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(r.err == rejection_line(code, claim));
}

// Exit 2, nothing on stdout, exactly `line` on stderr.
inline void check_exit_2(const process_result& r, const std::string& line) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(r.err == line);
}

// Exit 0, exactly `out` on stdout, nothing on stderr.
inline void check_success(const process_result& r, const std::string& out) {
  INFO("stderr: " << r.err);
  CHECK(r.status == 0);
  CHECK(r.out == out);
  CHECK(r.err.empty());
}

// --- Keys -------------------------------------------------------------------------------------

// A 32-byte HS256 secret (any 32 bytes will do: jot checks length, not entropy).
inline constexpr std::string_view hs256_secret = "cli-test-secret-0123456789abcdef";

inline const std::string& hs256_secret_file() {
  static const std::string path = write_file("hs256.secret", hs256_secret);
  return path;
}

inline jot::signing_key hs256_key() {
  return jot::signing_key::hs256(jot::secret_bytes(hs256_secret)).value();
}

struct key_files {
  std::string private_key;  // PEM/JWK private key, or for HS* in pem format the raw secret
  std::string public_key;   // the public half; for HS* the same file as private_key
};

// `jot keygen --alg alg --format format`, run once per (alg, format) and kept for the run.
inline const key_files& generated_key(const std::string& alg, const std::string& format) {
  static std::map<std::pair<std::string, std::string>, key_files> cache;
  const auto found = cache.find({alg, format});
  if (found != cache.end()) return found->second;
  key_files files;
  files.private_key = fresh_path(alg + "." + format);
  std::vector<std::string> args = {"keygen", "--alg",          alg, "--format", format,
                                   "--out",  files.private_key};
  if (alg.rfind("HS", 0) == 0) {
    files.public_key = files.private_key;
  } else {
    files.public_key = fresh_path(alg + ".public." + format);
    args.insert(args.end(), {"--public-out", files.public_key});
  }
  const process_result r = run_jot(args);
  INFO("jot keygen --alg " << alg << " --format " << format << ": " << r.err);
  REQUIRE(r.status == 0);
  return cache.emplace(std::make_pair(alg, format), files).first->second;
}

// The option that hands a key file to sign/verify: HS secrets in pem format are raw bytes.
inline std::string key_option(const std::string& alg, const std::string& format) {
  return alg.rfind("HS", 0) == 0 && format == "pem" ? "--secret-file" : "--key";
}

// --- Tokens -------------------------------------------------------------------------------------

inline std::string b64(std::string_view bytes) { return jot::base64url_encode(bytes); }

// Hand-made tokens (jot_test::sign_raw) and claims changed member by member (jot_test::json_with).
using jot_test::json_with;
using jot_test::no_signature;
using jot_test::sign_raw;

inline std::string hs256_token(const json& payload,
                               const json& header = {{"alg", "HS256"}, {"typ", "JWT"}}) {
  return sign_raw(header.dump(), payload.dump(), hs256_key());
}

// Claims valid at `now`: issued now, expiring in 15 minutes.
inline json valid_claims() { return {{"sub", "alice"}, {"iat", now}, {"exp", now + 900}}; }

inline json parse_json(const std::string& text) {
  auto parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  INFO("not JSON: " << text);
  REQUIRE_FALSE(parsed.is_discarded());
  return parsed;
}

// The output line of `jot decode`, `jot sign`... without its newline.
inline std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

inline json decoded_header(const std::string& token) {
  return parse_json(jot::base64url_decode(token.substr(0, token.find('.'))).value());
}

inline json decoded_payload(const std::string& token) {
  const std::size_t first = token.find('.');
  const std::size_t second = token.find('.', first + 1);
  return parse_json(jot::base64url_decode(token.substr(first + 1, second - first - 1)).value());
}

}  // namespace jot_cli_test
