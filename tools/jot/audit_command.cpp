// jot audit: what the usual JWT guidance (RFC 8725, RFC 7519 §12, the OWASP cheat sheet) warns
// about, found in a token without any key. Findings are facts about the token's form, never its
// claim values: a line names a claim or header member, not what it contains.

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <jot/claims.hpp>
#include <jot/json.hpp>
#include <jot/sensitive_claims.hpp>
#include <jot/unverified.hpp>

#include "args.hpp"
#include "cli.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace jot_cli {

namespace {

constexpr const char* name = "audit";

// The usage text; the size cap comes from the library.
std::string help() {
  std::string text = R"(usage: jot audit [--now UNIX_SECONDS] [TOKEN | FILE | -]

Inspects a token without a key and prints, one per line, what JWT security guidance warns
about. Each line starts with a stable id, then ": " and an explanation:

  token-too-large      over )";
  text += size_text(jot::default_max_token_size) + R"(: jot's verifier refuses it by default
  malformed            jot's strict parser refuses the token (its error code follows)
  duplicate-member     the header or payload repeats a member name
  bad-header           alg missing or not a string; kid, typ or cty not a string
  alg-none             alg is "none": an unsecured token anyone can forge
  key-in-header        a jku, x5u, jwk or x5c header: the token points at its own key
  missing-typ          no typ header and no type / token_type claim
  bad-claim-type       a registered claim of the wrong type (an exp that is a string, ...)
  missing-exp          the token never expires
  long-lifetime        an access token living over 1 hour, a refresh token over 30 days
  refresh-without-jti  a refresh token without jti cannot be revoked one by one
  sensitive-claim      a claim or member named for a secret or an identity number (password,
                       ssn, dob, ...): jot's claims builder and jot sign refuse these names
  pii-claim            a claim or member named for personal data (email, phone, address,
                       birthdate, ...)

A refresh token has typ refresh+jwt, or a claim type or token_type equal to "refresh". The
lifetime is exp - iat, else exp - nbf, else the time left until exp (from --now or the clock).

)";
  text += token_input_help;
  text += "Tokens up to " + size_text(inspection_size_limit) + " are read.\n" + R"(
Exit status: 0 no findings, 1 findings (on stdout), 2 usage or I/O error.
)";
  return text;
}

constexpr std::int64_t access_lifetime_limit = 3600;         // 1 hour
constexpr std::int64_t refresh_lifetime_limit = 30 * 86400;  // 30 days

class findings {
 public:
  void add(std::string_view id, std::string_view text) {
    lines_.push_back(std::string(id) + ": " + std::string(text));
  }
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  std::vector<std::string> lines_;
};

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The header and payload of a token the strict parser refused, read the way lax parsers read
// them (the last of duplicate members wins), so the other checks still run.
struct lax_token {
  nlohmann::json header;
  nlohmann::json payload;
};

std::optional<nlohmann::json> lax_object(std::string_view segment) {
  auto bytes = jot::base64url_decode(segment);
  if (!bytes || json_nesting(*bytes) > jot::default_max_json_depth) return std::nullopt;
  auto parsed = nlohmann::json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
  return parsed;
}

std::optional<lax_token> read_laxly(std::string_view token) {
  const std::size_t first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const std::size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  auto header = lax_object(token.substr(0, first));
  auto payload = lax_object(token.substr(first + 1, second - first - 1));
  if (!header || !payload) return std::nullopt;
  return lax_token{std::move(*header), std::move(*payload)};
}

// Which part holds the duplicate member, for the message.
std::string duplicate_location(std::string_view token) {
  const auto header = jot::base64url_decode(token.substr(0, token.find('.')));
  if (header && jot::parse_json_object(*header).error() == jot::errc::duplicate_member) {
    return "the header";
  }
  return "the payload";
}

// Seconds of a NumericDate (RFC 7519 §2), read by the library's own rule, or nullopt.
std::optional<std::int64_t> numeric_date(const nlohmann::json& value) {
  const auto date = jot::numeric_date(value);
  if (!date) return std::nullopt;
  return date->time_since_epoch().count();
}

std::optional<std::int64_t> date_claim(const nlohmann::json& payload, const char* claim) {
  const auto it = payload.find(claim);
  if (it == payload.end()) return std::nullopt;
  return numeric_date(*it);
}

bool string_equals_ignoring_case(const nlohmann::json& value, std::string_view expected) {
  return value.is_string() && lowercase(value.get_ref<const std::string&>()) == expected;
}

void check_header(const nlohmann::json& header, findings& out) {
  const auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string()) {
    out.add("bad-header", "the header has no string \"alg\" (jot rejects it: invalid_header)");
  } else if (lowercase(alg->get_ref<const std::string&>()) == "none") {
    out.add("alg-none",
            "alg is \"none\": the token is unsecured and anyone can forge it (RFC 8725 §2.1)");
  }
  for (const char* member : {"kid", "typ", "cty"}) {
    const auto it = header.find(member);
    if (it != header.end() && !it->is_string()) {
      out.add("bad-header", std::string("header member \"") + member +
                                "\" is not a string (jot rejects it: invalid_header)");
    }
  }
  for (const char* member : {"jku", "x5u", "jwk", "x5c"}) {
    if (header.contains(member)) {
      out.add("key-in-header", std::string("the header carries \"") + member +
                                   "\": a verifier must never fetch or trust a key the token "
                                   "names (RFC 8725 §3.10)");
    }
  }
}

bool is_refresh_token(const nlohmann::json& header, const nlohmann::json& payload) {
  if (const auto typ = header.find("typ"); typ != header.end() && typ->is_string()) {
    std::string type = lowercase(typ->get_ref<const std::string&>());
    if (type.rfind("application/", 0) == 0) type.erase(0, 12);
    if (type == "refresh+jwt") return true;
  }
  for (const char* claim : {"type", "token_type"}) {
    const auto it = payload.find(claim);
    if (it != payload.end() && string_equals_ignoring_case(*it, "refresh")) return true;
  }
  return false;
}

void check_registered_types(const nlohmann::json& payload, findings& out) {
  const auto wrong = [&out](const char* claim, const char* expected) {
    out.add("bad-claim-type", std::string("claim \"") + claim + "\" is not " + expected +
                                  " (jot rejects it: invalid_claim_type)");
  };
  for (const char* claim : {"iss", "sub", "jti"}) {
    const auto it = payload.find(claim);
    if (it != payload.end() && !it->is_string()) wrong(claim, "a string");
  }
  if (const auto aud = payload.find("aud"); aud != payload.end()) {
    const bool ok = aud->is_string() ||
                    (aud->is_array() && std::all_of(aud->begin(), aud->end(),
                                                    [](const auto& v) { return v.is_string(); }));
    if (!ok) wrong("aud", "a string or an array of strings");
  }
  for (const char* claim : {"exp", "nbf", "iat"}) {
    const auto it = payload.find(claim);
    if (it != payload.end() && !numeric_date(*it)) wrong(claim, "a NumericDate");
  }
}

void check_lifetime(const nlohmann::json& payload, bool refresh, std::int64_t now, findings& out) {
  const auto exp = date_claim(payload, "exp");
  if (!exp) return;
  std::int64_t start = now;
  const char* basis = "time left until exp";
  if (const auto iat = date_claim(payload, "iat")) {
    start = *iat;
    basis = "exp - iat";
  } else if (const auto nbf = date_claim(payload, "nbf")) {
    start = *nbf;
    basis = "exp - nbf";
  }
  const std::int64_t lifetime = *exp - start;
  const std::int64_t limit = refresh ? refresh_lifetime_limit : access_lifetime_limit;
  if (lifetime <= limit) return;
  out.add("long-lifetime", std::string(refresh ? "a refresh" : "an access") + " token living " +
                               std::to_string(lifetime) + " s (" + basis + "), over " +
                               (refresh ? "30 days" : "1 hour"));
}

// Every member name of the payload, nested objects and arrays included (depth <= 32: the payload
// was parsed with jot's depth limit or checked by json_nesting).
void check_claim_names(const nlohmann::json& value, const std::string& path, findings& out) {
  if (value.is_array()) {
    for (const auto& item : value) check_claim_names(item, path + "[]", out);
    return;
  }
  if (!value.is_object()) return;
  for (const auto& member : value.items()) {
    const std::string member_path = path.empty() ? member.key() : path + "." + member.key();
    switch (jot::classify_claim_name(member.key())) {
      case jot::claim_name_kind::sensitive:
        out.add("sensitive-claim", "claim " + json_quoted(member_path) +
                                       " is named for a secret or an identity number (jot's claims "
                                       "builder refuses it: sensitive_claim); a JWS payload is "
                                       "readable by anyone who holds the token (RFC 7519 §12)");
        break;
      case jot::claim_name_kind::personal:
        out.add("pii-claim", "claim " + json_quoted(member_path) +
                                 " is named for personal data; a JWS payload is readable by "
                                 "anyone who holds the token (RFC 7519 §12)");
        break;
      case jot::claim_name_kind::ordinary:
        break;
    }
    check_claim_names(member.value(), member_path, out);
  }
}

void check_claims(const nlohmann::json& header, const nlohmann::json& payload, std::int64_t now,
                  findings& out) {
  if (!header.contains("typ") && !payload.contains("type") && !payload.contains("token_type")) {
    out.add("missing-typ",
            "no typ header and no type claim: the token can be replayed where another kind of "
            "token is expected (RFC 8725 §3.11)");
  }
  check_registered_types(payload, out);
  if (!payload.contains("exp")) {
    out.add("missing-exp", "no exp: the token never expires (jot rejects it: missing_claim)");
  }
  const bool refresh = is_refresh_token(header, payload);
  check_lifetime(payload, refresh, now, out);
  if (refresh && !payload.contains("jti")) {
    out.add("refresh-without-jti",
            "a refresh token without jti cannot be revoked on its own or its reuse detected");
  }
  check_claim_names(payload, "", out);
}

}  // namespace

int audit_command(const command_arguments& argv) {
  if (wants_help(argv)) {
    print_text(help());
    return exit_ok;
  }
  const arguments args = parse_arguments(name, argv, {{"now", true, false}}, 0, 1);
  const std::int64_t now = args.value("now")
                               ? parse_integer(name, "now", *args.value("now"), 0, max_now_seconds)
                               : std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
  const std::string token = read_token(args, inspection_size_limit);

  findings out;
  if (token.size() > jot::default_max_token_size) {
    out.add("token-too-large", "the token is " + std::to_string(token.size()) +
                                   " bytes; jot's verifier refuses more than " +
                                   std::to_string(jot::default_max_token_size) + " by default");
  }
  auto decoded = jot::unverified::decode(token, inspection_size_limit);
  if (decoded) {
    check_header(decoded->header, out);
    check_claims(decoded->header, decoded->payload, now, out);
  } else if (decoded.error() != jot::errc::token_too_large) {
    const std::error_code error = decoded.error();
    if (error == jot::errc::duplicate_member) {
      out.add("duplicate-member", duplicate_location(token) +
                                      " repeats a member name, which parsers resolve "
                                      "differently (jot rejects it: duplicate_member)");
    } else {
      out.add("malformed", std::string(jot::errc_name(error)) + ": " + error.message());
    }
    if (auto lax = read_laxly(token)) {
      check_header(lax->header, out);
      check_claims(lax->header, lax->payload, now, out);
    }
  }
  for (const std::string& line : out.lines()) print_line(line);
  return out.lines().empty() ? exit_ok : exit_rejected;
}

}  // namespace jot_cli
