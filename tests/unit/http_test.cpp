// The HTTP helpers (http.hpp, cookies.hpp): RFC 6750 Bearer parsing and challenges, the status
// of every error, cookies (RFC 6265 and its prefix and SameSite rules), the same-origin check and
// scopes. Tables of grammar cases, hostile inputs included (CR/LF injection, cookie tossing, huge
// headers).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "catch.hpp"

#include <jot/http.hpp>
#include <jot/jot.hpp>

using jot::errc;
using namespace std::chrono_literals;

namespace {

std::string describe(const jot::result<std::string_view>& outcome) {
  return outcome ? "token " + std::string(*outcome) : jot::errc_name(outcome.error());
}

}  // namespace

TEST_CASE("bearer_token reads RFC 6750 §2.1 credentials exactly", "[http]") {
  struct row {
    std::string header;
    std::optional<std::string> token;  // nullopt: refused with `error`
    errc error;
  };
  const row rows[] = {
      {"Bearer abc.def.ghi", "abc.def.ghi", {}},
      {"bearer abc", "abc", {}},  // the scheme is case-insensitive (RFC 9110 §11.1)
      {"BEARER abc", "abc", {}},
      {"Bearer   abc", "abc", {}},              // 1*SP
      {"  Bearer abc  ", "abc", {}},            // a field value has no surrounding whitespace
      {"Bearer aZ09-._~+/", "aZ09-._~+/", {}},  // every b64token character
      {"Bearer abc==", "abc==", {}},            // then *"="
      {"", std::nullopt, errc::missing_credentials},
      {"   ", std::nullopt, errc::missing_credentials},
      {"Basic dXNlcjpwYXNz", std::nullopt, errc::unsupported_auth_scheme},
      {"Digest username=\"a\"", std::nullopt, errc::unsupported_auth_scheme},
      {"Bearerabc", std::nullopt, errc::unsupported_auth_scheme},
      {"abc.def.ghi", std::nullopt, errc::unsupported_auth_scheme},  // no scheme at all
      {"Bearer", std::nullopt, errc::malformed_credentials},
      {"Bearer ", std::nullopt, errc::malformed_credentials},
      {"Bearer\tabc", std::nullopt, errc::malformed_credentials},
      {"Bearer abc def", std::nullopt, errc::malformed_credentials},
      {"Bearer ab=c", std::nullopt, errc::malformed_credentials},  // "=" only at the end
      {"Bearer ==", std::nullopt, errc::malformed_credentials},
      {"Bearer abc,", std::nullopt, errc::malformed_credentials},
      {"Bearer \"abc\"", std::nullopt, errc::malformed_credentials},
      {"Bearer abc\r\nX-Injected: 1", std::nullopt, errc::malformed_credentials},
      {std::string("Bearer ab\0c", 11), std::nullopt, errc::malformed_credentials},
      {"Bearer ab\xc3\xa9", std::nullopt, errc::malformed_credentials},
      {"B\xc3\xa9\x61rer abc", std::nullopt, errc::malformed_credentials},
  };
  for (const auto& r : rows) {
    INFO("header: " << r.header);
    const auto outcome = jot::bearer_token(r.header);
    if (r.token) {
      CHECK(describe(outcome) == "token " + *r.token);
    } else {
      CHECK(describe(outcome) == jot::errc_name(r.error));
    }
  }
  // A huge header is read in one linear pass and refused or passed on as it is: the verifier's
  // size cap then applies to the token.
  const std::string huge(1 << 20, 'a');
  const std::string header = "Bearer " + huge;
  CHECK(jot::bearer_token(header).value().size() == huge.size());
  CHECK(describe(jot::bearer_token("Bearer " + huge + " ")) == "token " + huge);
  CHECK(describe(jot::bearer_token("Bearer " + huge + "\n")) == "malformed_credentials");
}

TEST_CASE("http_status maps every error to its RFC 6750 status", "[http]") {
  struct row {
    std::error_code error;
    int status;
  };
  const row rows[] = {
      {{}, 200},
      // RFC 6750 §3.1: a malformed token is invalid_token (401); a malformed header, 400.
      {errc::malformed_token, 401},
      {errc::invalid_base64, 401},
      {errc::malformed_credentials, 400},
      {errc::malformed_cookie, 400},
      {errc::missing_credentials, 401},
      {errc::unsupported_auth_scheme, 401},
      {errc::invalid_signature, 401},
      {errc::token_expired, 401},
      {errc::token_revoked, 401},
      {errc::refresh_token_reused, 401},
      {errc::insufficient_scope, 403},
      {errc::cross_site_request, 403},
      {errc::weak_key, 500},
      {errc::store_unavailable, 503},
      {errc::store_full, 503},
      {errc::store_evicts, 503},
      {errc::keys_unavailable, 503},
      {std::make_error_code(std::errc::io_error), 500},
  };
  for (const auto& r : rows) {
    INFO(r.error.message());
    CHECK(jot::http_status(r.error) == r.status);
  }
}

TEST_CASE("www_authenticate builds the RFC 6750 §3 challenge for an error", "[http]") {
  const jot::bearer_challenge api{"api", ""};
  struct row {
    std::error_code error;
    jot::bearer_challenge challenge;
    std::string expected;
  };
  const row rows[] = {
      // No credentials: no error code (§3.1).
      {errc::missing_credentials, api, R"(Bearer realm="api")"},
      {errc::unsupported_auth_scheme, api, R"(Bearer realm="api")"},
      {errc::missing_credentials, {}, "Bearer"},
      {errc::malformed_credentials, api,
       R"(Bearer realm="api", error="invalid_request", error_description="Authorization header is not the Bearer scheme followed by one token, or comes twice")"},
      {errc::invalid_base64,
       {},
       R"(Bearer error="invalid_token", error_description="segment is not canonical unpadded base64url")"},
      {errc::token_expired, api,
       R"(Bearer realm="api", error="invalid_token", error_description="token has expired")"},
      {errc::invalid_signature, api,
       R"(Bearer realm="api", error="invalid_token", error_description="signature does not verify")"},
      {errc::insufficient_scope,
       {"api", "orders:read orders:write"},
       R"(Bearer realm="api", error="insufficient_scope", error_description="the token lacks a scope the request needs", scope="orders:read orders:write")"},
      // A realm is a quoted-string: quotes and backslashes are escaped.
      {errc::missing_credentials,
       {R"(my "quoted" \ realm)", ""},
       R"(Bearer realm="my \"quoted\" \\ realm")"},
      // 500 and 503 need no challenge: the scheme (and realm) only.
      {errc::store_unavailable, api, R"(Bearer realm="api")"},
  };
  for (const auto& r : rows) {
    INFO(r.error.message());
    CHECK(jot::www_authenticate(r.error, r.challenge).value() == r.expected);
  }
  // CR/LF or any control character would split the header: refused.
  const std::string hostile[] = {"a\r\nSet-Cookie: x=1", "a\nb", std::string("a\0b", 3),
                                 "caf\xc3\xa9"};
  for (const auto& bad : hostile) {
    CHECK(jot::www_authenticate(errc::token_expired, {bad, ""}).error() == errc::invalid_argument);
    CHECK(jot::www_authenticate(errc::insufficient_scope, {"api", bad}).error() ==
          errc::invalid_argument);
  }
  CHECK(jot::www_authenticate(errc::insufficient_scope, {"api", R"(a"b)"}).error() ==
        errc::invalid_argument);
}

TEST_CASE("set_cookie writes safe defaults and enforces the prefix and SameSite rules", "[http]") {
  CHECK(jot::set_cookie("refresh", "abc.def").value() ==
        "refresh=abc.def; Path=/; Secure; HttpOnly; SameSite=Strict");
  jot::cookie_options scoped;
  scoped.path = "/auth";
  scoped.max_age = 604800s;
  CHECK(jot::set_cookie("__Secure-refresh", "v", scoped).value() ==
        "__Secure-refresh=v; Path=/auth; Max-Age=604800; Secure; HttpOnly; SameSite=Strict");
  jot::cookie_options lax;
  lax.same_site = jot::same_site::lax;
  lax.http_only = false;
  lax.domain = "example.com";
  CHECK(jot::set_cookie("csrf", "t0k", lax).value() ==
        "csrf=t0k; Path=/; Domain=example.com; Secure; SameSite=Lax");
  CHECK(jot::set_cookie("__Host-id", "1").value() ==
        "__Host-id=1; Path=/; Secure; HttpOnly; SameSite=Strict");
  CHECK(jot::clear_cookie("__Secure-refresh", scoped).value() ==
        "__Secure-refresh=; Path=/auth; Max-Age=0; Secure; HttpOnly; SameSite=Strict");

  const auto refused = [](std::string_view name, std::string_view value,
                          const jot::cookie_options& options) {
    const auto outcome = jot::set_cookie(name, value, options);
    return !outcome && outcome.error() == errc::invalid_argument;
  };
  const jot::cookie_options defaults;
  jot::cookie_options insecure;
  insecure.secure = false;
  jot::cookie_options with_domain;
  with_domain.domain = "example.com";
  jot::cookie_options sub_path;
  sub_path.path = "/auth";
  jot::cookie_options none_insecure;
  none_insecure.same_site = jot::same_site::none;
  none_insecure.secure = false;
  jot::cookie_options negative_age;
  negative_age.max_age = -1s;
  jot::cookie_options injected_path;
  injected_path.path = "/\r\nSet-Cookie: admin=1";
  jot::cookie_options semicolon_path;
  semicolon_path.path = "/a; Domain=evil.example";
  jot::cookie_options relative_path;
  relative_path.path = "auth";
  CHECK(refused("", "v", defaults));
  CHECK(refused("na me", "v", defaults));
  CHECK(refused("name=", "v", defaults));
  CHECK(refused("name", "a;b", defaults));
  CHECK(refused("name", "a b", defaults));
  CHECK(refused("name", "a\r\nSet-Cookie: admin=1", defaults));
  CHECK(refused("name", "\"quoted\"", defaults));
  CHECK(refused("name", "a,b", defaults));
  CHECK(refused("name", "caf\xc3\xa9", defaults));
  CHECK(refused("__Host-id", "1", insecure));
  CHECK(refused("__Host-id", "1", with_domain));
  CHECK(refused("__Host-id", "1", sub_path));
  CHECK(refused("__Secure-id", "1", insecure));
  CHECK(refused("id", "1", none_insecure));
  CHECK(refused("id", "1", negative_age));
  CHECK(refused("id", "1", injected_path));
  CHECK(refused("id", "1", semicolon_path));
  CHECK(refused("id", "1", relative_path));
  CHECK_FALSE(refused("id", "1", insecure));  // a plain cookie may go without Secure
}

TEST_CASE("cookie_value reads the named cookie strictly and skips malformed unrelated ones",
          "[http]") {
  struct row {
    std::string header;
    std::string name;
    std::string expected;  // "token <value>" or an errc name
  };
  const row rows[] = {
      {"refresh=abc", "refresh", "token abc"},
      {"a=1; refresh=abc.def-_; b=2", "refresh", "token abc.def-_"},
      {"refresh=\"quoted\"", "refresh", "token quoted"},
      {"refresh=", "refresh", "token "},
      {"refresh=a=b==", "refresh", "token a=b=="},
      {"Refresh=abc", "refresh", "missing_credentials"},  // names are case-sensitive
      {"a=1; b=2", "refresh", "missing_credentials"},
      {"", "refresh", "missing_credentials"},
      {"  ", "refresh", "missing_credentials"},
      // The requested cookie itself is read strictly: refused, never guessed at.
      {"refresh=1; refresh=2", "refresh", "malformed_cookie"},       // cookie tossing
      {"refresh=1; a=0; refresh=1", "refresh", "malformed_cookie"},  // even with equal values
      {"a=1;refresh=2", "refresh", "malformed_cookie"},              // "; " exactly before it
      {"a=1;  refresh=2", "refresh", "malformed_cookie"},
      {"a=1;\trefresh=2", "refresh", "malformed_cookie"},
      {"refresh =abc", "refresh", "malformed_cookie"},  // no space around its name
      {"refresh= abc", "refresh", "malformed_cookie"},
      {"refresh=abc ; a=1", "refresh", "malformed_cookie"},
      {"refresh=a b", "refresh", "malformed_cookie"},
      {"refresh=a\"b", "refresh", "malformed_cookie"},
      {"refresh=\"abc", "refresh", "malformed_cookie"},
      {"refresh=a,b", "refresh", "malformed_cookie"},
      {"refresh=abc\r\nX: 1", "refresh", "malformed_cookie"},
      {"refresh=\xff", "refresh", "malformed_cookie"},
      {"refresh=ok; refresh=a b", "refresh", "malformed_cookie"},  // a bad duplicate too
      // Other cookies off the grammar, as browsers send them (a space or comma in a value, a
      // nameless cookie) or as a sibling subdomain plants them, are skipped: they must not lock
      // the user out of refresh and logout.
      {"a=\xff; refresh=abc", "refresh", "token abc"},
      {"theme=dark mode; refresh=abc", "refresh", "token abc"},
      {"refresh=abc; theme=dark mode", "refresh", "token abc"},
      {"ids=1,2,3; refresh=abc", "refresh", "token abc"},
      {"a=1, refresh=evil; refresh=abc", "refresh", "token abc"},  // no comma separator
      {"nameless; refresh=abc", "refresh", "token abc"},
      {"=abc; refresh=abc", "refresh", "token abc"},
      {"refresh; refresh=abc", "refresh",
       "token abc"},  // a nameless cookie whose value is "refresh"
      {"=refresh=evil; refresh=abc", "refresh", "token abc"},
      {"re fresh=evil; refresh=abc", "refresh", "token abc"},
      {"a=\"x; refresh=abc", "refresh", "token abc"},
      {"a=1;; refresh=abc", "refresh", "token abc"},  // an empty pair
      {"refresh=abc; ", "refresh", "token abc"},
      {"refresh=abc;", "refresh", "token abc"},
      {"a=1; ", "refresh", "missing_credentials"},
      {"a=1;", "refresh", "missing_credentials"},
      {"refresh", "refresh", "missing_credentials"},
      {"=abc", "refresh", "missing_credentials"},
      {"re fresh=abc", "refresh", "missing_credentials"},
      {"x=\x01\x7f", "refresh", "missing_credentials"},
      // The name asked for must be a token.
      {"a b=1", "a b", "invalid_argument"},
      {"=1", "", "invalid_argument"},
  };
  for (const auto& r : rows) {
    INFO("Cookie: " << r.header);
    CHECK(describe(jot::cookie_value(r.header, r.name)) == r.expected);
  }
  std::string many;
  for (int i = 0; i < 20000; ++i) many += "c" + std::to_string(i) + "=v; ";
  CHECK(describe(jot::cookie_value(many + "refresh=x", "refresh")) == "token x");
  std::string noisy;
  for (int i = 0; i < 20000; ++i) noisy += "c" + std::to_string(i) + "=a b,c; ";
  CHECK(describe(jot::cookie_value(noisy + "refresh=x", "refresh")) == "token x");
}

TEST_CASE("check_same_origin refuses cross-site requests to cookie endpoints", "[http]") {
  const std::string_view self = "http://127.0.0.1:8080";
  CHECK(jot::check_same_origin("http://127.0.0.1:8080", "", self));
  CHECK(jot::check_same_origin("HTTP://127.0.0.1:8080", "same-origin", self));
  CHECK(jot::check_same_origin("", "same-origin", self));
  const auto refused = [&](std::string_view origin, std::string_view site) {
    const auto outcome = jot::check_same_origin(origin, site, self);
    return !outcome && outcome.error() == errc::cross_site_request;
  };
  CHECK(refused("http://evil.example", "cross-site"));
  CHECK(refused("http://127.0.0.1:8081", "same-site"));
  CHECK(refused("https://127.0.0.1:8080", ""));  // another scheme is another origin
  CHECK(refused("http://127.0.0.1:8080.evil.example", ""));
  CHECK(refused("null", ""));  // sandboxed or privacy-sensitive contexts
  CHECK(refused("", "cross-site"));
  CHECK(refused("", "same-site"));  // a sibling subdomain is not this origin
  CHECK(refused("", "none"));
  CHECK(refused("", ""));  // neither header: not a browser we can check
  CHECK_FALSE(jot::check_same_origin("http://127.0.0.1:8080", "", ""));
}

TEST_CASE("has_scope matches one space-separated scope exactly", "[http]") {  // and access_test.cpp
  const auto key = jot::signing_key::generate(jot::algorithm::hs256).value();
  const auto verifier = jot::verifier::builder{}.add_key(key.verification_key().value()).build();
  const auto token_with = [&](std::optional<nlohmann::json> scope) {
    jot::claims::builder claims;
    claims.subject("user-42").expires_in(5min);
    if (scope) claims.claim("scope", *scope);
    return verifier->verify(jot::encoder{key}.sign(claims.build().value()).value()).value();
  };
  const auto token = token_with(nlohmann::json("orders:read  orders:write profile"));
  CHECK(jot::has_scope(token, "orders:read"));
  CHECK(jot::has_scope(token, "orders:write"));
  CHECK(jot::has_scope(token, "profile"));
  CHECK_FALSE(jot::has_scope(token, "orders"));
  CHECK_FALSE(jot::has_scope(token, "orders:read orders:write"));
  CHECK_FALSE(jot::has_scope(token, "ORDERS:READ"));
  CHECK_FALSE(jot::has_scope(token, ""));
  CHECK_FALSE(jot::has_scope(token_with(std::nullopt), "orders:read"));
  CHECK_FALSE(jot::has_scope(token_with(nlohmann::json({"orders:read"})), "orders:read"));
}
