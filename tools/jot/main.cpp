// `jot`: sign, verify, inspect and audit JSON Web Tokens from the shell, with the jot library's
// defaults (explicit algorithms, typed keys, required expiry, strict parsing).

#include <cstdio>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include <jot/config.hpp>

#include "cli.hpp"
#include "commands.hpp"

namespace {

struct command {
  const char* name;
  int (*run)(const jot_cli::command_arguments&);
  const char* summary;
};

constexpr command commands[] = {
    {"verify", jot_cli::verify_command, "verify a token and print its payload"},
    {"sign", jot_cli::sign_command, "sign claims into a token"},
    {"encrypt", jot_cli::encrypt_command, "encrypt a signed token for a recipient (JWE)"},
    {"decrypt", jot_cli::decrypt_command, "decrypt a JWE, and verify the token inside"},
    {"decode", jot_cli::decode_command, "print a token's header and payload WITHOUT verifying"},
    {"keygen", jot_cli::keygen_command, "generate a key pair or an HMAC secret"},
    {"jwks", jot_cli::jwks_command, "print the JWKS of the public parts of keys"},
    {"thumbprint", jot_cli::thumbprint_command, "print a key's RFC 7638 thumbprint"},
    {"audit", jot_cli::audit_command, "report risky properties of a token (no key needed)"},
    {"revoke", jot_cli::revoke_command, "put a token's jti on the Redis blocklist"},
    {"bump-version", jot_cli::bump_version_command,
     "end every token of a subject in Redis (logout everywhere)"},
};

std::string usage() {
  std::string text =
      "usage: jot <command> [options]\n"
      "\n"
      "JSON Web Tokens (RFC 7519) as compact JWS, with jot's secure defaults.\n"
      "\n"
      "Commands:\n";
  for (const command& c : commands) {
    std::string name = c.name;
    name.resize(14, ' ');
    text += "  " + name + c.summary + "\n";
  }
  text +=
      "\n"
      "Run 'jot <command> --help' for the options of a command.\n"
      "Exit status: 0 success, 1 token rejected (audit: findings), 2 usage, key or Redis "
      "error.\n";
  return text;
}

int run(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fputs(usage().c_str(), stderr);
    return jot_cli::exit_usage;
  }
  const std::string_view name = args.front();
  if (name == "--help" || name == "-h" || name == "help") {
    std::fputs(usage().c_str(), stdout);
    return jot_cli::exit_ok;
  }
  if (name == "--version") {
    std::printf("jot %d.%d.%d\n", JOT_VERSION_MAJOR, JOT_VERSION_MINOR, JOT_VERSION_PATCH);
    return jot_cli::exit_ok;
  }
  for (const command& c : commands) {
    if (name == c.name) return c.run(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  // The unknown word is not repeated: it may be a token or a secret typed in the wrong place.
  jot_cli::fail_usage("", "unknown command");
}

}  // namespace

int main(int argc, char** argv) {
  // Every failure ends as one line on stderr and a documented exit status, never as an uncaught
  // exception (which would abort with a core dump and an implementation-defined message).
  try {
    return run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const jot_cli::cli_failure& failure) {
    std::fprintf(stderr, "%s\n", failure.line().c_str());
    return failure.status();
  } catch (const std::bad_alloc&) {
    std::fputs("error: out_of_memory: memory allocation failed\n", stderr);
  } catch (const std::exception&) {
    std::fputs("error: internal: unexpected failure\n", stderr);
  }
  return jot_cli::exit_usage;
}
