// jot verify: a token -> its payload, through a jot::verifier configured from the options.

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <jot/jot.hpp>

#include "args.hpp"
#include "cli.hpp"
#include "commands.hpp"
#include "io.hpp"
#include "key_loading.hpp"

namespace jot_cli {

namespace {

constexpr const char* name = "verify";

using validator_limits = jot::validator::builder;

// The usage text; the algorithm names, the size cap and the ranges come from the library.
std::string help() {
  std::string text =
      R"(usage: jot verify --alg ALG[,ALG...] (--key FILE | --secret-file FILE)... [options]
                  [TOKEN | FILE | -]

Verifies a compact JWS token as a jot service does and prints its payload as one line of JSON
(--pretty: indented).

)";
  text += token_input_help;
  text += "Tokens over " + size_text(jot::default_max_token_size) +
          " are rejected (token_too_large), and reading stops there.\n";
  text += R"(
Keys:
  --alg ALG[,ALG...]    the algorithms to accept (repeatable): )";
  append_words(text, algorithm_names(" ", " ") + " (EdDSA: either Edwards curve)", 24);
  text += R"(
  --key FILE            a public key, private key or certificate (PEM or DER), a JWK, or a JWKS
                        (the token's kid picks the key); repeatable. The key serves each listed
                        algorithm it fits; a key that fits none is an error.
  --secret-file FILE    the exact bytes of an HMAC secret, a trailing newline included;
                        repeatable
  Keys with a kid are chosen by the token's kid: a token naming a kid no key has is rejected.
  Keys without a kid (PEM, DER, secrets, JWKs without kid) are chosen by the token's algorithm
  and signature: a token without kid is tried against each key of its algorithm, and when no
  key has a kid a token's kid names nothing and is not used. A key file serving several
  algorithms (an RSA key with --alg RS256,PS256) is one key per algorithm: the token's alg picks.

Claims (checked against --now, or the system clock):
  --iss ISS             require this issuer
  --aud AUD             require this audience (repeatable: any of them); a token that names an
                        audience is rejected when no --aud is given
  --sub SUB             require this subject
  --typ TYP             require this typ header; without --typ only "JWT" or no typ passes
  --require CLAIM       require the claim to be present (repeatable)
  --claim NAME=VALUE    require the claim to equal VALUE, read as JSON when it parses as JSON
                        (true, 42, ["a"]) and as a string otherwise (repeatable)
  --max-age SECONDS     reject tokens issued (iat) this long ago or longer, and tokens without
                        iat: 1 to )";
  text += std::to_string(jot::max_numeric_date) + R"( (no limit unless given)
  --leeway SECONDS      clock skew tolerated for exp, nbf and iat: 0 (default) to )";
  text += std::to_string(validator_limits::max_clock_skew.count()) + R"(
  --now UNIX_SECONDS    the time to check against, instead of the clock
  --allow-missing-exp   accept tokens without exp (by default they are rejected)

Output:
  --pretty              the payload as JSON indented by 2 spaces instead of one line

Exit status: 0 valid (the payload is printed), 1 rejected (stderr: one line
"error: <code>: <reason>", e.g. "error: token_expired: token has expired", with ": <claim>"
after a rejection about one claim, e.g. "...: a required claim is missing: exp"), 2 usage, key
or I/O error (e.g. a TOKEN file that cannot be read).
)";
  return text;
}

const std::vector<option_spec> options = with_verify_claim_options(
    {{"alg", true, true}, {"key", true, true}, {"secret-file", true, true}});

// Two files that publish one kid would make the kid ambiguous (jot: duplicate_key_id); say which.
void check_distinct_kids(const std::vector<key_slot>& slots) {
  std::map<std::string, const key_slot*> seen;
  for (const key_slot& slot : slots) {
    const auto& kid = slot.keys.front().key_id();
    if (!kid) continue;
    const auto [it, inserted] = seen.emplace(*kid, &slot);
    if (!inserted) {
      fail_key(jot::errc::duplicate_key_id, slot.origin, "the same kid as " + it->second->origin);
    }
  }
}

// The claim policy from the options, built once; a contradiction or an out-of-range value is a
// configuration error (exit 2) before any token is read.
jot::validator make_validator(const arguments& args) {
  jot::validator::builder builder;
  if (auto issuer = args.value("iss")) builder.expect_issuer(*issuer);
  for (std::string& audience : args.values("aud")) builder.expect_audience(std::move(audience));
  if (auto subject = args.value("sub")) builder.expect_subject(*subject);
  if (auto type = args.value("typ")) builder.expect_type(*type);
  if (auto leeway = args.value("leeway")) {
    builder.allow_clock_skew(std::chrono::seconds(
        parse_integer(name, "leeway", *leeway, 0, validator_limits::max_clock_skew.count())));
  }
  if (auto max_age = args.value("max-age")) {
    builder.expect_max_age(
        std::chrono::seconds(parse_integer(name, "max-age", *max_age, 1, jot::max_numeric_date)));
  }
  if (auto now = args.value("now")) {
    const std::chrono::seconds at(parse_integer(name, "now", *now, 0, max_now_seconds));
    builder.allow_custom_clock([at] { return std::chrono::system_clock::time_point(at); });
  }
  for (std::string& claim : args.values("require")) {
    if (claim.empty()) fail_usage(name, "--require needs a claim name");
    builder.expect_claim(std::move(claim));
  }
  for (const std::string& assignment : args.values("claim")) {
    claim_assignment claim = parse_claim_assignment(name, assignment);
    builder.expect_claim(std::move(claim.name), std::move(claim.value));
  }
  if (args.has("allow-missing-exp")) builder.allow_missing_expiration();
  auto validator = builder.build();
  if (!validator) fail_key(validator.error(), "the verifier's options");
  return std::move(*validator);
}

jot::verifier make_verifier(const std::vector<key_slot>& slots, const jot::validator& validator) {
  jot::verifier::builder builder;
  std::size_t count = 0;
  bool anonymous = false;
  for (const key_slot& slot : slots) {
    for (const jot::verification_key& key : slot.keys) {
      anonymous = anonymous || !key.key_id();
      builder.add_key(key);
      ++count;
    }
  }
  // Keys without a kid cannot be told apart by one; the signature decides among them.
  if (count > 1 && anonymous) builder.allow_missing_kid();
  auto verifier = builder.validator(validator).build();
  if (!verifier) fail_key(verifier.error(), "the verifier's options");
  return std::move(*verifier);
}

}  // namespace

int verify_command(const command_arguments& argv) {
  if (wants_help(argv)) {
    print_text(help());
    return exit_ok;
  }
  const arguments args = parse_arguments(name, argv, options, 0, 1);
  if (!args.has("alg")) fail_usage(name, "--alg is required: name the algorithms to accept");
  if (!args.has("key") && !args.has("secret-file")) {
    fail_usage(name, "give at least one --key FILE or --secret-file FILE");
  }
  const std::vector<jot::algorithm> allowed = parse_algorithms(name, args.values("alg"));
  const std::vector<key_slot> slots = load_verification_slots(args, allowed);
  check_distinct_kids(slots);
  // Options and keys are judged before the token is read, so a configuration mistake is always
  // exit 2, whatever the token.
  const jot::validator validator = make_validator(args);
  const jot::verifier verifier = make_verifier(slots, validator);
  // No more is read than the verifier accepts (and a little whitespace).
  const std::string token = read_token(args, validator.max_token_size());
  auto verified = verifier.verify(token);
  if (!verified) fail_token(verified.error(), verified.error_claim());
  print_line(json_text(verified->claims().json(), args.has("pretty")));
  return exit_ok;
}

}  // namespace jot_cli
