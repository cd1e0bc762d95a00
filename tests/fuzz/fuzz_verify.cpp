// Fuzz target: token verification (jot::verifier), with every algorithm's key.
//
// Input: one control byte, then the rest.
//   bits 0-3  the algorithm (index into jot::all_algorithms, modulo 15): whose fixed key signs
//   bit 4     the verifier holds all 15 fixed keys (chosen by kid) instead of only that one
//   bit 5     the default policy (real clock, 8 KiB, exp required ...) instead of the lenient one
//   bit 6     oracle mode: the rest is "header JSON \0 payload JSON" (or, without a NUL byte, a
//             payload under the canonical header), which the target signs with the key before
//             verifying; otherwise the rest is the token itself.
// The lenient policy has a fixed clock, 60 s leeway, no required exp, ignores aud and typ, and
// takes tokens up to 64 KiB, so that mutated claims are checked deep instead of stopping at the
// first claim the fuzzer cannot control. The oracle mode is what lets the fuzzer past the
// signature at all: it mutates signed headers and payloads freely.
//
// Invariants:
//  - verify() never throws and every rejection is a jot errc;
//  - a token that verifies decodes (unverified) to the same header and claims, was verified by
//    the key its kid names, and is rejected with invalid_signature once one signature character
//    changes;
//  - size, segment and base64url errors are the same as decode reports;
//  - in oracle mode, a token jot signed with the verifier's own key is never invalid_signature
//    nor crypto_failure (only a kid naming another key of the same algorithm may make it so);
//  - in oracle mode with the canonical header and the lenient policy, the verdict equals an
//    independent model of RFC 7519's claim checks (types, exp, nbf, iat with leeway).

#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fixed_keys.hpp"
#include "fuzz_support.hpp"
#include "raw_token.hpp"
#include "verifier_setup.hpp"

#include <jot/jot.hpp>
#include <jot/unverified.hpp>

namespace {

constexpr std::int64_t fixed_now = 1750000000;  // 2025-06-15, the lenient policy's clock
constexpr std::int64_t lenient_leeway = 60;
constexpr std::size_t lenient_max_size = 64 * 1024;
constexpr std::size_t lenient_max_depth = 64;
constexpr std::size_t default_max_size = jot::default_max_token_size;

jot_test::verifier_setup policy(bool lenient) {
  jot_test::verifier_setup builder;
  if (lenient) {
    builder
        .allow_custom_clock(
            [] { return std::chrono::system_clock::time_point(std::chrono::seconds(fixed_now)); })
        .allow_clock_skew(std::chrono::seconds(lenient_leeway))
        .allow_missing_expiration()
        .ignore_audience()
        .ignore_type()
        .allow_critical_header("x-crit")
        .allow_token_size(lenient_max_size)
        .allow_json_depth(lenient_max_depth);
  }
  return builder;
}

struct verifiers {
  std::vector<jot::verifier> single[2];  // [lenient][algorithm index]
  std::optional<jot::verifier> all[2];   // [lenient]
};

const verifiers& shared_verifiers() {
  static const verifiers built = [] {
    verifiers out;
    for (int lenient = 0; lenient < 2; ++lenient) {
      jot_test::verifier_setup every = policy(lenient != 0);
      for (jot::algorithm alg : jot::all_algorithms) {
        const auto& key = jot_test::fixed_keys().verifier(alg);
        out.single[lenient].push_back(policy(lenient != 0).add_key(key).build().value());
        every.add_key(key);
      }
      out.all[lenient] = every.build().value();
    }
    return out;
  }();
  return built;
}

std::string canonical_header(jot::algorithm alg) {
  return R"({"alg":")" + std::string(jot::algorithm_name(alg)) + R"(","kid":")" +
         jot_test::fixed_kid(alg) + R"(","typ":"JWT"})";
}

// --- An independent model of the claim checks of the lenient policy (RFC 7519 §4.1, §7.2) ----

enum class rounding { down, up };

// NumericDate in [0, 253402300799], integer or finite number, as whole seconds; long double holds
// every int64 and uint64 exactly, so one code path serves all three JSON number kinds.
std::optional<std::int64_t> model_date(const nlohmann::json& value, rounding direction) {
  long double seconds = 0;
  if (value.is_number_unsigned()) {
    seconds = static_cast<long double>(value.get<std::uint64_t>());
  } else if (value.is_number_integer()) {
    seconds = static_cast<long double>(value.get<std::int64_t>());
  } else if (value.is_number_float()) {
    seconds = static_cast<long double>(value.get<double>());
  } else {
    return std::nullopt;
  }
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 253402300799.0L) return std::nullopt;
  return static_cast<std::int64_t>(direction == rounding::down ? std::floor(seconds)
                                                               : std::ceil(seconds));
}

std::error_code model_lenient_verdict(std::string_view payload_json) {
  const auto parsed = jot::parse_json_object(payload_json, lenient_max_depth);
  if (!parsed) return parsed.error();
  const nlohmann::json& claims = *parsed;
  for (const char* name : {"iss", "sub", "jti"}) {
    if (claims.contains(name) && !claims[name].is_string()) return jot::errc::invalid_claim_type;
  }
  if (claims.contains("aud")) {
    const auto& aud = claims["aud"];
    bool ok = aud.is_string() || aud.is_array();
    if (aud.is_array()) {
      for (const auto& item : aud) ok = ok && item.is_string();
    }
    if (!ok) return jot::errc::invalid_claim_type;
  }
  for (const char* name : {"exp", "nbf", "iat"}) {
    if (claims.contains(name) && !model_date(claims[name], rounding::down)) {
      return jot::errc::invalid_claim_type;
    }
  }
  if (claims.contains("exp") &&
      fixed_now - lenient_leeway >= *model_date(claims["exp"], rounding::down)) {
    return jot::errc::token_expired;
  }
  if (claims.contains("nbf") &&
      fixed_now + lenient_leeway < *model_date(claims["nbf"], rounding::up)) {
    return jot::errc::token_not_yet_valid;
  }
  if (claims.contains("iat") &&
      *model_date(claims["iat"], rounding::up) > fixed_now + lenient_leeway) {
    return jot::errc::issued_in_future;
  }
  return {};
}

// --- The checks ------------------------------------------------------------------------------

void check_accepted(const jot::verifier& verifier, std::string_view token,
                    const jot::verified_token& verified, std::size_t max_size) {
  const auto plain = jot::unverified::decode(token, max_size);
  JOT_FUZZ_CHECK(plain.has_value());
  JOT_FUZZ_CHECK(plain->header == verified.header());
  JOT_FUZZ_CHECK(plain->payload == verified.claims().json());
  // Every fixed key has a kid, and the key that verified is the one the token's kid names.
  JOT_FUZZ_CHECK(verified.key_id() == jot_test::fixed_kid(verified.alg()));
  JOT_FUZZ_CHECK(!verified.header().contains("kid") ||
                 verified.header().at("kid") == *verified.key_id());
  JOT_FUZZ_CHECK(
      jot::algorithm_accepts_name(verified.alg(), verified.header().at("alg").get<std::string>()));

  // The first character of the signature segment carries six signature bits: changing it
  // changes the signature, which must then fail.
  const std::size_t at = token.rfind('.') + 1;
  if (at < token.size()) {
    std::string tampered(token);
    tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
    JOT_FUZZ_CHECK(verifier.verify(tampered).error() == jot::errc::invalid_signature);
  }
}

void check_rejected_like_decoder(std::string_view token, const std::error_code& error,
                                 std::size_t max_size) {
  JOT_FUZZ_CHECK(jot_fuzz::is_jot_error(error));
  // Size, segments and base64url come first in both, in the same order.
  const auto plain = jot::unverified::decode(token, max_size);
  const std::error_code decode_error = plain.error();
  if (decode_error == jot::errc::token_too_large || decode_error == jot::errc::malformed_token ||
      decode_error == jot::errc::invalid_base64) {
    JOT_FUZZ_CHECK(error == decode_error);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  jot_fuzz::input_reader input(data, size);
  const std::uint8_t control = input.byte();
  const jot::algorithm alg = jot::all_algorithms[(control & 0x0f) % 15];
  const bool every_key = (control & 0x10) != 0;
  const bool lenient = (control & 0x20) == 0;
  const bool oracle = (control & 0x40) != 0;
  const auto& all = shared_verifiers();
  const jot::verifier& verifier =
      every_key ? *all.all[lenient] : all.single[lenient][static_cast<std::size_t>(alg)];
  const std::size_t max_size = lenient ? lenient_max_size : default_max_size;
  const std::string_view rest = input.rest();

  if (!oracle) {
    const auto verdict = verifier.verify(rest);
    if (verdict) {
      check_accepted(verifier, rest, *verdict, max_size);
    } else {
      check_rejected_like_decoder(rest, verdict.error(), max_size);
    }
    return 0;
  }

  const std::size_t nul = rest.find('\0');
  const bool canonical = nul == std::string_view::npos;
  const std::string header = canonical ? canonical_header(alg) : std::string(rest.substr(0, nul));
  const std::string_view payload = canonical ? rest : rest.substr(nul + 1);
  // A signing failure throws (value()), which aborts the run as a failed check would.
  const std::string token = jot_test::sign_raw(header, payload, jot_test::fixed_keys().signer(alg));

  const auto verdict = verifier.verify(token);
  if (verdict) {
    check_accepted(verifier, token, *verdict, max_size);
    JOT_FUZZ_CHECK(verdict->alg() == alg);
    const auto claims =
        jot::parse_json_object(payload, lenient ? lenient_max_depth : jot::default_max_json_depth);
    JOT_FUZZ_CHECK(claims.has_value() && *claims == verdict->claims().json());
  } else {
    check_rejected_like_decoder(token, verdict.error(), max_size);
    JOT_FUZZ_CHECK(verdict.error() != jot::errc::crypto_failure);
    if (verdict.error() == jot::errc::invalid_signature) {
      // Only another key chosen by kid can fail a signature this key made.
      const auto parsed = nlohmann::json::parse(header, nullptr, false);
      JOT_FUZZ_CHECK(every_key && parsed.is_object());
      const auto kid = parsed.find("kid");
      JOT_FUZZ_CHECK(kid != parsed.end() && *kid != jot_test::fixed_kid(alg));
    }
  }
  if (canonical && lenient && token.size() <= lenient_max_size) {
    JOT_FUZZ_CHECK(verdict.error() == model_lenient_verdict(payload));
  }
  return 0;
}
