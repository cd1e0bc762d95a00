#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>

#include "catch.hpp"

#include <jot/jot.hpp>

namespace {
const jot::errc all_codes[] = {
    jot::errc::malformed_token,
    jot::errc::token_too_large,
    jot::errc::invalid_base64,
    jot::errc::invalid_json,
    jot::errc::duplicate_member,
    jot::errc::json_too_deep,
    jot::errc::invalid_header,
    jot::errc::unsupported_critical_header,
    jot::errc::nested_token,
    jot::errc::malformed_credentials,
    jot::errc::malformed_cookie,
    jot::errc::malformed_dpop_proof,
    jot::errc::dpop_proof_too_large,
    jot::errc::multiple_dpop_proofs,
    jot::errc::dpop_type_mismatch,
    jot::errc::invalid_dpop_claim,
    jot::errc::algorithm_not_allowed,
    jot::errc::key_algorithm_mismatch,
    jot::errc::unknown_key_id,
    jot::errc::missing_key_id,
    jot::errc::invalid_signature,
    jot::errc::missing_credentials,
    jot::errc::unsupported_auth_scheme,
    jot::errc::missing_dpop_proof,
    jot::errc::dpop_algorithm_not_allowed,
    jot::errc::invalid_dpop_key,
    jot::errc::dpop_private_key,
    jot::errc::invalid_dpop_signature,
    jot::errc::dpop_proof_replayed,
    jot::errc::dpop_ath_mismatch,
    jot::errc::dpop_nonce_required,
    jot::errc::dpop_nonce_invalid,
    jot::errc::dpop_key_mismatch,
    jot::errc::invalid_ephemeral_key,
    jot::errc::token_expired,
    jot::errc::token_not_yet_valid,
    jot::errc::issued_in_future,
    jot::errc::token_too_old,
    jot::errc::issuer_mismatch,
    jot::errc::audience_mismatch,
    jot::errc::subject_mismatch,
    jot::errc::type_mismatch,
    jot::errc::missing_claim,
    jot::errc::invalid_claim_type,
    jot::errc::claim_mismatch,
    jot::errc::token_revoked,
    jot::errc::token_version_mismatch,
    jot::errc::refresh_token_reused,
    jot::errc::session_expired,
    jot::errc::audience_not_expected,
    jot::errc::dpop_method_mismatch,
    jot::errc::dpop_uri_mismatch,
    jot::errc::dpop_proof_too_old,
    jot::errc::dpop_proof_in_future,
    jot::errc::weak_key,
    jot::errc::invalid_key,
    jot::errc::public_key_as_secret,
    jot::errc::sensitive_claim,
    jot::errc::reserved_claim,
    jot::errc::missing_expiration,
    jot::errc::invalid_argument,
    jot::errc::duplicate_key_id,
    jot::errc::no_keys,
    jot::errc::key_type_mismatch,
    jot::errc::curve_mismatch,
    jot::errc::key_use_mismatch,
    jot::errc::missing_algorithm,
    jot::errc::jwk_algorithm_mismatch,
    jot::errc::symmetric_key_in_jwks,
    jot::errc::store_unavailable,
    jot::errc::crypto_failure,
    jot::errc::out_of_memory,
    jot::errc::keys_unavailable,
    jot::errc::store_full,
    jot::errc::store_evicts,
    jot::errc::token_unavailable,
    jot::errc::insufficient_scope,
    jot::errc::cross_site_request,
    jot::errc::dpop_proof_required,
    jot::errc::dpop_session_key_mismatch,
    jot::errc::encrypted_token,
    jot::errc::unencrypted_token,
    jot::errc::malformed_jwe,
    jot::errc::decryption_failed,
    jot::errc::encryption_not_allowed,
    jot::errc::content_key_size_mismatch,
    jot::errc::key_not_for_encryption,
    jot::errc::compressed_token,
    jot::errc::invalid_jwe_segment,
    jot::errc::missing_nested_token,
};
}  // namespace

TEST_CASE("every error code has its own name and a fixed message", "[error]") {
  std::set<std::string> names, messages;
  for (auto code : all_codes) {
    const std::error_code ec = code;
    CHECK(ec.category().name() == std::string("jot"));
    CHECK(names.insert(jot::errc_name(code)).second);
    CHECK(messages.insert(ec.message()).second);
    CHECK(std::string(jot::errc_name(ec)) == jot::errc_name(code));
    CHECK(std::string(jot::errc_name(code)) != "unknown_error");
  }
  CHECK(names.size() == std::size(all_codes));
}

TEST_CASE("error codes keep their published numeric values", "[error]") {
  CHECK(static_cast<int>(jot::errc::malformed_token) == 1);
  CHECK(static_cast<int>(jot::errc::algorithm_not_allowed) == 20);
  CHECK(static_cast<int>(jot::errc::invalid_signature) == 24);
  CHECK(static_cast<int>(jot::errc::token_expired) == 40);
  CHECK(static_cast<int>(jot::errc::session_expired) == 54);
  // Added in its group's range after the last code of the group; nothing renumbered.
  CHECK(static_cast<int>(jot::errc::audience_not_expected) == 55);
  CHECK(static_cast<int>(jot::errc::weak_key) == 60);
  CHECK(static_cast<int>(jot::errc::crypto_failure) == 81);
  CHECK(static_cast<int>(jot::errc::store_evicts) == 85);
  CHECK(static_cast<int>(jot::errc::token_unavailable) == 86);
  CHECK(static_cast<int>(jot::errc::malformed_dpop_proof) == 12);
  CHECK(static_cast<int>(jot::errc::invalid_dpop_claim) == 16);
  CHECK(static_cast<int>(jot::errc::missing_dpop_proof) == 27);
  CHECK(static_cast<int>(jot::errc::dpop_key_mismatch) == 36);
  CHECK(static_cast<int>(jot::errc::dpop_method_mismatch) == 56);
  CHECK(static_cast<int>(jot::errc::dpop_proof_in_future) == 59);
  CHECK(static_cast<int>(jot::errc::dpop_proof_required) == 130);
  CHECK(static_cast<int>(jot::errc::dpop_session_key_mismatch) == 131);
  CHECK(static_cast<int>(jot::errc::encrypted_token) == 17);
  CHECK(static_cast<int>(jot::errc::decryption_failed) == 37);
  CHECK(static_cast<int>(jot::errc::content_key_size_mismatch) == 75);
  CHECK(static_cast<int>(jot::errc::compressed_token) == 101);
  CHECK(static_cast<int>(jot::errc::missing_nested_token) == 103);
  // The first code of the second block: 120 is unauthenticated like 20-39.
  CHECK(static_cast<int>(jot::errc::invalid_ephemeral_key) == 120);
}

TEST_CASE("codes map to the coarse failure a server acts on", "[error]") {
  struct row {
    jot::errc code;
    jot::failure expected;
  };
  const row rows[] = {
      {jot::errc::invalid_base64, jot::failure::malformed},
      {jot::errc::nested_token, jot::failure::malformed},
      {jot::errc::invalid_signature, jot::failure::unauthenticated},
      {jot::errc::unknown_key_id, jot::failure::unauthenticated},
      {jot::errc::token_expired, jot::failure::claims_rejected},
      {jot::errc::token_revoked, jot::failure::claims_rejected},
      {jot::errc::refresh_token_reused, jot::failure::claims_rejected},
      {jot::errc::session_expired, jot::failure::claims_rejected},
      {jot::errc::audience_not_expected, jot::failure::claims_rejected},
      {jot::errc::multiple_dpop_proofs, jot::failure::malformed},
      {jot::errc::invalid_dpop_claim, jot::failure::malformed},
      {jot::errc::invalid_dpop_signature, jot::failure::unauthenticated},
      {jot::errc::dpop_key_mismatch, jot::failure::unauthenticated},
      {jot::errc::dpop_proof_required, jot::failure::unauthenticated},
      {jot::errc::dpop_session_key_mismatch, jot::failure::unauthenticated},
      {jot::errc::invalid_ephemeral_key, jot::failure::unauthenticated},
      {jot::errc::dpop_uri_mismatch, jot::failure::claims_rejected},
      {jot::errc::dpop_proof_in_future, jot::failure::claims_rejected},
      {jot::errc::weak_key, jot::failure::misconfigured},
      {jot::errc::store_unavailable, jot::failure::unavailable},
      {jot::errc::store_full, jot::failure::unavailable},
      {jot::errc::store_evicts, jot::failure::unavailable},
      {jot::errc::token_unavailable, jot::failure::unavailable},
      {jot::errc::missing_credentials, jot::failure::unauthenticated},
      {jot::errc::malformed_credentials, jot::failure::malformed},
      {jot::errc::insufficient_scope, jot::failure::forbidden},
      {jot::errc::cross_site_request, jot::failure::forbidden},
      {jot::errc::out_of_memory, jot::failure::unavailable},
  };
  for (const auto& r : rows) {
    const std::error_code ec = r.code;
    CHECK(ec == r.expected);
    CHECK(jot::failure_of(r.code) == r.expected);
  }
  // The second block of 100 repeats the ranges of the first.
  CHECK(jot::failure_of(static_cast<jot::errc>(101)) == jot::failure::malformed);
  CHECK(jot::failure_of(static_cast<jot::errc>(139)) == jot::failure::unauthenticated);
  CHECK(jot::failure_of(static_cast<jot::errc>(140)) == jot::failure::claims_rejected);
  CHECK(jot::failure_of(static_cast<jot::errc>(160)) == jot::failure::misconfigured);
  CHECK(jot::failure_of(static_cast<jot::errc>(185)) == jot::failure::unavailable);
  CHECK(jot::failure_of(static_cast<jot::errc>(190)) == jot::failure::forbidden);
  const std::error_code expired = jot::errc::token_expired;
  CHECK_FALSE(expired == jot::failure::unauthenticated);
  CHECK(std::string(jot::errc_name(std::make_error_code(std::errc::io_error))) ==
        "not_a_jot_error");
}

TEST_CASE("result holds a value or an error code", "[result]") {
  jot::result<int> ok = 7;
  REQUIRE(ok);
  CHECK(*ok == 7);
  CHECK(ok.value() == 7);
  CHECK_FALSE(ok.error());

  jot::result<int> bad = jot::errc::token_expired;
  REQUIRE_FALSE(bad);
  CHECK(bad.error() == jot::errc::token_expired);
  CHECK(bad.value_or(3) == 3);
}

TEST_CASE("a success code never makes a result that holds neither value nor error", "[result]") {
  // Before: result<int>(std::error_code{}) was neither a value (has_value() false) nor an error
  // (error() a success code), so `if (!r) log(r.error())` logged "no error".
  jot::result<int> from_success = std::error_code{};
  REQUIRE_FALSE(from_success);
  CHECK(from_success.error() == jot::errc::invalid_argument);
  jot::result<std::string> from_zero = jot::errc{};
  REQUIRE_FALSE(from_zero);
  CHECK(from_zero.error() == jot::errc::invalid_argument);
  jot::result<void> void_from_zero = jot::errc{};
  CHECK(void_from_zero.error() == jot::errc::invalid_argument);
  // result<void> from a success code is a success, as a result<void> has nothing else to hold.
  jot::result<void> void_from_success = std::error_code{};
  CHECK(void_from_success.has_value());
  // Real error codes, jot's or another category's, are kept as they are.
  jot::result<int> io = std::make_error_code(std::errc::io_error);
  CHECK(io.error() == std::make_error_code(std::errc::io_error));
}

TEST_CASE("an error result names the claim it concerns and passes the name on", "[result]") {
  const jot::result<int> missing = jot::error_info(jot::errc::missing_claim, "exp");
  REQUIRE_FALSE(missing);
  CHECK(missing.error() == jot::errc::missing_claim);
  CHECK(missing.error() == jot::failure::claims_rejected);
  CHECK(missing.error_claim() == "exp");
  // `return r.error();` into a result of another type keeps the name with the code.
  const auto forward = [](const jot::result<int>& r) -> jot::result<std::string> {
    return r.error();
  };
  const auto forwarded = forward(missing);
  CHECK(forwarded.error() == jot::errc::missing_claim);
  CHECK(forwarded.error_claim() == "exp");
  const jot::result<void> as_void = forwarded.error();
  CHECK(as_void.error_claim() == "exp");
  const jot::result<void> back = as_void.error();
  CHECK(back.error_claim() == "exp");
  // A plain std::error_code keeps the code; results made from one, or from an errc, name nothing.
  const std::error_code plain = missing.error();
  CHECK(plain == jot::errc::missing_claim);
  const jot::result<int> from_code = plain;
  CHECK(from_code.error_claim().empty());
  const jot::result<int> from_errc = jot::errc::missing_claim;
  CHECK(from_errc.error_claim().empty());
  const jot::result<void> void_from_errc = jot::errc::missing_claim;
  CHECK(void_from_errc.error_claim().empty());
  // Nothing to name on success, nor for a "no error" turned into invalid_argument.
  const jot::result<int> ok = 1;
  CHECK(ok.error_claim().empty());
  const jot::result<void> void_ok;
  CHECK(void_ok.error_claim().empty());
  const jot::result<int> no_error = jot::error_info(std::error_code{}, "exp");
  CHECK(no_error.error() == jot::errc::invalid_argument);
  CHECK(no_error.error_claim().empty());
  const jot::result<void> void_no_error = jot::error_info(std::error_code{}, "exp");
  CHECK(void_no_error.has_value());
  CHECK(void_no_error.error_claim().empty());
}

TEST_CASE("a long claim name is cut visibly, on a character boundary", "[result]") {
  constexpr std::size_t capacity = jot::error_info::claim_capacity;
  const std::string exact(capacity, 'n');
  const jot::error_info fits(jot::errc::missing_claim, exact);
  CHECK(fits.claim() == exact);

  const std::string long_name = "https://claims.example.com/tenant/organisation";
  const jot::error_info cut(jot::errc::missing_claim, long_name);
  const std::string_view kept = cut.claim();
  CHECK(kept.size() == capacity);
  CHECK(kept == long_name.substr(0, capacity - 3) + "...");

  // "é" is two bytes; the cut falls inside it and backs off to the character before.
  const std::string accented = std::string(capacity - 4, 'a') + "Ã©" + "zzzzzz";
  const jot::error_info utf8(jot::errc::missing_claim, accented);
  CHECK(utf8.claim() == std::string(capacity - 4, 'a') + "...");
}

TEST_CASE("weak_key's message states the minimum key sizes", "[error]") {
  const std::string message = jot::errc_message(jot::errc::weak_key);
  CHECK(message.find("32/48/64 bytes for HS256/384/512") != std::string::npos);
  CHECK(message.find("2048 bits") != std::string::npos);
}

TEST_CASE("the claim name costs a verified result nothing", "[result]") {
  // The name sits beside the code in the error alternative, smaller than a verified token.
  CHECK(sizeof(jot::result<jot::verified_token>) ==
        sizeof(std::variant<jot::verified_token, std::error_code>));
  CHECK(sizeof(jot::error_info) <= sizeof(std::error_code) + 24);
}

// Without exceptions value() aborts instead; the no-exceptions build cannot test that in-process.
#ifndef JOT_NO_EXCEPTIONS
TEST_CASE("value() on an error that names a claim says which in jot::error", "[result]") {
  const jot::result<std::string> missing = jot::error_info(jot::errc::missing_claim, "exp");
  try {
    (void)missing.value();
    FAIL("value() did not throw");
  } catch (const jot::error& e) {
    CHECK(e.code() == jot::errc::missing_claim);
    CHECK(e.claim() == "exp");
    CHECK(std::string(e.what()) == "a required claim is missing: exp");
  }
  const jot::result<void> void_missing = jot::error_info(jot::errc::claim_mismatch, "tenant");
  try {
    void_missing.value();
    FAIL("value() did not throw");
  } catch (const jot::error& e) {
    CHECK(e.claim() == "tenant");
    CHECK(std::string(e.what()) == "a claim does not have the expected value: tenant");
  }
  // Without a claim, what() is the fixed message alone.
  const jot::error plain(jot::errc::token_expired);
  CHECK(plain.claim().empty());
  CHECK(std::string(plain.what()) == "token has expired");
}

TEST_CASE("value() on an error throws jot::error carrying the code", "[result]") {
  jot::result<std::string> bad = jot::errc::invalid_signature;
  try {
    (void)bad.value();
    FAIL("value() did not throw");
  } catch (const jot::error& e) {
    CHECK(e.code() == jot::errc::invalid_signature);
    CHECK(std::string(e.what()).find("signature does not verify") != std::string::npos);
  }
  jot::result<void> void_bad = jot::errc::weak_key;
  CHECK_THROWS_AS(void_bad.value(), jot::error);
  jot::result<void> void_ok;
  CHECK(void_ok.has_value());
  CHECK_NOTHROW(void_ok.value());
}
#endif

TEST_CASE("docs/errors.md documents every error code with its value", "[error][docs]") {
  std::ifstream file(std::string(JOT_SOURCE_DIR) + "/docs/errors.md");
  REQUIRE(file.good());
  const std::string docs((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  for (auto code : all_codes) {
    INFO(jot::errc_name(code));
    const std::string row = "| " + std::to_string(static_cast<int>(code)) + " | `" +
                            jot::errc_name(code) + "` | " + jot::errc_message(code) + " |";
    CHECK(docs.find(row) != std::string::npos);
  }
}

TEST_CASE("public fallible functions return an error for invalid UTF-8, never throw", "[result]") {
  // jwk_thumbprint used to let nlohmann::type_error escape while writing the members to hash.
  const nlohmann::json bad_members[] = {
      {{"kty", "oct"}, {"k", "\xff"}},
      {{"kty", "OKP"}, {"crv", "Ed25519\xc0\xaf"}, {"x", "AAAA"}},
      {{"kty", "RSA"}, {"n", "\xed\xa0\x80"}, {"e", "AQAB"}},
  };
  for (const auto& jwk : bad_members) {
    CHECK(jot::jwk_thumbprint(jwk).error() == jot::errc::invalid_key);
  }
  CHECK(jot::jwk_thumbprint(nlohmann::json{{"kty", "oct"}, {"k", "AAAA"}}));
  CHECK(jot::jwk_thumbprint(nlohmann::json::array()).error() == jot::errc::invalid_key);
}
