// The command line itself: usage and help, unknown commands and options, exit status 2.

#include <string>
#include <vector>

#include "cli_support.hpp"

using namespace jot_cli_test;

namespace {
const std::vector<std::string> subcommands = {
    "verify", "sign", "decode", "keygen", "jwks", "thumbprint", "audit", "revoke", "bump-version"};
}  // namespace

TEST_CASE("jot without arguments prints the usage on stderr and exits 2", "[usage]") {
  const process_result r = run_jot({});
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("usage: jot <command> [options]\n", 0) == 0);
  for (const std::string& command : subcommands) {
    CHECK(r.err.find("\n  " + command + " ") != std::string::npos);
  }
}

TEST_CASE("jot --help prints the same usage on stdout and exits 0", "[usage]") {
  const process_result help = run_jot({"--help"});
  CHECK(help.status == 0);
  CHECK(help.err.empty());
  CHECK(help.out == run_jot({}).err);
  // The version is written once, in config.hpp.
  const std::string version = std::to_string(JOT_VERSION_MAJOR) + "." +
                              std::to_string(JOT_VERSION_MINOR) + "." +
                              std::to_string(JOT_VERSION_PATCH);
  check_success(run_jot({"--version"}), "jot " + version + "\n");
}

TEST_CASE("every subcommand has --help, which exits 0 whatever else is on the line", "[usage]") {
  for (const std::string& command : subcommands) {
    INFO(command);
    const process_result r = run_jot({command, "--help"});
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(r.out.rfind("usage: jot " + command, 0) == 0);
    CHECK(r.out.find("Exit status:") != std::string::npos);
    CHECK(run_jot({command, "--no-such-option", "-h"}).out == r.out);
  }
}

TEST_CASE("an unknown command is a usage error that does not repeat what was typed", "[usage]") {
  const std::string token = hs256_token(valid_claims());
  check_exit_2(run_jot({token}), "error: usage: unknown command (see jot --help)\n");
}

TEST_CASE("bad options are usage errors, exit 2, naming the option but never a value", "[usage]") {
  check_exit_2(run_jot({"decode", "--colour"}), usage_line("decode", "unknown option --colour"));
  check_exit_2(run_jot({"decode", "--eyJhbGciOiJIUzI1NiJ9=x"}),
               usage_line("decode", "unknown option an option"));
  check_exit_2(run_jot({"decode", "-x"}),
               usage_line("decode", "unknown short option; jot takes long options such as --alg"));
  check_exit_2(run_jot({"verify", "--alg"}), usage_line("verify", "--alg needs a value"));
  check_exit_2(run_jot({"verify", "--allow-missing-exp=yes"}),
               usage_line("verify", "--allow-missing-exp takes no value"));
  check_exit_2(run_jot({"verify", "--iss", "a", "--iss", "b"}),
               usage_line("verify", "--iss may be given only once"));
  check_exit_2(run_jot({"decode", "a.b.c", "d.e.f"}), usage_line("decode", "too many arguments"));
  check_exit_2(run_jot({"thumbprint"}), usage_line("thumbprint", "missing argument"));
}

TEST_CASE("options take --name=value, and -- ends the options", "[usage]") {
  const std::string token = hs256_token(valid_claims());
  check_success(run_jot({"verify", "--alg=HS256", "--secret-file=" + hs256_secret_file(),
                         "--now=" + at(now), "--", token}),
                valid_claims().dump() + "\n");
}

namespace {
// True when `word` stands in `text` between spaces or at the end of a line.
bool has_word(const std::string& text, const std::string& word) {
  return text.find(" " + word + " ") != std::string::npos ||
         text.find(" " + word + "\n") != std::string::npos;
}
}  // namespace

TEST_CASE("help texts take the algorithms and the limits from the library", "[usage]") {
  const std::string verify = run_jot({"verify", "--help"}).out;
  const std::string sign = run_jot({"sign", "--help"}).out;
  const std::string keygen = run_jot({"keygen", "--help"}).out;
  // Every algorithm of jot's table, by both of its names (keygen: the one that fixes the key).
  for (const jot::algorithm alg : jot::all_algorithms) {
    const std::string name(jot::algorithm_name(alg));
    const std::string fully_specified(jot::fully_specified_name(alg));
    INFO(fully_specified);
    for (const std::string* help : {&verify, &sign}) {
      CHECK(has_word(*help, name));
      CHECK(has_word(*help, fully_specified));
    }
    CHECK(has_word(keygen, fully_specified));
  }
  const std::string kib = std::to_string(jot::default_max_token_size / 1024) + " KiB";
  CHECK(verify.find("Tokens over " + kib + " are rejected") != std::string::npos);
  CHECK(run_jot({"audit", "--help"}).out.find("over " + kib + ":") != std::string::npos);
  const std::string mib =
      std::to_string(jot::validator::builder::max_token_size_limit / (1024 * 1024)) + " MiB";
  CHECK(run_jot({"decode", "--help"}).out.find("up to " + mib) != std::string::npos);
  const std::string skew = std::to_string(jot::validator::builder::max_clock_skew.count());
  CHECK(verify.find("0 (default) to " + skew + "\n") != std::string::npos);
  CHECK(verify.find("1 to " + std::to_string(jot::max_numeric_date)) != std::string::npos);
}

TEST_CASE("verify's ranges are the validator builder's", "[usage]") {
  const std::string token = hs256_token(valid_claims());
  const std::vector<std::string> args = {
      "verify", "--alg", "HS256", "--secret-file", hs256_secret_file(), "--now", at(now)};
  const auto with = [&args](std::vector<std::string> extra) {
    std::vector<std::string> out = args;
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
  };
  const std::string skew = std::to_string(jot::validator::builder::max_clock_skew.count());
  check_success(run_jot(with({"--leeway", skew}), token), valid_claims().dump() + "\n");
  check_exit_2(run_jot(with({"--leeway", std::to_string(std::stoi(skew) + 1)}), token),
               usage_line("verify", "--leeway must be between 0 and " + skew));
  const std::string max_age = std::to_string(jot::max_numeric_date);
  check_success(run_jot(with({"--max-age", max_age}), token), valid_claims().dump() + "\n");
  check_exit_2(run_jot(with({"--max-age", std::to_string(jot::max_numeric_date + 1)}), token),
               usage_line("verify", "--max-age must be between 1 and " + max_age));
}
