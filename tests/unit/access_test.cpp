// What every adapter shares (requirement.hpp, access.hpp): scope lists as RFC 6749 §3.3 writes
// them, scope sets matched against `scope` and `scp`, and authorize()'s decisions in their order,
// without any HTTP library.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "catch.hpp"

#include <jot/http.hpp>
#include <jot/jot.hpp>

using jot::errc;
using namespace std::chrono_literals;

namespace access_test {

struct issuer {
  jot::signing_key key = jot::signing_key::generate(jot::algorithm::hs256).value();
  jot::verifier verifier =
      jot::verifier::builder{}.add_key(key.verification_key().value()).build().value();

  // A token of user-42 with `extra` claims.
  std::string token(const nlohmann::json& extra = nlohmann::json::object()) const {
    jot::claims::builder claims;
    claims.subject("user-42").expires_in(5min);
    for (const auto& [name, value] : extra.items()) claims.claim(name, value);
    return jot::encoder{key}.sign(claims.build().value()).value();
  }
  jot::verified_token verified(const nlohmann::json& extra) const {
    return verifier.verify(token(extra)).value();
  }
};

// The outcome of authorize() as one word: the subject, "anonymous", or the refusal's errc name.
template <typename Result>
std::string decided(const Result& access) {
  if (const auto* refusal = access.refusal()) return jot::errc_name(refusal->error);
  if (access.is_anonymous()) return "anonymous";
  return std::string(*access.principal()->claims().subject());
}

#ifndef JOT_NO_EXCEPTIONS
struct account {
  std::string id;
  int tier = 0;
};
void from_json(const nlohmann::json& j, account& a) {
  j.at("sub").get_to(a.id);
  j.at("tier").get_to(a.tier);
}
#endif

}  // namespace access_test

TEST_CASE("access_requirement takes RFC 6749 §3.3 scope lists and refuses anything else",
          "[http]") {
  CHECK(jot::access_requirement{}.error());
  CHECK(jot::access_requirement{}.all_of_scopes("orders:read").error());
  const auto both =
      jot::access_requirement{}.all_of_scopes("a b").any_of_scopes("c!#[]~ d").realm("api");
  CHECK(both.error());
  CHECK(both.challenge_scope() == "a b c!#[]~ d");
  CHECK(both.realm() == "api");
  CHECK_FALSE(both.allows_anonymous());
  // A later list replaces the earlier one of its kind.
  CHECK(jot::access_requirement{}.all_of_scopes("a").all_of_scopes("b").challenge_scope() == "b");

  for (const std::string_view list :
       {std::string_view(""), std::string_view(" a"), std::string_view("a "),
        std::string_view("a  b"), std::string_view("a\tb"), std::string_view("a\"b"),
        std::string_view("a\\b"), std::string_view("caf\xc3\xa9"), std::string_view("a\r\nb"),
        std::string_view("a\0b", 3)}) {
    CAPTURE(list);
    const auto all = jot::access_requirement{}.all_of_scopes(list);
    const auto any = jot::access_requirement{}.any_of_scopes(list);
    REQUIRE_FALSE(all.error());
    CHECK(all.error().error() == errc::invalid_argument);
    CHECK(any.error().error() == errc::invalid_argument);
    // A valid list given later does not make it valid again: the mistake is still there.
    CHECK_FALSE(jot::access_requirement{}.all_of_scopes(list).all_of_scopes("a").error());
  }
  CHECK(jot::access_requirement{}.realm("a\nb").error().error() == errc::invalid_argument);
  CHECK(jot::access_requirement{}.realm("caf\xc3\xa9").error().error() == errc::invalid_argument);
  CHECK(jot::access_requirement{}.realm(R"(say "hi")").error());  // quoted when written
}

TEST_CASE("access_requirement matches all-of and any-of sets against `scope` and `scp`", "[http]") {
  const access_test::issuer idp;
  const auto read_write = jot::access_requirement{}.all_of_scopes("orders:read orders:write");
  const auto read_or_admin = jot::access_requirement{}.any_of_scopes("orders:read orders:admin");
  const auto both = jot::access_requirement{}.all_of_scopes("profile").any_of_scopes("a b");
  struct row {
    nlohmann::json claims;
    bool read_write, read_or_admin, both;
  };
  const row rows[] = {
      {{{"scope", "orders:read orders:write"}}, true, true, false},
      {{{"scope", "orders:write  orders:read"}}, true, true, false},  // any order, extra spaces
      {{{"scope", "orders:read"}}, false, true, false},
      {{{"scope", "orders:admin profile b"}}, false, true, true},
      {{{"scope", "profile"}}, false, false, false},
      {{{"scope", "ORDERS:READ"}}, false, false, false},  // case-sensitive
      {{{"scope", "orders:reader"}}, false, false, false},
      {{{"scp", {"orders:read", "orders:write"}}}, true, true, false},  // Okta, Keycloak
      {{{"scp", "orders:admin profile a"}}, false, true, true},         // Entra ID
      {{{"scp", {"orders:read", 1}}}, false, false, false},  // an array of anything else: none
      {{{"scp", {{"orders:read"}}}}, false, false, false},
      {{{"scope", {"orders:read", "orders:write"}}}, false, false, false},  // `scope` is a string
      {{{"scope", "orders:read"}, {"scp", {"orders:write"}}}, true, true, false},  // both count
      {nlohmann::json::object(), false, false, false},
  };
  for (const row& r : rows) {
    CAPTURE(r.claims.dump());
    const auto token = idp.verified(r.claims);
    const auto outcome = [&token](const jot::access_requirement& need) {
      const auto checked = need.check(token);
      if (!checked) CHECK(checked.error() == errc::insufficient_scope);
      return static_cast<bool>(checked);
    };
    CHECK(outcome(read_write) == r.read_write);
    CHECK(outcome(read_or_admin) == r.read_or_admin);
    CHECK(outcome(both) == r.both);
    CHECK(jot::access_requirement{}.check(token));
  }
  const auto broken = jot::access_requirement{}.all_of_scopes("");
  CHECK(broken.check(idp.verified({{"scope", "a"}})).error() == errc::invalid_argument);
  CHECK(jot::has_scope(idp.verified({{"scp", {"x"}}}), "x"));
  CHECK_FALSE(jot::has_scope(idp.verified({{"scp", {"x"}}}), ""));
}

TEST_CASE("authorize() decides in order: requirement, fields, credentials, token, scope",
          "[http]") {
  const access_test::issuer idp;
  const std::string valid = "Bearer " + idp.token({{"scope", "orders:read"}});
  const auto read = jot::access_requirement{}.realm("orders").all_of_scopes("orders:read");
  const auto open = jot::access_requirement{}.allow_anonymous();
  const auto invalid = jot::access_requirement{}.any_of_scopes("a  b");
  const auto decide = [&idp](const jot::access_requirement& need, std::size_t fields,
                             std::string_view authorization) {
    return access_test::decided(jot::authorize(idp.verifier, need, fields, authorization));
  };
  CHECK(decide(read, 1, valid) == "user-42");
  CHECK(decide(invalid, 1, valid) == "invalid_argument");  // before anything else
  CHECK(decide(invalid, 0, "") == "invalid_argument");
  CHECK(decide(read, 2, valid) == "malformed_credentials");
  CHECK(decide(open, 2, valid) == "malformed_credentials");  // anonymous access needs none at all
  CHECK(decide(read, 0, "") == "missing_credentials");
  CHECK(decide(read, 0, valid) == "missing_credentials");  // no field: its value is not read
  CHECK(decide(read, 1, "") == "missing_credentials");
  CHECK(decide(open, 0, "") == "anonymous");
  CHECK(decide(open, 1, "  ") == "anonymous");
  CHECK(decide(open, 1, valid) == "user-42");
  CHECK(decide(open, 1, "Basic dXNlcjpwYXNz") == "unsupported_auth_scheme");
  CHECK(decide(open, 1, "Bearer a b") == "malformed_credentials");
  CHECK(decide(open, 1, "Bearer a.b.c") == "invalid_base64");
  CHECK(decide(read, 1, "Bearer " + idp.token({{"scope", "profile"}})) == "insufficient_scope");
  CHECK(decide(jot::access_requirement{}.allow_anonymous().all_of_scopes("x"), 1, valid) ==
        "insufficient_scope");

  // The refusal says what to answer, and never echoes the token.
  const auto refused = jot::authorize(idp.verifier, read, 1, "Bearer " + idp.token());
  REQUIRE(refused.refusal());
  CHECK(refused.refusal()->status == 403);
  CHECK(refused.refusal()->www_authenticate ==
        R"(Bearer realm="orders", error="insufficient_scope", error_description="the token )"
        R"(lacks a scope the request needs", scope="orders:read")");
  CHECK(refused.refusal()->body == R"({"error":"insufficient_scope"})");
  CHECK(refused.principal() == nullptr);
  CHECK_FALSE(refused.is_anonymous());
}

TEST_CASE("authorize() takes every kind of source", "[http]") {
  const access_test::issuer idp;
  const std::string header = "Bearer " + idp.token();
  const jot::access_requirement any;
  const auto callable = [&idp](std::string_view token) { return idp.verifier.verify(token); };
  CHECK(access_test::decided(jot::authorize(idp.verifier, any, 1, header)) == "user-42");
  CHECK(access_test::decided(jot::authorize(callable, any, 1, header)) == "user-42");
  auto by_reference = std::cref(idp.verifier);
  CHECK(access_test::decided(jot::authorize(by_reference, any, 1, header)) == "user-42");
}

TEST_CASE("refusal_for() answers a failure that is not the client's without a challenge",
          "[http]") {
  const auto unavailable = jot::refusal_for(errc::store_unavailable);
  CHECK(unavailable.status == 503);
  CHECK(unavailable.www_authenticate.empty());
  CHECK(unavailable.body == R"({"error":"store_unavailable"})");
  const auto other = jot::refusal_for(std::make_error_code(std::errc::io_error));
  CHECK(other.status == 500);
  CHECK(other.www_authenticate.empty());
  CHECK(other.body == R"({"error":"not_a_jot_error"})");
  const auto expired = jot::refusal_for(errc::token_expired, jot::access_requirement{}.realm("x"));
  CHECK(expired.status == 401);
  CHECK(expired.www_authenticate ==
        R"(Bearer realm="x", error="invalid_token", error_description="token has expired")");
  // No credentials: a challenge without an error code (RFC 6750 §3.1).
  CHECK(jot::refusal_for(errc::missing_credentials).www_authenticate == "Bearer");
}

TEST_CASE("access_result::map_refusal() keeps the principal and maps the refusal", "[http]") {
  const access_test::issuer idp;
  const jot::access_requirement any;
  const auto status_of = [](jot::access_refusal&& refusal) { return refusal.status; };
  auto admitted =
      jot::authorize(idp.verifier, any, 1, "Bearer " + idp.token()).map_refusal(status_of);
  REQUIRE(admitted.principal());
  CHECK(admitted.principal()->claims().subject() == "user-42");
  auto refused = jot::authorize(idp.verifier, any, 0, "").map_refusal(status_of);
  REQUIRE(refused.refusal());
  CHECK(*refused.refusal() == 401);
  auto anonymous = jot::authorize(idp.verifier, jot::access_requirement{}.allow_anonymous(), 0, "")
                       .map_refusal(status_of);
  CHECK(anonymous.is_anonymous());
  CHECK(anonymous);
}

#ifndef JOT_NO_EXCEPTIONS
TEST_CASE("authorize<T>() converts the claims, and claims that do not fit T are a 401", "[http]") {
  const access_test::issuer idp;
  const auto gold = jot::access_requirement{}.all_of_scopes("gold");
  const auto decide = [&](const nlohmann::json& claims) {
    auto access =
        jot::authorize<access_test::account>(idp.verifier, gold, 1, "Bearer " + idp.token(claims));
    if (const auto* refusal = access.refusal()) {
      return std::string(jot::errc_name(refusal->error)) + " " + std::to_string(refusal->status);
    }
    return access.principal()->id + " tier " + std::to_string(access.principal()->tier);
  };
  CHECK(decide({{"tier", 3}, {"scope", "gold"}}) == "user-42 tier 3");
  CHECK(decide({{"scope", "gold"}}) == "invalid_claim_type 401");
  CHECK(decide({{"tier", "three"}, {"scope", "gold"}}) == "invalid_claim_type 401");
  // Converted before the scope check: no scope would make these claims readable.
  CHECK(decide({{"tier", "three"}}) == "invalid_claim_type 401");
  CHECK(decide({{"tier", 3}}) == "insufficient_scope 403");
}
#endif
