#pragma once

// The attack suite's table machinery. Each attack class of the catalog (ATK-* ids, see
// docs/security.md) has one or more tables of cases; a case is one attempt (verify a token, make
// a key, load a JWKS ...) with the exact outcome jot owes it: a specific errc, or acceptance
// where a control row proves that the rejections around it are not an accident of set-up.
//
// Tables register themselves, so that one test (hygiene_test.cpp) can replay every rejection of
// the suite and check that no error message repeats what the attacker sent or what we hold.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <jot/jot.hpp>

#include "attack_keys.hpp"
#include "catch.hpp"
#include "json_edit.hpp"
#include "raw_token.hpp"
#include "verifier_setup.hpp"

namespace jot_attack {

using nlohmann::json;

// ---- The victim's world: one clock, one issuer, one audience, one HMAC secret.

constexpr std::int64_t now = 1750000000;
inline const std::string issuer = "https://issuer.example";
inline const std::string audience = "https://api.example";
// 64 bytes: long enough for HS512 (RFC 7518 §3.2), and distinctive, so that the hygiene test
// would spot any of it in an error message.
inline const std::string victim_secret =
    "victim-secret/2f9c41d7b3e05a68c1f0e9d2b7a4c3e1f6d5a4b3c2d1e0f9a8";
inline const std::string attacker_secret =
    "attacker-secret/8e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3";

inline std::chrono::system_clock::time_point at(std::int64_t unix_seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds));
}

// The claims of an admin token valid at `now`, with `changes` merged in (jot_test::json_with).
inline json claims(const json& changes = json::object()) {
  return jot_test::json_with({{"iss", issuer},
                              {"sub", "user-42-mallory"},
                              {"aud", audience},
                              {"iat", now - 60},
                              {"exp", now + 3600},
                              {"role", "admin"},
                              {"jti", "jti-7f3a9c"}},
                             changes);
}
inline std::string payload(const json& changes = json::object()) { return claims(changes).dump(); }

inline std::string b64(std::string_view bytes) { return jot::base64url_encode(bytes); }

// Tokens over exactly these JSON texts are made by jot_test::sign_raw, signed by OpenSSL
// (attack_keys.hpp) rather than by jot: a jot signing bug cannot hide a verifying one.
using jot_test::no_signature;
using jot_test::sign_raw;
using jot_test::signing_input;

// A compact token whose MAC is HMAC(digest, key, exactly these JSON texts).
inline std::string hmac_token(std::string_view header_json, std::string_view payload_json,
                              std::string_view key = victim_secret, const char* digest = "SHA256") {
  return sign_raw(header_json, payload_json,
                  [&](std::string_view input) { return hmac(digest, key, input); });
}

// A compact token signed by `key` for `alg` over exactly these JSON texts.
inline std::string signed_token(EVP_PKEY* key, jot::algorithm alg, std::string_view header_json,
                                std::string_view payload_json) {
  return sign_raw(header_json, payload_json,
                  [&](std::string_view input) { return sign_jws(key, alg, input); });
}

// The three segments of a compact token (or fewer/more, split at every dot).
inline std::vector<std::string> segments_of(std::string_view token) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = token.find('.', start);
    out.emplace_back(token.substr(start, dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

// The token with segment `index` replaced by `text`, and, when `remac` is set, the HMAC-SHA256
// under the victim secret recomputed over the new signing input: only jot's decoding strictness
// can then tell the forgery from a genuine token.
inline std::string respell(std::string_view token, std::size_t index, std::string_view text,
                           bool remac) {
  auto parts = segments_of(token);
  REQUIRE(parts.size() == 3);
  parts[index] = std::string(text);
  if (remac) {
    const std::string input = parts[0] + "." + parts[1];
    parts[2] = b64(hmac("SHA256", victim_secret, input));
  }
  return parts[0] + "." + parts[1] + "." + parts[2];
}

// ---- Verifiers and keys, made through jot's public API.

// The victim's policy: a pinned clock, and the issuer and audience of RFC 7519 §4.1.1 / §4.1.3.
inline jot_test::verifier_setup policy() {
  jot_test::verifier_setup builder;
  builder.allow_custom_clock([] { return at(now); })
      .expect_issuer(issuer)
      .expect_audience(audience);
  return builder;
}

inline jot::verifier build(const jot_test::verifier_setup& builder) {
  auto verifier = builder.build();
  INFO("verifier_builder::build: "
       << Catch::StringMaker<std::error_code>::convert(verifier.error()));
  REQUIRE(verifier);
  return *verifier;
}

inline jot::verification_key public_key(jot::algorithm alg, EVP_PKEY* key, std::string kid = {}) {
  auto made = jot::verification_key::from_pem(alg, pem_spki(key));
  REQUIRE(made);
  if (kid.empty()) return *made;
  return made->with_key_id(std::move(kid)).value();
}

inline jot::verification_key secret_key(jot::algorithm alg, std::string_view secret = victim_secret,
                                        std::string kid = {}) {
  auto made = jot::verification_key::hmac(alg, jot::secret_bytes(secret));
  REQUIRE(made);
  if (kid.empty()) return *made;
  return made->with_key_id(std::move(kid)).value();
}

inline jot::verifier verifier_for(jot::verification_key key,
                                  jot_test::verifier_setup builder = policy()) {
  builder.add_key(std::move(key));
  return build(builder);
}

// ---- Cases and tables.

// What one attempt produced: the error (empty when accepted) and, for a rejection, what() of
// the jot::error that value() throws for it.
struct outcome {
  std::error_code code;
  std::string what;
};

template <typename T>
outcome capture(const jot::result<T>& result) {
  outcome out{result.error(), {}};
  if (!result) {
    try {
      (void)result.value();
    } catch (const jot::error& e) {
      out.what = e.what();
    }
  }
  return out;
}

struct attack_case {
  std::string name;
  std::optional<jot::errc> expected;  // nullopt: must be accepted
  std::function<outcome()> attempt;
  // What no error message may contain: the token, its segments, decoded header and claim
  // values, key material and secrets.
  std::vector<std::string> sensitive;
};

constexpr std::optional<jot::errc> accepted = std::nullopt;

inline std::error_code expected_code(const std::optional<jot::errc>& expected) {
  return expected ? jot::make_error_code(*expected) : std::error_code{};
}

namespace detail {
inline void collect_values(const json& value, std::vector<std::string>& out) {
  if (value.is_object() || value.is_array()) {
    for (const auto& item : value) collect_values(item, out);
  } else if (value.is_string()) {
    out.push_back(value.get<std::string>());
  } else if (!value.is_null()) {
    out.push_back(value.dump());
  }
}
}  // namespace detail

// The token text, each segment, each decoded segment and every value inside a decodable JSON
// header or payload (parsed leniently: a rejected duplicate still has values to protect).
inline std::vector<std::string> token_sensitive(std::string_view token) {
  std::vector<std::string> out{std::string(token)};
  const auto parts = segments_of(token);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    out.push_back(parts[i]);
    auto decoded = jot::base64url_decode(parts[i]);
    if (!decoded) continue;
    out.push_back(*decoded);
    if (i < 2 && decoded->size() < (1u << 20) && jot::detail::json_text_nesting(*decoded) <= 64) {
      const auto parsed = json::parse(*decoded, nullptr, /*allow_exceptions=*/false);
      if (!parsed.is_discarded()) detail::collect_values(parsed, out);
    }
  }
  return out;
}

// A verification attempt. `secrets` adds key material to what must not leak.
inline attack_case verify_case(std::string name, const jot::verifier& verifier, std::string token,
                               std::optional<jot::errc> expected,
                               std::vector<std::string> secrets = {}) {
  auto sensitive = token_sensitive(token);
  sensitive.push_back(victim_secret);
  sensitive.push_back(attacker_secret);
  sensitive.insert(sensitive.end(), secrets.begin(), secrets.end());
  return {std::move(name), expected,
          [verifier, token = std::move(token)] { return capture(verifier.verify(token)); },
          std::move(sensitive)};
}

// Any other attempt that returns a jot::result (make a key, load a JWKS, build a verifier).
template <typename Attempt>
attack_case call_case(std::string name, Attempt attempt, std::optional<jot::errc> expected,
                      std::vector<std::string> sensitive = {}) {
  sensitive.push_back(victim_secret);
  sensitive.push_back(attacker_secret);
  return {std::move(name), expected, [attempt] { return capture(attempt()); },
          std::move(sensitive)};
}

using table_maker = std::vector<attack_case> (*)();

struct table_entry {
  std::string_view id;  // the ATK-* class
  std::string_view name;
  table_maker make;
};

inline std::vector<table_entry>& registry() {
  static std::vector<table_entry> tables;
  return tables;
}

struct table_registration {
  table_registration(std::string_view id, std::string_view name, table_maker make) {
    registry().push_back({id, name, make});
  }
};

inline void check_table(const std::vector<attack_case>& cases) {
  REQUIRE_FALSE(cases.empty());
  for (const auto& c : cases) {
    INFO("case: " << c.name);
    const outcome out = c.attempt();
    CHECK(out.code == expected_code(c.expected));
  }
}

}  // namespace jot_attack

#define JOT_ATTACK_CAT2(a, b) a##b
#define JOT_ATTACK_CAT(a, b) JOT_ATTACK_CAT2(a, b)

// Registers `make` as a table of attack class `id` and runs it as the test case `description`,
// tagged [attacks][<id>] (so `jot_attack_tests "[ATK-KID]"` runs one class). The registration is
// named with __COUNTER__, not __LINE__: the suite is one unity translation unit, where tables of
// two files can stand on the same line.
#define JOT_ATTACK_TABLE(id, make, description)                                                 \
  static const ::jot_attack::table_registration JOT_ATTACK_CAT(jot_attack_table_, __COUNTER__){ \
      id, #make, &make};                                                                        \
  TEST_CASE(description, "[attacks][" id "]") { ::jot_attack::check_table(make()); }
