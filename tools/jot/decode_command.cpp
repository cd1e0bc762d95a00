// jot decode: a token's header and payload, NOT verified. For debugging only: nothing printed
// here is authenticated, and stderr says so every time.

#include <cstdio>
#include <string>
#include <utility>

#include <jot/base64url.hpp>
#include <jot/json.hpp>
#include <jot/unverified.hpp>

#include "args.hpp"
#include "cli.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace jot_cli {

namespace {

constexpr const char* name = "decode";

// The usage text; the size cap comes from the library.
std::string help() {
  std::string text = R"(usage: jot decode [--pretty] [TOKEN | FILE | -]

Prints {"header":...,"payload":...} of a compact JWS as one line of JSON WITHOUT checking the
signature or any claim; stderr carries an UNVERIFIED warning. Of a compact JWE (five segments)
it prints {"header":...,"encrypted":true}: the protected header, as the token carries it in
clear; the payload needs the key (jot decrypt). The token is parsed as strictly
as jot's verifier parses it (three segments, canonical base64url, strict JSON without duplicate
members), up to )";
  text += size_text(inspection_size_limit) +
          " (the most any jot verifier can be configured to accept).\n\n";
  text += token_input_help;
  text += R"(
  --pretty   the JSON indented by 2 spaces instead of one line

Exit status: 0 decoded, 1 not a well-formed token ("error: <code>: <reason>"), 2 usage or I/O
error.
)";
  return text;
}

// A compact JWE (five segments): its protected header is readable, its payload is not.
int print_encrypted(const std::string& token, const arguments& args) {
  const auto header = jot::base64url_decode(token.substr(0, token.find('.')));
  if (!header) fail_token(header.error());
  auto parsed = jot::parse_json_object(*header);
  if (!parsed) fail_token(parsed.error());
  const nlohmann::json out = {{"header", std::move(*parsed)}, {"encrypted", true}};
  print_line(json_text(out, args.has("pretty")));
  std::fputs("note: ENCRYPTED (JWE): the payload can only be read with the key (jot decrypt)\n",
             stderr);
  return exit_ok;
}

}  // namespace

int decode_command(const command_arguments& argv) {
  if (wants_help(argv)) {
    print_text(help());
    return exit_ok;
  }
  const arguments args = parse_arguments(name, argv, {{"pretty", false, false}}, 0, 1);
  const std::string token = read_token(args, inspection_size_limit);
  auto decoded = jot::unverified::decode(token, inspection_size_limit);
  if (decoded.error() == jot::errc::encrypted_token) return print_encrypted(token, args);
  if (!decoded) fail_token(decoded.error());
  const nlohmann::json out = {{"header", std::move(decoded->header)},
                              {"payload", std::move(decoded->payload)}};
  print_line(json_text(out, args.has("pretty")));
  std::fputs("warning: UNVERIFIED: the signature was not checked; do not trust this content\n",
             stderr);
  return exit_ok;
}

}  // namespace jot_cli
