// Parsing the attacker's bytes: ATK-DUP-JSON, ATK-JSON-SYNTAX, ATK-B64URL, ATK-SEGMENTS,
// ATK-SIGN-ENC-CONFUSION, ATK-POLYGLOT and ATK-DOS. One byte string has one accepted spelling
// (RFC 7515 §2, RFC 4648 §3.5), JSON is strict (RFC 7515 §10.12, RFC 8725 §3.7), and every
// limit is checked before the work it bounds (RFC 8725 §2.9). Unless a row says otherwise the
// MAC is valid over exactly the bytes shown, so only the parsing rule can refuse the token.

#include <string>
#include <vector>

#include <jot/unverified.hpp>

#include "attack_support.hpp"
#include "verifier_setup.hpp"

using jot::algorithm;
using jot::errc;
using namespace jot_attack;

namespace {

// `json_object` with `members` (raw JSON text) added before its closing brace.
std::string extend(const std::string& json_object, const std::string& members) {
  return json_object.substr(0, json_object.size() - 1) + "," + members + "}";
}

// ---------------------------------------------------------------------------------------------
// ATK-DUP-JSON (RFC 7515 §4, RFC 7519 §4, RFC 8725 §2.6): parsers disagree on duplicates
// (nlohmann keeps the last, others the first), so a proxy and jot could read different claims.
// jot refuses duplicates at every depth, compared after unescaping.
std::vector<attack_case> duplicate_member_table() {
  std::vector<attack_case> cases;
  const auto verifier = verifier_for(secret_key(algorithm::hs256));
  const std::string p = payload();
  const struct {
    const char* name;
    std::string header;
  } headers[] = {
      {"alg twice, HS256 then none", R"({"alg":"HS256","alg":"none"})"},
      {"alg twice, none then HS256", R"({"alg":"none","alg":"HS256"})"},
      {"alg and an escaped \\u0061lg", R"({"alg":"HS256","\u0061lg":"none"})"},
      {"alg fully escaped, same value", R"({"\u0061\u006c\u0067":"HS256","alg":"HS256"})"},
      {"kid twice", R"({"alg":"HS256","kid":"a","kid":"b"})"},
      {"typ twice", R"({"alg":"HS256","typ":"JWT","typ":"at+jwt"})"},
      {"crit twice", R"({"alg":"HS256","crit":["x"],"x":1,"crit":[]})"},
      {"raw UTF-8 and escaped names", "{\"alg\":\"HS256\",\"\xc3\xa9\":1,\"\\u00e9\":2}"},
      {"a duplicate inside a nested object", R"({"alg":"HS256","x":{"a":1,"a":2}})"},
      {"a duplicate inside an object in an array", R"({"alg":"HS256","x":[{"a":1,"a":1}]})"},
  };
  for (const auto& h : headers) {
    cases.push_back(verify_case(std::string("header: ") + h.name, verifier, hmac_token(h.header, p),
                                errc::duplicate_member));
  }
  cases.push_back(verify_case("control: the same name in sibling objects of the header", verifier,
                              hmac_token(R"({"alg":"HS256","x":{"a":1},"y":{"a":1}})", p),
                              accepted));
  const std::string h = R"({"alg":"HS256"})";
  const std::string without_exp = payload({{"exp", nullptr}});
  const struct {
    const char* name;
    std::string payload;
  } payloads[] = {
      {"sub twice", extend(p, R"("sub":"admin")")},
      {"role twice, user then admin", extend(payload({{"role", "user"}}), R"("role":"admin")")},
      {"exp twice, expired then future",
       extend(without_exp, R"("exp":1600000000,"exp":1750003600)")},
      {"aud twice", extend(p, R"("aud":"https://other.example")")},
      {"iss twice", extend(p, R"("iss":"https://issuer.example")")},
      {"role and an escaped r\\u006fle", extend(p, R"("r\u006fle":"superuser")")},
      {"a duplicate in a nested claim", extend(p, R"("perm":{"admin":false,"admin":true})")},
  };
  for (const auto& c : payloads) {
    cases.push_back(verify_case(std::string("payload: ") + c.name, verifier,
                                hmac_token(h, c.payload), errc::duplicate_member));
  }
  cases.push_back(verify_case("control: the same name in sibling claim objects", verifier,
                              hmac_token(h, extend(p, R"("a":{"x":1},"b":{"x":1})")), accepted));
  return cases;
}
JOT_ATTACK_TABLE("ATK-DUP-JSON", duplicate_member_table,
                 "duplicate member names, escaped or nested, are refused in header and payload")

// ---------------------------------------------------------------------------------------------
// ATK-JSON-SYNTAX: header and payload are each one strict JSON object (RFC 8259, RFC 7515
// §10.12). nlohmann would skip a byte order mark and could accept comments; jot turns both off.
// Legal but unusual spellings (escapes, whitespace, an escaped NUL in a name) are accepted.
std::vector<attack_case> json_syntax_table() {
  std::vector<attack_case> cases;
  const auto verifier = verifier_for(secret_key(algorithm::hs256));
  const std::string p = payload();
  const std::string h = R"({"alg":"HS256"})";
  // Each malformed text, used once as the header and once as the payload (built around the
  // valid claims), with the MAC valid over it.
  const struct {
    const char* name;
    std::string header;
    std::string payload;
  } malformed[] = {
      {"trailing data", h + "x", p + "x"},
      {"two objects", h + R"({"alg":"none"})", p + "{}"},
      {"a UTF-8 byte order mark", "\xEF\xBB\xBF" + h, "\xEF\xBB\xBF" + p},
      {"NaN", R"({"alg":"HS256","x":NaN})", extend(p, R"("x":NaN)")},
      {"Infinity", R"({"alg":"HS256","x":Infinity})", extend(p, R"("x":Infinity)")},
      {"-Infinity", R"({"alg":"HS256","x":-Infinity})", extend(p, R"("x":-Infinity)")},
      {"a block comment", R"({"alg":"HS256"/*c*/})", extend(p, R"("x":1/*c*/)")},
      {"a line comment", "{\"alg\":\"HS256\"//c\n}", extend(p, "\"x\":1//c\n")},
      {"invalid UTF-8 (0xff)", "{\"alg\":\"HS256\",\"x\":\"\xff\"}", extend(p, "\"x\":\"\xff\"")},
      {"overlong UTF-8 for '/' (0xc0 0xaf)", "{\"alg\":\"HS256\",\"x\":\"\xc0\xaf\"}",
       extend(p, "\"x\":\"\xc0\xaf\"")},
      {"overlong UTF-8 NUL (0xc0 0x80)", "{\"alg\":\"HS256\",\"x\":\"\xc0\x80\"}",
       extend(p, "\"x\":\"\xc0\x80\"")},
      {"a surrogate encoded as UTF-8 (CESU-8)", "{\"alg\":\"HS256\",\"x\":\"\xed\xa0\x80\"}",
       extend(p, "\"x\":\"\xed\xa0\x80\"")},
      {"a truncated UTF-8 sequence", "{\"alg\":\"HS256\",\"x\":\"\xe2\x82\"}",
       extend(p, "\"x\":\"\xe2\x82\"")},
      // RFC 8259 §8.2: an unpaired surrogate names no character and has no UTF-8 form.
      {"a lone high surrogate escape", R"({"alg":"HS256","x":"\ud800"})",
       extend(p, R"("x":"\ud800")")},
      {"a lone low surrogate escape", R"({"alg":"HS256","x":"\udc00"})",
       extend(p, R"("x":"\udc00")")},
      {"a reversed surrogate pair", R"({"alg":"HS256","x":"\udc00\ud800"})",
       extend(p, R"("x":"\udc00\ud800")")},
      {"an array", R"(["HS256"])", "[" + p + "]"},
      {"a string", R"("HS256")", R"("admin")"},
      {"a number", "256", "1750003600"},
      {"null", "null", "null"},
      {"true", "true", "true"},
      {"empty", "", ""},
      {"whitespace only", " \r\n\t", " \r\n\t"},
      {"single quotes", "{'alg':'HS256'}", "{'sub':'admin'}"},
      {"a trailing comma", R"({"alg":"HS256",})", p.substr(0, p.size() - 1) + ",}"},
      {"an unquoted name", R"({alg:"HS256"})", extend(p, R"(x:1)")},
      {"a raw control character in a string", "{\"alg\":\"HS256\",\"x\":\"a\x01\"}",
       extend(p, "\"x\":\"a\x01\"")},
      {"a raw NUL in a string", std::string("{\"alg\":\"HS256\",\"x\":\"a\0\"}", 24),
       extend(p, std::string("\"x\":\"a\0\"", 8))},
      // RFC 8259 §2: no raw NUL anywhere. nlohmann's lexer reads one as the end of input, so
      // without a check of its own the second object would be trailing data nobody sees.
      {"a raw NUL, then a second object", h + std::string(1, '\0') + R"({"alg":"none"})",
       p + std::string(1, '\0') + R"({"sub":"admin"})"},
      {"a trailing raw NUL", h + std::string(1, '\0'), p + std::string(1, '\0')},
      {"a raw NUL between members", std::string("{\"alg\":\"HS256\"\0,\"x\":1}", 23),
       extend(p, std::string("\"x\":1\0", 6))},
      {"a number with a leading zero", R"({"alg":"HS256","x":01})", extend(p, R"("x":01)")},
      {"a hexadecimal number", R"({"alg":"HS256","x":0x10})", extend(p, R"("x":0x10)")},
      {"a number with a plus sign", R"({"alg":"HS256","x":+1})", extend(p, R"("x":+1)")},
      {"an unterminated object", R"({"alg":"HS256")", p.substr(0, p.size() - 1)},
      {"a number beyond a double (1e400)", R"({"alg":"HS256","x":1e400})",
       extend(p, R"("x":1e400)")},
      {"a number beyond a double (-1e400)", R"({"alg":"HS256","x":-1e400})",
       extend(p, R"("x":-1e400)")},
  };
  for (const auto& m : malformed) {
    cases.push_back(verify_case(std::string("header: ") + m.name, verifier, hmac_token(m.header, p),
                                errc::invalid_json));
    cases.push_back(verify_case(std::string("payload: ") + m.name, verifier,
                                hmac_token(h, m.payload), errc::invalid_json));
  }
  const struct {
    const char* name;
    std::string header;
    std::string payload;
  } legal[] = {
      {"an escaped alg value (\\u0048S256)", R"({"alg":"\u0048S256"})", p},
      {"whitespace and CRLF around members", "{ \"alg\" :\r\n\t\"HS256\" }\r\n", p},
      {"an escaped NUL inside a member name", R"({"alg":"HS256","a\u0000":1})",
       extend(p, R"("a\u0000":1)")},
      {"a valid surrogate pair", R"({"alg":"HS256","x":"\ud83d\ude00"})",
       extend(p, R"("x":"\ud83d\ude00")")},
      {"raw multi-byte UTF-8", "{\"alg\":\"HS256\",\"x\":\"\xe2\x82\xac\"}",
       extend(p, "\"x\":\"\xe2\x82\xac\"")},
  };
  for (const auto& l : legal) {
    cases.push_back(verify_case(std::string("control: ") + l.name, verifier,
                                hmac_token(l.header, l.payload), accepted));
  }
  return cases;
}
JOT_ATTACK_TABLE("ATK-JSON-SYNTAX", json_syntax_table,
                 "header and payload must each be exactly one strict JSON object")

// ---------------------------------------------------------------------------------------------
// ATK-B64URL (RFC 7515 §2, RFC 4648 §3.5; jsrsasign CVE-2022-25898): padding, the standard
// alphabet, whitespace, a 4n+1 length, non-zero unused bits and stray characters, in each of the
// three segments. For the header and payload the MAC is recomputed over the re-spelled text, so a
// lenient decoder (which sees the same bytes) would accept the token.

// Base64url text of `json` whose length is 2 or 3 mod 4 (so it has unused bits) and which holds
// both '-' and '_' (so the standard alphabet differs), found by padding a string member.
std::string awkward_segment(const std::function<std::string(const std::string&)>& json_with) {
  for (int length = 0; length < 200; ++length) {
    const std::string text =
        b64(json_with(std::string(static_cast<std::size_t>(length), '?') + "~~>"));
    if (text.size() % 4 >= 2 && text.find('-') != std::string::npos &&
        text.find('_') != std::string::npos) {
      return json_with(std::string(static_cast<std::size_t>(length), '?') + "~~>");
    }
  }
  FAIL("no awkward spelling found");
  return {};
}

std::vector<std::pair<std::string, std::string>> respellings(const std::string& segment) {
  REQUIRE(segment.size() % 4 >= 2);
  const std::size_t middle = segment.size() / 2;
  const auto inserted = [&](std::string_view what) {
    return segment.substr(0, middle) + std::string(what) + segment.substr(middle);
  };
  std::string standard = segment;
  for (char& c : standard) c = c == '-' ? '+' : c == '_' ? '/' : c;
  std::string trailing_bits = segment;
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  trailing_bits.back() = alphabet[alphabet.find(segment.back()) + 1];  // unused low bit set
  std::string too_long = segment;
  while (too_long.size() % 4 != 1) too_long += 'A';
  return {
      {"padded with '='", segment + std::string(4 - segment.size() % 4, '=')},
      {"the standard alphabet ('+' and '/')", standard},
      {"non-zero unused bits in the last character", trailing_bits},
      {"a length of 4n+1", too_long},
      {"a space inside", inserted(" ")},
      {"a line feed inside", inserted("\n")},
      {"a CRLF inside", inserted("\r\n")},
      {"a tab inside", inserted("\t")},
      {"a '*' inside", inserted("*")},
      {"a NUL inside", inserted(std::string(1, '\0'))},
      {"a non-ASCII character inside", inserted("\xc3\xa9")},
  };
}

std::vector<attack_case> base64url_table() {
  std::vector<attack_case> cases;
  const auto verifier = verifier_for(secret_key(algorithm::hs256));
  const std::string header = awkward_segment([](const std::string& v) {
    return json{{"alg", "HS256"}, {"x", v}}.dump();
  });
  const std::string body = awkward_segment([](const std::string& v) {
    return payload({{"x", v}});
  });
  // A MAC whose encoding holds '-' or '_', found by varying jti.
  std::string token;
  for (int i = 0; token.empty() && i < 1000; ++i) {
    const std::string candidate = hmac_token(header, extend(body, R"("n":)" + std::to_string(i)));
    const std::string mac = segments_of(candidate)[2];
    if (mac.find_first_of("-_") != std::string::npos) token = candidate;
  }
  REQUIRE_FALSE(token.empty());
  cases.push_back(verify_case("control: the canonical token", verifier, token, accepted));
  const char* segment_names[] = {"header", "payload", "signature"};
  for (std::size_t index = 0; index < 3; ++index) {
    for (const auto& [name, text] : respellings(segments_of(token)[index])) {
      cases.push_back(verify_case(std::string(segment_names[index]) + ": " + name, verifier,
                                  respell(token, index, text, index < 2), errc::invalid_base64));
    }
  }
  const struct {
    const char* name;
    std::string token;
  } wrapped[] = {
      {"a leading space", " " + token},
      {"a trailing line feed", token + "\n"},
      {"a trailing CRLF", token + "\r\n"},
      {"a Bearer prefix (stripping it is the caller's job)", "Bearer " + token},
      {"a NUL appended", token + std::string(1, '\0')},
  };
  for (const auto& w : wrapped) {
    cases.push_back(
        verify_case(std::string("token: ") + w.name, verifier, w.token, errc::invalid_base64));
  }
  return cases;
}
JOT_ATTACK_TABLE("ATK-B64URL", base64url_table,
                 "each segment must be canonical unpadded base64url, even with a valid MAC")

// ---------------------------------------------------------------------------------------------
// ATK-SEGMENTS (RFC 7515 §7.1; go-jose CVE-2025-27144, golang-jwt CVE-2025-30204): exactly two
// dots, counted once; a JSON serialization is not compact; empty segments are empty JSON.
std::vector<attack_case> segments_table() {
  std::vector<attack_case> cases;
  const auto verifier = verifier_for(secret_key(algorithm::hs256));
  const std::string token = hmac_token(R"({"alg":"HS256"})", payload());
  const auto parts = segments_of(token);
  const std::string& h = parts[0];
  const std::string& p = parts[1];
  const std::string& s = parts[2];
  const struct {
    const char* name;
    std::string token;
    errc expected;
  } rows[] = {
      {"empty", "", errc::malformed_token},
      {"one dot", ".", errc::malformed_token},
      {"two dots: three empty segments (an empty header)", "..", errc::invalid_json},
      {"three dots", "...", errc::malformed_token},
      {"four dots (the JWE shape)", "....", errc::encrypted_token},
      {"five dots", ".....", errc::malformed_token},
      {"six dots", "......", errc::malformed_token},
      {"one segment", h, errc::malformed_token},
      {"two segments", h + "." + p, errc::malformed_token},
      {"three segments and a trailing dot", token + ".", errc::malformed_token},
      {"four segments", token + "." + s, errc::malformed_token},
      {"five segments (the JWE shape)", token + "." + s + "." + s, errc::encrypted_token},
      {"six segments", token + "." + s + "." + s + "." + s, errc::malformed_token},
      {"an empty header segment", "." + p + "." + s, errc::invalid_json},
      {"an empty payload segment, MAC valid over it", hmac_token(R"({"alg":"HS256"})", ""),
       errc::invalid_json},
      {"the flattened JSON serialization (RFC 7515 §7.2.2)",
       json{{"protected", h}, {"payload", p}, {"signature", s}}.dump(), errc::malformed_token},
      {"the general JSON serialization (RFC 7515 §7.2.1)",
       json{{"payload", p}, {"signatures", {{{"protected", h}, {"signature", s}}}}}.dump(),
       errc::malformed_token},
  };
  cases.push_back(verify_case("control: a three-segment token", verifier, token, accepted));
  for (const auto& row : rows) {
    cases.push_back(verify_case(row.name, verifier, row.token, row.expected));
  }
  return cases;
}
JOT_ATTACK_TABLE("ATK-SEGMENTS", segments_table,
                 "only a compact JWS of exactly three segments is parsed")

// ---------------------------------------------------------------------------------------------
// ATK-SIGN-ENC-CONFUSION (json-jwt CVE-2023-51774, jwcrypto CVE-2022-3102): anyone can encrypt
// admin claims to the server's public key. jot's JWE code lives apart (<jot/jwe.hpp>) and never
// runs inside a verifier: a JWE is refused by its shape (five segments, encrypted_token) or by its
// header (enc, RFC 7516 §4.1.2).
std::vector<attack_case> sign_encrypt_confusion_table() {
  std::vector<attack_case> cases;
  EVP_PKEY* rsa = test_key("rsa");
  const auto rs = verifier_for(public_key(algorithm::rs256, rsa));
  const auto hs = verifier_for(secret_key(algorithm::hs256));
  const std::string inner = hmac_token(R"({"alg":"HS256"})", payload({{"role", "superuser"}}));
  const std::string jwe = compact_jwe(rsa, inner);
  const auto parts = segments_of(jwe);
  REQUIRE(parts.size() == 5);
  cases.push_back(verify_case("a JWE encrypted to the verifier's RSA key (RS256 verifier)", rs, jwe,
                              errc::encrypted_token));
  cases.push_back(verify_case("the same JWE (HS256 verifier)", hs, jwe, errc::encrypted_token));
  cases.push_back(verify_case("its first three segments as a JWS (enc in the header)", rs,
                              parts[0] + "." + parts[1] + "." + parts[2], errc::invalid_header));
  const std::string junk = b64(random_bytes(32));
  cases.push_back(verify_case("alg dir, enc A128GCM, three segments", hs,
                              b64(R"({"alg":"dir","enc":"A128GCM"})") + "." + junk + "." + junk,
                              errc::invalid_header));
  cases.push_back(verify_case("alg HS256 with enc A256GCM, MAC valid", hs,
                              hmac_token(R"({"alg":"HS256","enc":"A256GCM"})", payload()),
                              errc::invalid_header));
  cases.push_back(verify_case("alg RSA-OAEP without enc, three segments", rs,
                              b64(R"({"alg":"RSA-OAEP"})") + "." + b64(payload()) + "." + junk,
                              errc::algorithm_not_allowed));
  cases.push_back(call_case(
      "unverified decoding refuses the JWE as well", [jwe] { return jot::unverified::decode(jwe); },
      errc::encrypted_token, token_sensitive(jwe)));
  return cases;
}
JOT_ATTACK_TABLE("ATK-SIGN-ENC-CONFUSION", sign_encrypt_confusion_table,
                 "a JWE is never taken for a JWS, whatever key it was encrypted to")

// ---------------------------------------------------------------------------------------------
// ATK-POLYGLOT (python-jwt CVE-2022-39227): one string read as JSON serialization by the
// signature check and as compact by the claims reader. jot has one parser, for compact only,
// and its alphabet excludes every JSON character.
std::vector<attack_case> polyglot_table() {
  std::vector<attack_case> cases;
  const auto verifier = verifier_for(secret_key(algorithm::hs256));
  const std::string token = hmac_token(R"({"alg":"HS256"})", payload({{"role", "user"}}));
  const auto parts = segments_of(token);
  const std::string forged = b64(payload({{"role", "admin"}}));
  const struct {
    const char* name;
    std::string text;
    errc expected;
  } rows[] = {
      {"the CVE-2022-39227 shape: forged compact text as a JSON member name",
       R"({"  )" + parts[0] + "." + forged + R"(.":"","protected":")" + parts[0] +
           R"(","payload":")" + parts[1] + R"(","signature":")" + parts[2] + R"("})",
       errc::invalid_base64},
      {"forged header and payload, then the JSON serialization as the signature",
       parts[0] + "." + forged + "." +
           json{{"protected", parts[0]}, {"payload", parts[1]}, {"signature", parts[2]}}.dump(),
       errc::invalid_base64},
      {"the genuine token with a JSON object appended", token + json{{"payload", forged}}.dump(),
       errc::invalid_base64},
      {"the genuine token as a JSON string", "\"" + token + "\"", errc::invalid_base64},
      {"a flattened JSON serialization carrying the forged payload",
       json{{"protected", parts[0]}, {"payload", forged}, {"signature", parts[2]}}.dump(),
       errc::malformed_token},
      {"the forged payload with the genuine signature", parts[0] + "." + forged + "." + parts[2],
       errc::invalid_signature},
  };
  cases.push_back(verify_case("control: the genuine token", verifier, token, accepted));
  for (const auto& row : rows) {
    cases.push_back(verify_case(row.name, verifier, row.text, row.expected));
  }
  return cases;
}
JOT_ATTACK_TABLE("ATK-POLYGLOT", polyglot_table,
                 "compact and JSON serializations never mix: one parse, one reading")

// The other half of ATK-POLYGLOT: the claims jot returns are the bytes whose signature held.
TEST_CASE("the claims of a verified token are exactly the payload bytes that were signed",
          "[attacks][ATK-POLYGLOT]") {
  const auto verifier = verifier_for(secret_key(algorithm::hs256));
  const std::string text = payload({{"role", "user"}, {"x", {{"nested", {1, 2, 3}}}}});
  const auto verified = verifier.verify(hmac_token(R"({"alg":"HS256"})", text));
  REQUIRE(verified);
  CHECK(verified->claims().json() == json::parse(text));
  CHECK(verified->claims().find("role")->get<std::string>() == "user");
}

// ---------------------------------------------------------------------------------------------
// ATK-DOS (Nimbus CVE-2025-53864, json-smart CVE-2023-1370, nlohmann #5387): each limit is
// checked before the work it bounds. The size cap (8 KiB) comes before any decoding, so a 2 MB
// token costs one comparison; the depth cap (32) stops the parser at the first level too many,
// so a 100 000-deep array is never built; a payload is never parsed before its signature holds.
// Times are not asserted: the error code says which check stopped the token.
std::vector<attack_case> dos_table() {
  std::vector<attack_case> cases;
  const auto strict = verifier_for(secret_key(algorithm::hs256));
  jot_test::verifier_setup roomy = policy();
  roomy.add_key(secret_key(algorithm::hs256)).allow_token_size(1024 * 1024);
  const auto large = build(roomy);
  const std::string h = R"({"alg":"HS256"})";
  const std::string deep_array = std::string(100000, '[') + std::string(100000, ']');
  std::string deep_object;
  for (int i = 0; i < 100000; ++i) deep_object += R"({"a":)";
  deep_object += "1" + std::string(100000, '}');
  const std::string deep_payload = extend(payload(), R"("x":)" + deep_array);
  const std::string deep_header = R"({"alg":"HS256","x":)" + deep_array + "}";

  cases.push_back(
      verify_case("a 2 MB token", strict,
                  hmac_token(h, extend(payload(), R"("x":")" + std::string(2000000, 'a') + "\"")),
                  errc::token_too_large));
  cases.push_back(
      verify_case("100 000 dots", strict, std::string(100000, '.'), errc::token_too_large));
  cases.push_back(verify_case("100 000 dots, size cap raised to 1 MiB", large,
                              std::string(100000, '.'), errc::malformed_token));
  cases.push_back(verify_case("a 100 000-deep array in the payload", strict,
                              hmac_token(h, deep_payload), errc::token_too_large));
  cases.push_back(verify_case("a 100 000-deep array in the payload, size cap raised", large,
                              hmac_token(h, deep_payload), errc::json_too_deep));
  cases.push_back(verify_case("a 100 000-deep object in the payload, size cap raised", large,
                              hmac_token(h, extend(payload(), R"("x":)" + deep_object)),
                              errc::json_too_deep));
  // Before the signature the payload is never parsed: a forged bomb costs one MAC.
  cases.push_back(verify_case("a 100 000-deep payload with a forged MAC, size cap raised", large,
                              hmac_token(h, deep_payload, attacker_secret),
                              errc::invalid_signature));
  // The header is parsed before any key or crypto: a bomb there never reaches the MAC.
  cases.push_back(verify_case("a 100 000-deep array in the header, size cap raised", large,
                              sign_raw(deep_header, payload(), no_signature{}),
                              errc::json_too_deep));
  // The default depth is 32 levels, the claims object included.
  cases.push_back(verify_case(
      "control: 31 nested arrays in a claim (32 levels)", strict,
      hmac_token(h, extend(payload(), R"("x":)" + std::string(31, '[') + std::string(31, ']'))),
      accepted));
  cases.push_back(verify_case(
      "32 nested arrays in a claim (33 levels)", strict,
      hmac_token(h, extend(payload(), R"("x":)" + std::string(32, '[') + std::string(32, ']'))),
      errc::json_too_deep));
  // The caps themselves are bounded, so a configuration cannot switch them off.
  cases.push_back(call_case(
      "a size cap above 16 MiB",
      [] { return policy().allow_token_size(16 * 1024 * 1024 + 1).build(); },
      errc::invalid_argument));
  cases.push_back(call_case(
      "a depth cap above 256", [] { return policy().allow_json_depth(257).build(); },
      errc::invalid_argument));
  cases.push_back(call_case(
      "a depth cap of 0", [] { return policy().allow_json_depth(0).build(); },
      errc::invalid_argument));
  return cases;
}
JOT_ATTACK_TABLE("ATK-DOS", dos_table,
                 "size and depth bombs are stopped by a cap before the work they would cause")

}  // namespace
