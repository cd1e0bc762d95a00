// jot decode: a token's header and payload, NOT verified. For debugging only: nothing printed
// here is authenticated, and stderr says so every time.

#include <cstdio>
#include <string>

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
signature or any claim; stderr carries an UNVERIFIED warning. The token is parsed as strictly
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

}  // namespace

int decode_command(const command_arguments& argv) {
  if (wants_help(argv)) {
    print_text(help());
    return exit_ok;
  }
  const arguments args = parse_arguments(name, argv, {{"pretty", false, false}}, 0, 1);
  const std::string token = read_token(args, inspection_size_limit);
  auto decoded = jot::unverified::decode(token, inspection_size_limit);
  if (!decoded) fail_token(decoded.error());
  const nlohmann::json out = {{"header", std::move(decoded->header)},
                              {"payload", std::move(decoded->payload)}};
  print_line(json_text(out, args.has("pretty")));
  std::fputs("warning: UNVERIFIED: the signature was not checked; do not trust this content\n",
             stderr);
  return exit_ok;
}

}  // namespace jot_cli
