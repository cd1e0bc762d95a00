// Where verify, decode and audit take the token from: standard input (no argument, or "-"), a
// file the argument names, or the argument itself when it is shaped like a compact JWS; how much
// they read; and --pretty output.

#include <sys/stat.h>

#include <fstream>
#include <string>
#include <vector>

#include "cli_support.hpp"

using namespace jot_cli_test;

namespace {

// Made on first use: the secret file needs the test run's workspace.
std::vector<std::string> verify_args() {
  return {"verify", "--alg", "HS256", "--secret-file", hs256_secret_file(), "--now", at(now)};
}

std::vector<std::string> verify_with(const std::string& token_argument) {
  std::vector<std::string> args = verify_args();
  args.push_back(token_argument);
  return args;
}

std::string valid_payload() { return valid_claims().dump() + "\n"; }

// The line for a TOKEN argument that is neither an existing file nor a compact JWS in shape.
const std::string neither_line =
    "error: io: TOKEN names no readable file (No such file or directory) and is not a compact "
    "JWS\n";

// `jot args...` run from the folder `dir`, for arguments that are relative file names.
process_result run_jot_in(const std::string& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\"",
                                   "sh",      dir,  JOT_CLI_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv, "");
}

// `jot args...` with standard input read from `path` (a device such as /dev/zero).
process_result run_jot_from(const std::string& path, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/bin/sh", "-c", "in=$1; shift; exec \"$@\" < \"$in\"",
                                   "sh",      path, JOT_CLI_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv, "");
}

}  // namespace

TEST_CASE("verify, decode and audit read the token from a FILE, whitespace around it ignored",
          "[input]") {
  const std::string token = hs256_token(valid_claims(), {{"alg", "HS256"}, {"typ", "JWT"}});
  const std::string file = write_file("token.jwt", "\n  " + token + " \r\n\n");
  check_success(run_jot(verify_with(file)), valid_payload());
  const process_result decoded = run_jot({"decode", file});
  CHECK(decoded.status == 0);
  CHECK(parse_json(decoded.out).at("payload") == valid_claims());
  check_success(run_jot({"audit", "--now", at(now), file}), "");
  // A file with nothing but whitespace holds an empty token.
  check_rejected(run_jot(verify_with(write_file("blank.jwt", " \n"))), jot::errc::malformed_token);
}

TEST_CASE("a TOKEN argument shaped like a compact JWS is the token, unless a file has its name",
          "[input]") {
  const std::string token = hs256_token(valid_claims());
  check_success(run_jot(verify_with(token)), valid_payload());
  // A file named like a token wins over the token itself.
  const std::string dir = fresh_path("dir");
  REQUIRE(::mkdir(dir.c_str(), 0700) == 0);
  const json other = {{"sub", "from-the-file"}, {"iat", now}, {"exp", now + 900}};
  { std::ofstream(dir + "/" + token, std::ios::binary) << hs256_token(other) << "\n"; }
  check_success(run_jot_in(dir, verify_with(token)), other.dump() + "\n");
}

TEST_CASE("a TOKEN argument that is neither a file nor a compact JWS is an I/O error, exit 2",
          "[input]") {
  const std::string missing = fresh_path("missing.jwt");
  check_exit_2(run_jot(verify_with(missing)), neither_line);
  check_exit_2(run_jot({"decode", missing}), neither_line);
  check_exit_2(run_jot({"audit", missing}), neither_line);
  // A mangled token is not repeated either: it may still be someone's credential.
  const std::string token = hs256_token(valid_claims());
  const std::string mangled = token.substr(0, token.rfind('.'));
  const process_result r = run_jot(verify_with(mangled));
  check_exit_2(r, neither_line);
  CHECK(r.err.find(mangled.substr(0, 16)) == std::string::npos);
  // The same bytes on standard input are a token, rejected by jot's parser with exit 1.
  check_rejected(run_jot(verify_args(), mangled), jot::errc::malformed_token);
}

TEST_CASE("a TOKEN argument naming a folder is an I/O error naming the path, exit 2", "[input]") {
  const std::string dir = fresh_path("folder.jwt");
  REQUIRE(::mkdir(dir.c_str(), 0700) == 0);
  check_exit_2(run_jot(verify_with(dir)),
               "error: io: cannot read the TOKEN file " + dir + ": it is a directory\n");
}

TEST_CASE("no more than the size cap and 64 bytes of whitespace are read: token_too_large, exit 1",
          "[input]") {
  const std::string token = hs256_token(valid_claims());
  const std::size_t cap = jot::default_max_token_size;  // verify's cap
  const std::string padded = token + std::string(cap + 64 - token.size(), '\n');
  check_success(run_jot(verify_with(write_file("padded.jwt", padded))), valid_payload());
  const std::string over = padded + "\n";
  check_rejected(run_jot(verify_with(write_file("over.jwt", over))), jot::errc::token_too_large);
  check_rejected(run_jot(verify_args(), over), jot::errc::token_too_large);
  // An oversized token in a file.
  check_rejected(run_jot(verify_with(write_file("huge.jwt", token + std::string(2 << 20, 'A')))),
                 jot::errc::token_too_large);
  // Endless input ends as soon as the cap is passed, from a file or from standard input.
  for (const std::vector<std::string>& command :
       {verify_args(), std::vector<std::string>{"decode"}, std::vector<std::string>{"audit"}}) {
    INFO(command.front());
    std::vector<std::string> with_file = command;
    with_file.push_back("/dev/zero");
    check_rejected(run_jot(with_file), jot::errc::token_too_large);
    check_rejected(run_jot_from("/dev/zero", command), jot::errc::token_too_large);
  }
}

TEST_CASE("verify --pretty prints the payload indented by 2 spaces", "[input]") {
  const std::string token = hs256_token(valid_claims());
  std::vector<std::string> args = verify_args();
  args.push_back("--pretty");
  check_success(run_jot(args, token),
                "{\n"
                "  \"exp\": 1700000900,\n"
                "  \"iat\": 1700000000,\n"
                "  \"sub\": \"alice\"\n"
                "}\n");
  // A rejection is the same one line with or without --pretty.
  check_rejected(run_jot(args, hs256_token({{"sub", "alice"}, {"iat", now}})),
                 jot::errc::missing_claim, "exp");
}
