// Fuzz target: the claims builder, then the encoder and the verifier: a differential round trip
// for every algorithm.
//
// Input: a control byte (the algorithm, modulo 15, whose fixed key signs), 8 bytes for the
// builder's clock, then up to 24 builder calls, each a kind byte and its arguments (see
// read_call). A model builds the payload it expects next to the real builder.
//
// Invariants:
//  - build() fails exactly when the model says, with the model's errc (the first error wins,
//    then missing_expiration, then nbf >= exp); a string or name that is not UTF-8 fails the call
//    that adds it (invalid_argument); the one check the model leaves to jot, sensitive names,
//    must go away when every name, nested member names included, is allowed;
//  - a built claim set is exactly the model's payload;
//  - the encoder signs it (the builder let no string through that is not UTF-8), and the payload
//    it signs is byte for byte nlohmann's dump() of the model's payload: the builder's claims are
//    written without a JSON object (detail/claim_set.hpp), signed before anything reads them; an
//    HMAC token's MAC is OpenSSL's one-shot HMAC (EVP_Q_mac) of its signing input;
//  - the verifier, given the builder's clock, accepts the token, or rejects it with exactly the
//    errc the model's exp / nbf / iat call for; an accepted token carries exactly the built
//    claims, and its issuer and audience satisfy expect_issuer / expect_audience while a
//    different issuer is issuer_mismatch.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

#include "fixed_keys.hpp"
#include "fuzz_support.hpp"
#include "verifier_setup.hpp"

#include <jot/jot.hpp>
#include <jot/unverified.hpp>

namespace {

using std::chrono::seconds;
using std::chrono::system_clock;
using json = nlohmann::json;

enum call_kind : std::uint8_t {
  set_issuer,
  set_subject,
  set_jwt_id,
  set_audience,
  set_audience_list,
  set_expires_in,
  set_expires_at,
  set_without_expiration,
  set_not_before,
  set_issued_at,
  set_without_issued_at,
  set_claim,
  set_allow_sensitive,
  call_kinds,
};

struct call {
  call_kind kind = set_issuer;
  std::string text;  // a name or a string value
  std::vector<std::string> list;
  std::int64_t offset = 0;  // seconds, from the builder's clock
  json value;
};

// Offsets reach ±2^40 s (±34 000 years): past both ends of NumericDate (0 .. 253402300799),
// and never near int64 overflow in the model.
std::int64_t read_offset(jot_fuzz::input_reader& input) {
  return static_cast<std::int64_t>(input.u64() % (std::uint64_t{1} << 41)) -
         (std::int64_t{1} << 40);
}

json read_value(jot_fuzz::input_reader& input, int depth) {
  const int kind = input.byte() % (depth < 4 ? 8 : 6);
  switch (kind) {
    case 0:
      return nullptr;
    case 1:
      return (input.byte() & 1) != 0;
    case 2:
      return input.i64();
    case 3:
      return input.u64();
    case 4:
      return input.f64();  // NaN and infinities included: the builder must refuse them
    case 5:
      return input.text();
    case 6: {
      json array = json::array();
      for (int n = input.byte() % 4; n > 0; --n) array.push_back(read_value(input, depth + 1));
      return array;
    }
    default: {
      json object = json::object();
      for (int n = input.byte() % 4; n > 0; --n) {
        std::string name = input.text();
        object[name] = read_value(input, depth + 1);
      }
      return object;
    }
  }
}

call read_call(jot_fuzz::input_reader& input) {
  call c;
  c.kind = static_cast<call_kind>(input.byte() % call_kinds);
  switch (c.kind) {
    case set_issuer:
    case set_subject:
    case set_jwt_id:
    case set_audience:
    case set_allow_sensitive:
      c.text = input.text();
      break;
    case set_audience_list:
      for (int n = input.byte() % 4; n > 0; --n) c.list.push_back(input.text());
      break;
    case set_expires_in:
      c.offset = input.i64();  // any lifetime, up to seconds::max(): none may overflow
      break;
    case set_expires_at:
    case set_not_before:
    case set_issued_at:
      c.offset = read_offset(input);
      break;
    case set_claim:
      c.text = input.text();
      c.value = read_value(input, 0);
      break;
    default:
      break;
  }
  return c;
}

// JSON has no NaN or infinity: a value holding one anywhere is refused.
bool has_non_finite_number(const json& value) {
  if (value.is_number_float()) return !std::isfinite(value.get<double>());
  if (!value.is_structured()) return false;  // a primitive iterates as itself
  for (const auto& child : value) {
    if (has_non_finite_number(child)) return true;
  }
  return false;
}

bool dumps_as_utf8(const json& value) {
  try {
    (void)value.dump(-1, ' ', false, json::error_handler_t::strict);
    return true;
  } catch (const json::type_error&) {
    return false;
  }
}

// Every member name inside `value`, for the run that allows them all.
void collect_member_names(const json& value, std::vector<std::string>& out) {
  if (value.is_object()) {
    for (const auto& [name, child] : value.items()) {
      out.push_back(name);
      collect_member_names(child, out);
    }
  } else if (value.is_array()) {
    for (const auto& child : value) collect_member_names(child, out);
  }
}

bool is_string_list(const json& value) {
  return value.is_array() &&
         std::all_of(value.begin(), value.end(), [](const json& item) { return item.is_string(); });
}

bool is_reserved(std::string_view name) {
  // RFC 7519 §4.1 registered claims, then the JOSE header parameters of RFC 7515 §4.1,
  // RFC 7516 §4.1 and RFC 7797 §3.
  for (std::string_view reserved :
       {"iss", "sub", "aud", "exp",      "nbf", "iat", "jti",  "alg", "jku", "jwk", "kid",
        "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc", "zip", "b64"}) {
    if (name == reserved) return true;
  }
  return false;
}

// What the builder should produce: the payload, or the first error.
struct model {
  json payload = json::object();
  std::optional<jot::errc> error;
  bool expiry_decided = false;

  void fail(jot::errc code) {
    if (!error) error = code;
  }
  void set_date(const char* name, std::int64_t now, std::int64_t offset) {
    std::int64_t when = 0;
    if (__builtin_add_overflow(now, offset, &when) || when < 0 || when > jot::max_numeric_date) {
      fail(jot::errc::invalid_argument);
    } else {
      payload[name] = when;
    }
  }

  void set_text(const char* name, const std::string& text) {
    if (!dumps_as_utf8(json(text))) {
      fail(jot::errc::invalid_argument);
    } else {
      payload[name] = text;
    }
  }

  void apply(const call& c, std::int64_t now) {
    switch (c.kind) {
      case set_issuer:
        set_text("iss", c.text);
        break;
      case set_subject:
        set_text("sub", c.text);
        break;
      case set_jwt_id:
        set_text("jti", c.text);
        break;
      case set_audience:
        set_text("aud", c.text);
        break;
      case set_audience_list:
        if (c.list.empty() || !dumps_as_utf8(json(c.list))) {
          fail(jot::errc::invalid_argument);
        } else {
          payload["aud"] = c.list;
        }
        break;
      case set_expires_in:
        if (c.offset <= 0) {
          fail(jot::errc::invalid_argument);
        } else {
          expiry_decided = true;
          set_date("exp", now, c.offset);
        }
        break;
      case set_expires_at:
        expiry_decided = true;
        set_date("exp", now, c.offset);
        break;
      case set_without_expiration:
        expiry_decided = true;
        payload.erase("exp");
        break;
      case set_not_before:
        set_date("nbf", now, c.offset);
        break;
      case set_issued_at:
        set_date("iat", now, c.offset);
        break;
      case set_without_issued_at:
        payload.erase("iat");
        break;
      case set_claim:
        // read_value nests at most 5 levels: never near the depth limit.
        if (c.text.empty() || !dumps_as_utf8(json(c.text))) {
          fail(jot::errc::invalid_argument);
        } else if (is_reserved(c.text)) {
          fail(jot::errc::reserved_claim);
        } else if (has_non_finite_number(c.value) || !dumps_as_utf8(c.value)) {
          fail(jot::errc::invalid_argument);
        } else {
          payload[c.text] = c.value;
        }
        break;
      default:
        break;
    }
  }

  std::optional<jot::errc> build_error() const {
    if (error) return error;
    if (!expiry_decided) return jot::errc::missing_expiration;
    if (payload.contains("nbf") && payload.contains("exp") &&
        payload["exp"].get<std::int64_t>() <= payload["nbf"].get<std::int64_t>()) {
      return jot::errc::invalid_argument;
    }
    return std::nullopt;
  }
};

jot::claims::builder run_builder(const std::vector<call>& calls, std::int64_t now,
                                 bool allow_every_name) {
  // A time `offset` seconds from now, for the setters that take one.
  const auto at = [now](std::int64_t offset) { return jot::sys_seconds(seconds(now + offset)); };
  // The system_clock::time_point overloads too, where nanoseconds can count that far (±292 years).
  const auto near = [](std::int64_t offset) {
    return offset > -(1LL << 32) && offset < (1LL << 32);
  };
  jot::claims::builder builder{system_clock::time_point(seconds(now))};
  for (const call& c : calls) {
    switch (c.kind) {
      case set_issuer:
        builder.issuer(c.text);
        break;
      case set_subject:
        builder.subject(c.text);
        break;
      case set_jwt_id:
        builder.jwt_id(c.text);
        break;
      case set_audience:
        builder.audience(c.text);
        break;
      case set_audience_list:
        builder.audience(c.list);
        break;
      case set_expires_in:
        builder.expires_in(seconds(c.offset));
        break;
      case set_expires_at:
        if (near(c.offset)) {
          builder.expires_at(system_clock::time_point(at(c.offset)));
        } else {
          builder.expires_at(at(c.offset));
        }
        break;
      case set_without_expiration:
        builder.allow_missing_expiration();
        break;
      case set_not_before:
        if (near(c.offset)) {
          builder.not_before(system_clock::time_point(at(c.offset)));
        } else {
          builder.not_before(at(c.offset));
        }
        break;
      case set_issued_at:
        if (near(c.offset)) {
          builder.issued_at(system_clock::time_point(at(c.offset)));
        } else {
          builder.issued_at(at(c.offset));
        }
        break;
      case set_without_issued_at:
        builder.without_issued_at();
        break;
      case set_claim:
        // A string or a list of strings goes through the typed overloads every other time
        // (they must make the same claim as the JSON value).
        if (c.text.size() % 2 == 0 && c.value.is_string()) {
          builder.claim(c.text, c.value.get<std::string>());
        } else if (c.text.size() % 2 == 0 && is_string_list(c.value)) {
          builder.claim(c.text, c.value.get<std::vector<std::string>>());
        } else {
          builder.claim(c.text, c.value);
        }
        if (allow_every_name) {
          std::vector<std::string> names{c.text};
          collect_member_names(c.value, names);
          for (auto& name : names) builder.allow_sensitive_claim(std::move(name));
        }
        break;
      case set_allow_sensitive:
        builder.allow_sensitive_claim(c.text);
        break;
      default:
        break;
    }
  }
  return builder;
}

// The verdict RFC 7519 §4.1.4-4.1.6 calls for at `now`, with no leeway, in jot's order.
std::optional<jot::errc> expected_verdict(const json& payload, std::int64_t now) {
  if (payload.contains("exp") && now >= payload["exp"].get<std::int64_t>()) {
    return jot::errc::token_expired;
  }
  if (payload.contains("nbf") && now < payload["nbf"].get<std::int64_t>()) {
    return jot::errc::token_not_yet_valid;
  }
  if (payload.contains("iat") && payload["iat"].get<std::int64_t>() > now) {
    return jot::errc::issued_in_future;
  }
  return std::nullopt;
}

jot_test::verifier_setup policy_at(std::int64_t now) {
  jot_test::verifier_setup builder;
  builder.allow_custom_clock([now] { return system_clock::time_point(seconds(now)); })
      .allow_missing_expiration()
      .ignore_type();
  return builder;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  jot_fuzz::input_reader input(data, size);
  const jot::algorithm alg = jot::all_algorithms[input.byte() % 15];
  // 2001-09-09 .. 2069-01-19: far enough from both ends of the NumericDate range that the
  // bounded offsets reach below 0 and stay inside the clock's range.
  const std::int64_t now =
      1000000000 + static_cast<std::int64_t>(input.u64() % (std::uint64_t{1} << 31));
  std::vector<call> calls;
  while (!input.empty() && calls.size() < 24) calls.push_back(read_call(input));

  model expected;
  expected.payload["iat"] = now;
  for (const call& c : calls) expected.apply(c, now);

  const auto built = run_builder(calls, now, false).build();
  const auto expected_error = expected.build_error();
  if (!built) {
    if (built.error() == jot::errc::sensitive_claim && !expected_error) {
      const auto allowed = run_builder(calls, now, true).build();
      JOT_FUZZ_CHECK(allowed.has_value());
      JOT_FUZZ_CHECK(allowed->json() == expected.payload);
      return 0;
    }
    JOT_FUZZ_CHECK(expected_error && built.error() == *expected_error);
    return 0;
  }
  JOT_FUZZ_CHECK(!expected_error);

  const auto& key = jot_test::fixed_keys().signer(alg);
  const auto token = jot::encoder{key}.sign(*built);
  JOT_FUZZ_CHECK(token.has_value());
  JOT_FUZZ_CHECK(dumps_as_utf8(expected.payload));
  const std::size_t payload_start = token->find('.') + 1;
  const auto payload_bytes = jot::base64url_decode(
      std::string_view(*token).substr(payload_start, token->rfind('.') - payload_start));
  JOT_FUZZ_CHECK(payload_bytes.has_value() && *payload_bytes == expected.payload.dump());
  // An HMAC key's MAC, which the encoder writes straight into the token, is OpenSSL's one-shot
  // HMAC of the signing input (independent of the digest states jot resumes).
  if (const auto* hmac = dynamic_cast<const jot::detail::hmac_key*>(&key.implementation())) {
    const std::size_t last_dot = token->rfind('.');
    const std::string_view secret = hmac->secret().unsafe_bytes();
    unsigned char mac[EVP_MAX_MD_SIZE];
    std::size_t mac_size = 0;
    JOT_FUZZ_CHECK(EVP_Q_mac(nullptr, "HMAC", nullptr, jot::detail::info(alg).digest, nullptr,
                             secret.data(), secret.size(),
                             reinterpret_cast<const unsigned char*>(token->data()), last_dot, mac,
                             sizeof mac, &mac_size) != nullptr);
    JOT_FUZZ_CHECK(
        jot::base64url_encode(std::string_view(reinterpret_cast<const char*>(mac), mac_size)) ==
        std::string_view(*token).substr(last_dot + 1));
  }
  JOT_FUZZ_CHECK(built->json() == expected.payload);
  const auto plain = jot::unverified::decode(*token, 1 << 20);
  JOT_FUZZ_CHECK(plain.has_value() && plain->payload == expected.payload);

  const auto& verification = jot_test::fixed_keys().verifier(alg);
  // A claim set this large is a valid token, just over the default 8 KiB cap.
  auto lenient = policy_at(now)
                     .allow_token_size(std::max(token->size(), jot::default_max_token_size))
                     .ignore_audience()
                     .add_key(verification);
  const auto verdict = lenient.build().value().verify(*token);
  const auto verdict_expected = expected_verdict(expected.payload, now);
  if (verdict_expected) {
    JOT_FUZZ_CHECK(verdict.error() == *verdict_expected);
    return 0;
  }
  JOT_FUZZ_CHECK(verdict.has_value());
  JOT_FUZZ_CHECK(verdict->alg() == alg);
  JOT_FUZZ_CHECK(verdict->claims().json() == expected.payload);

  // The expectations a relying party would set from the same values hold; a different issuer
  // does not.
  if (const auto issuer = verdict->claims().issuer()) {
    const std::string expected_issuer(*issuer);
    auto same = policy_at(now)
                    .allow_token_size(std::max(token->size(), jot::default_max_token_size))
                    .ignore_audience()
                    .add_key(verification);
    JOT_FUZZ_CHECK(same.expect_issuer(expected_issuer).build().value().verify(*token));
    auto other = policy_at(now)
                     .allow_token_size(std::max(token->size(), jot::default_max_token_size))
                     .ignore_audience()
                     .add_key(verification);
    JOT_FUZZ_CHECK(
        other.expect_issuer(expected_issuer + "!").build().value().verify(*token).error() ==
        jot::errc::issuer_mismatch);
  }
  const auto audiences = verdict->claims().audience();
  if (!audiences.empty()) {
    auto for_audience = policy_at(now)
                            .allow_token_size(std::max(token->size(), jot::default_max_token_size))
                            .add_key(verification);
    for_audience.expect_audience(std::string(audiences.back()));
    JOT_FUZZ_CHECK(for_audience.build().value().verify(*token));
  } else {
    auto strict = policy_at(now)
                      .allow_token_size(std::max(token->size(), jot::default_max_token_size))
                      .add_key(verification);
    JOT_FUZZ_CHECK(strict.build().value().verify(*token));
  }
  return 0;
}
