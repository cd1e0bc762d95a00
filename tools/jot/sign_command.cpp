// jot sign: claims -> a compact JWS, through jot's claims builder and encoder, so the tool
// refuses what the library refuses (reserved and sensitive claim names, wrongly typed registered
// claims) and always makes an expiry decision.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
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

// The usage text; the algorithm names and the date range come from the library.
std::string help() {
  std::string text = R"(usage: jot sign --alg ALG (--key FILE | --secret-file FILE) [options]

Signs a JWT and prints the compact token and a newline.

Key:
  --alg ALG             )";
  append_words(text, algorithm_names(" ", " ") + " (EdDSA: the key's curve decides)", 24);
  text += R"(
  --key FILE            a private key: PEM (PKCS#8, or traditional RSA/EC) or DER, or a private
                        JWK (its kid goes into the header)
  --secret-file FILE    the exact bytes of an HMAC secret (HS*), a trailing newline included
  --kid KID             the kid header (overrides a JWK's kid)
  --typ TYP             the typ header (default JWT), e.g. at+jwt or refresh+jwt

Claims:
  --claims JSON         a JSON object of claims
  --claims-file FILE    the same, read from a file
  --claim NAME=VALUE    one claim; VALUE is JSON when it parses as JSON, else a string
                        (repeatable; overrides --claims)
  --now UNIX_SECONDS    the issue time (iat, and the start of --expires-in); default: the clock
  --expires-in DURATION exp = iat + DURATION: seconds, or a number with s, m, h or d (15m, 1h,
                        7d), up to 100 years. The default is 15m unless exp is given as a claim.
  --no-expiry           no exp at all (the token is valid until its key is retired)
  --allow-sensitive NAME
                        sign a claim or member named NAME although the name looks sensitive
                        (repeatable; that exact name only)
  Registered claims go through jot's typed setters: iss, sub, jti and aud take their text as is
  (--claim sub=42 is the string "42"), aud also a JSON array of strings; exp, nbf and iat take
  UNIX seconds from 0 to )";
  text += std::to_string(jot::max_numeric_date) + R"(.
  JOSE header names are refused as claims (reserved_claim; alg, kid and typ have their options).
  Claim names that look sensitive (password, ssn, credit_card, ...), at any depth inside a value
  too, are refused (sensitive_claim) unless --allow-sensitive names them, as jot's claims
  builder does; jot audit flags the same names.

Exit status: 0 signed, 2 usage, key or claims error ("error: <code>: ...").
)";
  return text;
}

const std::vector<option_spec> options = with_sign_claim_options({{"alg", true, false},
                                                                  {"key", true, false},
                                                                  {"secret-file", true, false},
                                                                  {"kid", true, false}});

using clock_type = std::chrono::system_clock;

clock_type::time_point at_seconds(std::int64_t seconds) {
  return clock_type::time_point(std::chrono::seconds(seconds));
}

// Registered claim names (RFC 7519 §4.1) and JOSE header names as the library classifies them:
// the claims builder refuses both in claim() (reserved_claim), and takes the registered ones
// through its typed setters.
bool is_registered_claim_name(std::string_view claim) {
  const auto& names = jot::detail::registered_claim_names;
  return std::find(std::begin(names), std::end(names), claim) != std::end(names);
}

// The first sensitive name in a claim, the claim's own or a member name at any depth of its
// value, that --allow-sensitive does not allow: for the message that names the flag.
std::optional<std::string> refused_sensitive_name(const std::string& claim,
                                                  const nlohmann::json& value,
                                                  const std::vector<std::string>& allowed) {
  const auto refused = [&allowed](const std::string& name) {
    return jot::is_sensitive_claim_name(name) &&
           std::find(allowed.begin(), allowed.end(), name) == allowed.end();
  };
  if (refused(claim)) return claim;
  // Depth-first; the value's depth was bounded when it was parsed.
  std::vector<const nlohmann::json*> pending{&value};
  while (!pending.empty()) {
    const nlohmann::json& next = *pending.back();
    pending.pop_back();
    if (next.is_object()) {
      for (const auto& member : next.items()) {
        if (refused(member.key())) return member.key();
        pending.push_back(&member.value());
      }
    } else if (next.is_array()) {
      for (const auto& item : next) pending.push_back(&item);
    }
  }
  return std::nullopt;
}

// One claim onto the builder: the names the library reserves (jot::detail::is_reserved_claim_name)
// are either registered claims, which go to their typed setters, or header names, which are
// refused naming the option that sets the header; every other name goes through claim().
class claim_writer {
 public:
  claim_writer(jot::claims::builder& builder, std::vector<std::string> allowed_sensitive)
      : builder_(builder), allowed_sensitive_(std::move(allowed_sensitive)) {}

  // `text` is the VALUE as written on the command line (--claim), nullopt for --claims members.
  void write(const std::string& claim, const nlohmann::json& value,
             const std::optional<std::string>& text) {
    const std::string where = (text ? "--claim " : "--claims member ") + claim;
    if (!jot::detail::is_reserved_claim_name(claim)) {
      write_custom(where, claim, value);
    } else if (is_registered_claim_name(claim)) {
      write_registered(where, claim, value, text);
    } else {
      // A header name; alg, kid and typ have an option of their own.
      const bool has_option =
          std::any_of(options.begin(), options.end(),
                      [&claim](const option_spec& spec) { return claim == spec.name; });
      fail_key(jot::errc::reserved_claim, where,
               has_option ? "jot sign sets it with --" + claim : std::string());
    }
  }

  bool expiry_given() const { return expiry_given_; }

 private:
  void write_registered(const std::string& where, const std::string& claim,
                        const nlohmann::json& value, const std::optional<std::string>& text) {
    if (claim == "iss") {
      builder_.issuer(string_value(where, value, text));
    } else if (claim == "sub") {
      builder_.subject(string_value(where, value, text));
    } else if (claim == "jti") {
      builder_.jwt_id(string_value(where, value, text));
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
    } else if (claim == "exp") {
      builder_.expires_at(date_value(where, value));
      expiry_given_ = true;
    } else if (claim == "nbf") {
      builder_.not_before(date_value(where, value));
    } else if (claim == "iat") {
      builder_.issued_at(date_value(where, value));
    } else {
      // A name the library registers that this tool has no setter for.
      fail_key(jot::errc::reserved_claim, where);
    }
  }

  void write_custom(const std::string& where, const std::string& claim,
                    const nlohmann::json& value) {
    // A scratch builder judges this claim alone, so that a refused claim is reported by name
    // (the real builder only says that some claim was refused).
    jot::claims::builder alone;
    for (const std::string& name : allowed_sensitive_) alone.allow_sensitive_claim(name);
    auto judged = alone.allow_missing_expiration().claim(claim, value).build();
    if (!judged && judged.error() == jot::errc::sensitive_claim) {
      const auto refused = refused_sensitive_name(claim, value, allowed_sensitive_);
      fail_key(judged.error(), where,
               "jot sign allows it with --allow-sensitive " + refused.value_or("NAME"));
    }
    if (!judged) fail_key(judged.error(), where);
    builder_.claim(claim, value);
  }

  static std::string string_value(const std::string& where, const nlohmann::json& value,
                                  const std::optional<std::string>& text) {
    if (value.is_string()) return value.get<std::string>();
    if (text) return *text;  // --claim sub=42: an id that happens to look like a number
    fail_key(jot::errc::invalid_claim_type, where, "a string is required");
  }

  // A NumericDate as whole seconds (RFC 7519 §2) in the range the library writes.
  static jot::sys_seconds date_value(const std::string& where, const nlohmann::json& value) {
    std::int64_t seconds = -1;
    if (value.is_number_unsigned()) {
      const auto v = value.get<std::uint64_t>();
      if (v <= static_cast<std::uint64_t>(jot::max_numeric_date)) {
        seconds = static_cast<std::int64_t>(v);
      }
    } else if (value.is_number_integer()) {
      seconds = value.get<std::int64_t>();
    }
    if (seconds < 0 || seconds > jot::max_numeric_date) {
      fail_key(jot::errc::invalid_claim_type, where,
               "UNIX seconds from 0 to " + std::to_string(jot::max_numeric_date) + " are required");
    }
    return jot::sys_seconds(std::chrono::seconds(seconds));
  }

  jot::claims::builder& builder_;
  std::vector<std::string> allowed_sensitive_;
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

std::string signed_token(const command_arguments& argv) {
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
  const std::vector<std::string> allowed_sensitive = args.values("allow-sensitive");
  for (const std::string& allowed : allowed_sensitive) {
    if (allowed.empty()) fail_usage(name, "--allow-sensitive needs a claim name");
    builder.allow_sensitive_claim(allowed);
  }
  claim_writer writer(builder, allowed_sensitive);
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
  return std::move(*token);
}

int sign_command(const command_arguments& argv) {
  if (wants_help(argv)) {
    print_text(help());
    return exit_ok;
  }
  print_line(signed_token(argv));
  return exit_ok;
}

}  // namespace jot_cli
