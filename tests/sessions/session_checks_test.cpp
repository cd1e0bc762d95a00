// The session checks a validator runs through its extension point (session_checks.hpp:
// not_revoked, current_token_version, active_session, added with expect_that), on real tokens
// signed by jot's encoder and checked by a verifier: what each accepts and rejects, that they fail
// closed when a store cannot answer, that they run only after every other check, and that a
// verifier refuses a token of another `typ` before it looks at the signature (RFC 8725 §3.11).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include "catch.hpp"
#include "faulty_stores.hpp"
#include "store_contract.hpp"
#include "test_support.hpp"
#include "unit/unit_support.hpp"

#include <jot/jot.hpp>
#include <jot/session.hpp>
#include <nlohmann/json.hpp>

using namespace std::chrono_literals;
using jot_test::store_contract::family_of;
using nlohmann::json;

namespace {

constexpr std::int64_t now = 1700000000;
constexpr jot::sys_seconds now_time{std::chrono::seconds(now)};

// The claims a token of these tests carries unless a test changes them; an empty optional
// leaves the claim out.
struct token_claims {
  std::optional<std::string> jti = "jti-1";
  std::optional<std::string> subject = "user-1";
  std::optional<json> version = 0;
  std::optional<json> session = "family-1";
  jot::sys_seconds issued_at = now_time - 10s;
  std::optional<std::string> issuer;
};

std::string sign(const token_claims& claims, const jot::signing_key& key = jot_test::hs256_key(),
                 std::optional<std::string> type = std::string("JWT")) {
  jot::claims::builder builder(claims.issued_at);
  builder.expires_at(claims.issued_at + 10min);
  if (claims.jti) builder.jwt_id(*claims.jti);
  if (claims.subject) builder.subject(*claims.subject);
  if (claims.issuer) builder.issuer(*claims.issuer);
  if (claims.version) builder.claim("ver", *claims.version);
  if (claims.session) builder.claim("sid", *claims.session);
  return jot::encoder(key, std::move(type)).sign(builder.build().value()).value();
}

// A claim policy whose clock stands at `now`.
jot::validator::builder rules() {
  jot::validator::builder rules;
  rules.allow_custom_clock([] { return jot_test::at(now); });
  return rules;
}

jot::result<jot::verified_token> verify_token(const jot::validator::builder& rules,
                                              const std::string& token,
                                              const jot::signing_key& key = jot_test::hs256_key()) {
  auto verifier = jot::verifier::builder{}
                      .add_key(key.verification_key().value())
                      .validator(rules.build())
                      .build();
  REQUIRE(verifier.error() == std::error_code{});
  return verifier->verify(token);
}

std::error_code verify(const jot::validator::builder& rules, const std::string& token,
                       const jot::signing_key& key = jot_test::hs256_key()) {
  return verify_token(rules, token, key).error();
}

// The claim the rejection of `token` names (empty when none).
std::string claim_named(const jot::validator::builder& rules, const std::string& token) {
  const auto verified = verify_token(rules, token);
  return std::string(verified.error_claim());
}

// Real memory stores behind the test doubles. The family "family-1" is active at `now` and for
// 59 minutes more.
struct session_stores : jot_test::faulty_memory_stores {
  session_stores() { start(family_of("family-1", now_time - 1min)); }

  void start(const jot::refresh_family& family) {
    jot_test::store_contract::start(*families, family);
  }

  int calls() const { return revocations->calls + versions->calls + families->calls; }
};

const std::error_code accepted{};

}  // namespace

TEST_CASE("not_revoked rejects a token whose jti is on the blocklist", "[sessions]") {
  session_stores stores;
  const auto policy = rules().expect_that(jot::not_revoked(stores.revocations));
  const std::string token = sign({});
  CHECK(verify(policy, token) == accepted);
  REQUIRE(stores.revocations->revoke("jti-1", now_time + 10min));
  CHECK(verify(policy, token) == jot::errc::token_revoked);
  token_claims other;
  other.jti = "jti-2";
  CHECK(verify(policy, sign(other)) == accepted);

  token_claims no_jti;
  no_jti.jti.reset();
  CHECK(verify(policy, sign(no_jti)) == jot::errc::missing_claim);
  // The claims builder refuses a jti that is not a string, so this token is made by hand.
  const auto numeric_jti = jot_test::sign_raw(
      R"({"alg":"HS256","typ":"JWT"})",
      json{{"jti", 7}, {"sub", "user-1"}, {"iat", now - 10}, {"exp", now + 600}}.dump(),
      jot_test::hs256_key());
  CHECK(verify(policy, numeric_jti) == jot::errc::invalid_claim_type);
}

TEST_CASE("current_token_version rejects a token issued before the subject's last bump",
          "[sessions]") {
  session_stores stores;
  const auto policy = rules().expect_that(jot::current_token_version(stores.versions));
  const std::string version_0 = sign({});
  CHECK(verify(policy, version_0) == accepted);
  REQUIRE(stores.versions->bump("user-1"));
  CHECK(verify(policy, version_0) == jot::errc::token_version_mismatch);
  token_claims current;
  current.version = 1;
  CHECK(verify(policy, sign(current)) == accepted);
  // Another subject's bump does not touch user-1's tokens.
  REQUIRE(stores.versions->bump("user-2"));
  CHECK(verify(policy, sign(current)) == accepted);

  struct row {
    const char* name;
    std::function<void(token_claims&)> change;
    jot::errc expected;
  };
  const row rows[] = {
      {"newer than current", [](token_claims& c) { c.version = 2; },
       jot::errc::token_version_mismatch},
      {"largest integer", [](token_claims& c) { c.version = UINT64_MAX; },
       jot::errc::token_version_mismatch},
      {"no ver", [](token_claims& c) { c.version.reset(); }, jot::errc::missing_claim},
      {"no sub", [](token_claims& c) { c.subject.reset(); }, jot::errc::missing_claim},
      {"ver a string", [](token_claims& c) { c.version = "1"; }, jot::errc::invalid_claim_type},
      {"ver negative", [](token_claims& c) { c.version = -1; }, jot::errc::invalid_claim_type},
      {"ver a float", [](token_claims& c) { c.version = 1.0; }, jot::errc::invalid_claim_type},
      {"ver a boolean", [](token_claims& c) { c.version = true; }, jot::errc::invalid_claim_type},
      {"ver null", [](token_claims& c) { c.version = json(); }, jot::errc::invalid_claim_type},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    token_claims claims = current;
    r.change(claims);
    CHECK(verify(policy, sign(claims)) == r.expected);
  }
}

TEST_CASE("active_session rejects a token whose session has ended", "[sessions]") {
  session_stores stores;
  const auto idle_since = [](const char* id, jot::sys_seconds since) {
    auto family = family_of(id, since);
    family.idle_timeout = 30s;
    return family;
  };
  stores.start(family_of("revoked", now_time - 1min));
  REQUIRE(stores.families->revoke("revoked"));
  stores.start(family_of("expired", now_time - 1h));  // a lifetime of one hour
  stores.start(idle_since("idle", now_time - 30s));
  stores.start(idle_since("idle-in-a-second", now_time - 29s));
  const auto policy = rules().expect_that(jot::active_session(stores.families));

  struct row {
    const char* name;
    std::optional<json> session;
    std::error_code expected;
  };
  const row rows[] = {
      {"active", json("family-1"), accepted},
      {"idle for one second less than its timeout", json("idle-in-a-second"), accepted},
      {"revoked", json("revoked"), jot::errc::token_revoked},
      {"past its lifetime (expires_at == now)", json("expired"), jot::errc::token_revoked},
      {"idle for its timeout", json("idle"), jot::errc::token_revoked},
      {"unknown", json("no-such-family"), jot::errc::token_revoked},
      {"no sid", std::nullopt, jot::errc::missing_claim},
      {"sid a number", json(7), jot::errc::invalid_claim_type},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    token_claims claims;
    claims.session = r.session;
    CHECK(verify(policy, sign(claims)) == r.expected);
  }
}

TEST_CASE("a session check's rejection names the claim it needs", "[sessions]") {
  session_stores stores;
  const auto revoked = rules().expect_that(jot::not_revoked(stores.revocations));
  const auto versioned = rules().expect_that(jot::current_token_version(stores.versions));
  const auto active = rules().expect_that(jot::active_session(stores.families));
  token_claims no_jti;
  no_jti.jti.reset();
  CHECK(verify(revoked, sign(no_jti)) == jot::errc::missing_claim);
  CHECK(claim_named(revoked, sign(no_jti)) == "jti");
  token_claims no_ver;
  no_ver.version.reset();
  CHECK(claim_named(versioned, sign(no_ver)) == "ver");
  token_claims string_ver;
  string_ver.version = "1";
  CHECK(verify(versioned, sign(string_ver)) == jot::errc::invalid_claim_type);
  CHECK(claim_named(versioned, sign(string_ver)) == "ver");
  token_claims no_sub;
  no_sub.subject.reset();
  CHECK(claim_named(versioned, sign(no_sub)) == "sub");
  token_claims no_sid;
  no_sid.session.reset();
  CHECK(verify(active, sign(no_sid)) == jot::errc::missing_claim);
  CHECK(claim_named(active, sign(no_sid)) == "sid");
  token_claims numeric_sid;
  numeric_sid.session = 7;
  CHECK(verify(active, sign(numeric_sid)) == jot::errc::invalid_claim_type);
  CHECK(claim_named(active, sign(numeric_sid)) == "sid");
  // A rejection about no claim names none.
  REQUIRE(stores.revocations->revoke("jti-1", now_time + 10min));
  CHECK(verify(revoked, sign({})) == jot::errc::token_revoked);
  CHECK(claim_named(revoked, sign({})).empty());
}

TEST_CASE("a session store that cannot answer rejects the token as store_unavailable",
          "[sessions]") {
  for (const bool throwing : {false, true}) {
    INFO((throwing ? "the store throws" : "the store returns an error"));
    session_stores stores;
    const std::string token = sign({});
    const auto revocation = rules().expect_that(jot::not_revoked(stores.revocations));
    const auto version = rules().expect_that(jot::current_token_version(stores.versions));
    const auto session = rules().expect_that(jot::active_session(stores.families));
    for (jot_test::store_faults* store :
         {static_cast<jot_test::store_faults*>(stores.revocations.get()),
          static_cast<jot_test::store_faults*>(stores.versions.get()),
          static_cast<jot_test::store_faults*>(stores.families.get())}) {
      store->throw_instead = throwing;
      store->fail_writes = true;  // verification only reads
    }
    CHECK(verify(revocation, token) == accepted);
    CHECK(verify(version, token) == accepted);
    CHECK(verify(session, token) == accepted);

    stores.revocations->fail_reads = true;
    CHECK(verify(revocation, token) == jot::errc::store_unavailable);
    stores.versions->fail_reads = true;
    CHECK(verify(version, token) == jot::errc::store_unavailable);
    stores.families->fail_reads = true;
    CHECK(verify(session, token) == jot::errc::store_unavailable);
  }
}

TEST_CASE("not_revoked(...).allow_unavailable_store() fails open for the blocklist alone",
          "[sessions]") {
  session_stores stores;
  const auto revocation_only =
      rules().expect_that(jot::not_revoked(stores.revocations).allow_unavailable_store());
  const std::string token = sign({});
  REQUIRE(stores.revocations->revoke("jti-1", now_time + 10min));
  // A store that answers still rejects the revoked token.
  CHECK(verify(revocation_only, token) == jot::errc::token_revoked);
  stores.revocations->fail_reads = true;
  CHECK(verify(revocation_only, token) == accepted);

  // The version and session checks still fail closed, and still run after the blocklist failed.
  auto all = rules()
                 .expect_that(jot::not_revoked(stores.revocations).allow_unavailable_store())
                 .expect_that(jot::current_token_version(stores.versions))
                 .expect_that(jot::active_session(stores.families));
  CHECK(verify(all, token) == accepted);
  stores.versions->fail_reads = true;
  CHECK(verify(all, token) == jot::errc::store_unavailable);
  stores.versions->fail_reads = false;
  stores.families->fail_reads = true;
  CHECK(verify(all, token) == jot::errc::store_unavailable);
  stores.families->fail_reads = false;
  REQUIRE(stores.versions->bump("user-1"));
  CHECK(verify(all, token) == jot::errc::token_version_mismatch);
}

TEST_CASE("session checks refuse a policy without a store", "[sessions]") {
  CHECK(rules().expect_that(jot::token_check{}).build().error() == jot::errc::invalid_argument);
  CHECK(rules().expect_that(jot::not_revoked(nullptr)).build().error() ==
        jot::errc::invalid_argument);
  CHECK(rules().expect_that(jot::current_token_version(nullptr)).build().error() ==
        jot::errc::invalid_argument);
  CHECK(rules().expect_that(jot::active_session(nullptr)).build().error() ==
        jot::errc::invalid_argument);
}

TEST_CASE("the session checks run in order after every other check", "[sessions]") {
  // Everything a token could be rejected for by the stores: its jti revoked, its version
  // outdated, its session revoked.
  session_stores stores;
  REQUIRE(stores.revocations->revoke("jti-1", now_time + 1h));
  REQUIRE(stores.versions->bump("user-1"));
  REQUIRE(stores.families->revoke("family-1"));
  stores.revocations->calls = 0;
  stores.versions->calls = 0;
  stores.families->calls = 0;
  const auto policy = rules()
                          .expect_issuer("https://idp.example")
                          .expect_type("at+jwt")
                          .expect_that(jot::not_revoked(stores.revocations))
                          .expect_that(jot::current_token_version(stores.versions))
                          .expect_that(jot::active_session(stores.families));
  token_claims good;
  good.issuer = "https://idp.example";
  const auto other_key = jot::signing_key::hs256(jot_test::fixed_secret(64, 'z')).value();

  struct row {
    const char* name;
    std::string token;
    jot::errc expected;
  };
  token_claims expired = good, wrong_issuer = good;
  expired.issued_at = now_time - 10min;  // exp == now
  wrong_issuer.issuer = "https://evil.example";
  const row rows[] = {
      {"expired", sign(expired, jot_test::hs256_key(), "at+jwt"), jot::errc::token_expired},
      {"wrong issuer", sign(wrong_issuer, jot_test::hs256_key(), "at+jwt"),
       jot::errc::issuer_mismatch},
      {"wrong type", sign(good, jot_test::hs256_key(), "JWT"), jot::errc::type_mismatch},
      {"bad signature", sign(good, other_key, "at+jwt"), jot::errc::invalid_signature},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    CHECK(verify(policy, r.token) == r.expected);
    CHECK(stores.calls() == 0);
  }

  // Once the rest holds, the stores decide, blocklist first, then version, then session.
  const std::string token = sign(good, jot_test::hs256_key(), "at+jwt");
  CHECK(verify(policy, token) == jot::errc::token_revoked);
  CHECK(stores.revocations->calls == 1);
  token_claims unrevoked = good;
  unrevoked.jti = "jti-2";
  CHECK(verify(policy, sign(unrevoked, jot_test::hs256_key(), "at+jwt")) ==
        jot::errc::token_version_mismatch);
  unrevoked.version = 1;
  CHECK(verify(policy, sign(unrevoked, jot_test::hs256_key(), "at+jwt")) ==
        jot::errc::token_revoked);
  CHECK(stores.families->calls == 1);
}

TEST_CASE("a token of another typ is type_mismatch before its signature is checked", "[sessions]") {
  const auto refresh_key = jot::signing_key::hs256(jot_test::fixed_secret(64, 'r'))
                               .value()
                               .with_key_id("refresh-key")
                               .value();
  const auto access_key = jot::signing_key::hs256(jot_test::fixed_secret(64, 'a')).value();
  const auto access_key_with_kid = access_key.with_key_id("access-key").value();
  const auto expecting = [](const char* type) { return rules().expect_type(type); };

  // Signed by a key the verifier does not hold, as a kid it does not know, or by no kid at all:
  // the access token's type decides first.
  for (const auto* key : {&access_key, &access_key_with_kid}) {
    INFO((key->key_id() ? "with a kid" : "without a kid"));
    const std::string access_token = sign({}, *key, "at+jwt");
    CHECK(verify(expecting("refresh+jwt"), access_token, refresh_key) == jot::errc::type_mismatch);
    // What the same verifier says when the type is right: the key would have failed it too.
    CHECK(verify(expecting("at+jwt"), access_token, refresh_key) ==
          (key->key_id() ? jot::errc::unknown_key_id : jot::errc::invalid_signature));
  }
  CHECK(verify(expecting("refresh+jwt"), sign({}, refresh_key, "refresh+jwt"), refresh_key) ==
        accepted);
}
