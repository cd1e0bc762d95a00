// jot sign: claims -> a compact JWS, through jot's claims builder and encoder, so the tool
// refuses what the library refuses (reserved and sensitive claim names, wrongly typed registered
// claims) and always makes an expiry decision.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <jot/jot.hpp>

#include "args.hpp"
#include "cli.hpp"
#include "commands.hpp"
#include "io.hpp"
#include "key_loading.hpp"

namespace jot_cli {

namespace {

constexpr const char* name = "sign";

constexpr const char* help =
    R"(usage: jot sign --alg ALG (--key FILE | --secret-file FILE) [options]

Signs a JWT and prints the compact token and a newline.

Key:
  --alg ALG             HS256 HS384 HS512 RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512
                        ES256K, Ed25519, Ed448, or EdDSA (the key's curve decides)
  --key FILE            a private key: PEM (PKCS#8, or traditional RSA/EC) or DER, or a private
                        JWK (its kid goes into the header)
  --secret-file FILE    the exact bytes of an HMAC secret (HS*), a trailing newline included
  --kid KID             the kid header (overrides a JWK's kid)
  --typ TYP             the typ header (default JWT), e.g. at+jwt or refresh+jwt

Claims:
  --claims JSON         a JSON object of claims
  --claims-file FILE    the same, read from a file
  --claim NAME=VALUE    one claim; VALUE is JSON when it parses as JSON, else a string
                        (repeatable; overrides --claims). iss, sub, jti and aud take their text
                        as is (--claim sub=42 is the string "42"); aud also takes a JSON array
                        of strings; exp, nbf and iat take UNIX seconds.
  --now UNIX_SECONDS    the issue time (iat, and the start of --expires-in); default: the clock
  --expires-in DURATION exp = iat + DURATION: seconds, or a number with s, m, h or d (15m, 1h,
                        7d). The default is 15m unless exp is given as a claim.
  --no-expiry           no exp at all (the token is valid until its key is retired)
  Claim names that look sensitive (password, ssn, credit_card, ...), at any depth inside a
  value too, and JOSE header names are refused (exit 2 with sensitive_claim / reserved_claim),
  as jot's claims builder does; jot audit flags the same names.

Exit status: 0 signed, 2 usage, key or claims error ("error: <code>: ...").
)";

const std::vector<option_spec> options = {
    {"alg", true, false},  {"key", true, false},       {"secret-file", true, false},
    {"kid", true, false},  {"typ", true, false},       {"expires-in", true, false},
    {"now", true, false},  {"claims", true, false},    {"claims-file", true, false},
    {"claim", true, true}, {"no-expiry", false, false}};

using clock_type = std::chrono::system_clock;

clock_type::time_point at_seconds(std::int64_t seconds) {
  return clock_type::time_point(std::chrono::seconds(seconds));
}

// One claim onto the builder: registered claims through their typed setters (RFC 7519 §4.1),
// everything else through claim(), which refuses registered and header names.
class claim_writer {
 public:
  explicit claim_writer(jot::claims::builder& builder) : builder_(builder) {}

  // `text` is the VALUE as written on the command line (--claim), nullopt for --claims members.
  void write(const std::string& claim, const nlohmann::json& value,
             const std::optional<std::string>& text) {
    const std::string where = (text ? "--claim " : "--claims member ") + claim;
    if (claim == "iss" || claim == "sub" || claim == "jti") {
      const std::string string = string_value(where, value, text);
      if (claim == "iss") builder_.issuer(string);
      if (claim == "sub") builder_.subject(string);
      if (claim == "jti") builder_.jwt_id(string);
    } else if (claim == "aud") {
      if (value.is_array()) {
        std::vector<std::string> audiences;
        for (const auto& item : value) {
          if (!item.is_string()) fail_key(jot::errc::invalid_claim_type, where);
          audiences.push_back(item.get<std::string>());
        }
        builder_.audience(std::move(audiences));
      } else {
        builder_.audience(string_value(where, value, text));
      }
    } else if (claim == "exp" || claim == "nbf" || claim == "iat") {
      const auto when = at_seconds(date_value(where, value));
      if (claim == "exp") {
        builder_.expires_at(when);
        expiry_given_ = true;
      }
      if (claim == "nbf") builder_.not_before(when);
      if (claim == "iat") builder_.issued_at(when);
    } else {
      // A scratch builder judges the name alone, so that a refused claim is reported by name
      // (the real builder only says that some claim was refused).
      auto alone = jot::claims::builder().allow_missing_expiration().claim(claim, value).build();
      if (!alone) fail_key(alone.error(), where);
      builder_.claim(claim, value);
    }
  }

  bool expiry_given() const { return expiry_given_; }

 private:
  static std::string string_value(const std::string& where, const nlohmann::json& value,
                                  const std::optional<std::string>& text) {
    if (value.is_string()) return value.get<std::string>();
    if (text) return *text;  // --claim sub=42: an id that happens to look like a number
    fail_key(jot::errc::invalid_claim_type, where, "a string is required");
  }

  // A NumericDate as whole seconds (RFC 7519 §2), within what the system clock can represent.
  static std::int64_t date_value(const std::string& where, const nlohmann::json& value) {
    std::int64_t seconds = -1;
    if (value.is_number_unsigned()) {
      const auto v = value.get<std::uint64_t>();
      if (v <= static_cast<std::uint64_t>(max_date_seconds)) seconds = static_cast<std::int64_t>(v);
    } else if (value.is_number_integer()) {
      seconds = value.get<std::int64_t>();
    }
    if (seconds < 0 || seconds > max_date_seconds) {
      fail_key(jot::errc::invalid_claim_type, where, "UNIX seconds up to 9000000000 are required");
    }
    return seconds;
  }

  jot::claims::builder& builder_;
  bool expiry_given_ = false;
};

nlohmann::json read_claims(const arguments& args) {
  std::string where, text;
  if (auto claims = args.value("claims")) {
    where = "--claims";
    text = *claims;
  } else if (auto file = args.value("claims-file")) {
    where = "--claims-file " + *file;
    text = read_file("--claims-file", *file);
  } else {
    return nlohmann::json::object();
  }
  auto parsed = jot::parse_json_object(text);
  if (!parsed) fail_key(parsed.error(), where);
  return std::move(*parsed);
}

}  // namespace

int sign_command(const command_arguments& argv) {
  if (wants_help(argv)) {
    print_text(help);
    return exit_ok;
  }
  const arguments args = parse_arguments(name, argv, options, 0, 0);
  const auto alg = args.value("alg");
  if (!alg) fail_usage(name, "--alg is required");
  const std::vector<jot::algorithm> candidates = parse_algorithms(name, {*alg});
  // One algorithm, or EdDSA (Ed25519 and Ed448), where the key's curve picks one.
  if (candidates.size() != 1 && *alg != "EdDSA") fail_usage(name, "--alg takes one algorithm");
  if (args.has("claims") && args.has("claims-file")) {
    fail_usage(name, "give --claims or --claims-file, not both");
  }
  if (args.has("expires-in") && args.has("no-expiry")) {
    fail_usage(name, "give --expires-in or --no-expiry, not both");
  }
  const auto type = args.value("typ").value_or("JWT");
  if (type.empty()) fail_usage(name, "--typ must not be empty");

  jot::signing_key key = load_signing_key(name, args, candidates);
  if (auto kid = args.value("kid")) {
    if (kid->empty()) fail_usage(name, "--kid must not be empty");
    key = key.with_key_id(*kid).value();
  }

  const auto now =
      args.value("now")
          ? at_seconds(parse_integer(name, "now", *args.value("now"), 0, max_now_seconds))
          : clock_type::now();
  jot::claims::builder builder(now);
  claim_writer writer(builder);
  const nlohmann::json claims_object = read_claims(args);  // named: items() only refers to it
  for (const auto& member : claims_object.items()) {
    writer.write(member.key(), member.value(), std::nullopt);
  }
  for (const std::string& assignment : args.values("claim")) {
    const claim_assignment claim = parse_claim_assignment(name, assignment);
    writer.write(claim.name, claim.value, claim.text);
  }

  if (writer.expiry_given() && (args.has("expires-in") || args.has("no-expiry"))) {
    fail_usage(name, "exp is given as a claim; drop --expires-in / --no-expiry");
  }
  if (args.has("no-expiry")) {
    builder.allow_missing_expiration();
  } else if (auto lifetime = args.value("expires-in")) {
    builder.expires_in(parse_duration(name, "expires-in", *lifetime));
  } else if (!writer.expiry_given()) {
    // A short-lived token unless the user asks for more: the builder itself would demand a
    // decision, and the safe one is the default of a tool people script with.
    builder.expires_in(std::chrono::minutes(15));
  }

  auto claims = builder.build();
  if (!claims) fail_key(claims.error(), "claims");
  auto token = jot::encoder(key, type).sign(*claims);
  if (!token) fail_key(token.error(), "signing");
  print_line(*token);
  return exit_ok;
}

}  // namespace jot_cli
