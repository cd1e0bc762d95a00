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
  check_exit_2(run_jot({"decode", "--pretty"}), usage_line("decode", "unknown option --pretty"));
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
