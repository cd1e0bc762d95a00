#pragma once

// The demo auth server's token flow with no HTTP library in it (examples/beast_server serves it
// over Boost.Beast; examples/web_app has the same flow written against cpp-httplib):
//  - POST /login {"username": ..., "password": ...}: an access token in the body (RFC 6749 §5.1's
//    fields) and the refresh token in a cookie, __Secure-refresh, HttpOnly, SameSite=Strict,
//    Path=/auth (sent to the two endpoints below only);
//  - POST /auth/refresh: a new pair, the cookie rotated (a retry within 30 s gets the same pair; a
//    spent cookie replayed later ends the session);
//  - POST /auth/logout: the session ends and the cookie is cleared, whatever the answer.
// Each is a function from the few request fields it reads to a reply, which the server writes
// into its own response type. A refusal is jot's (refusal_for): a status, an RFC 6750 challenge
// whose realm is the server's origin, and {"error": "<errc name>"}.
// Thread-safety: once the users are added, every member may be called from any thread.

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <jot/http.hpp>
#include <jot/jot.hpp>
#include <jot/session.hpp>

#include "cookie_age.hpp"
#include "password.hpp"

namespace demo {

// An HTTP answer, independent of the server's library.
struct reply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // JSON
};

// What the cookie endpoints read of a request; empty views for absent fields.
struct cookie_request {
  std::string_view origin;      // Origin
  std::string_view fetch_site;  // Sec-Fetch-Site
  std::string_view cookie;      // the Cookie field
  std::size_t cookie_fields = 1;
};

class auth_flow {
 public:
  static constexpr auto access_lifetime = std::chrono::minutes(5);
  static constexpr auto refresh_lifetime = std::chrono::hours(24);
  static constexpr const char* access_audience = "jot-demo-api";
  // __Secure- rather than __Host-, which demands Path=/ and so would send the refresh token with
  // every request to this origin (README.md, "Protect an HTTP route").
  static constexpr const char* refresh_cookie = "__Secure-refresh";

  // `origin` ("http://127.0.0.1:<port>") is the server's own: the tokens' issuer, the realm of
  // its challenges and the only origin its cookie endpoints serve. `client_id` names the
  // application in the access tokens (RFC 9068 §2.2).
  auth_flow(std::string origin, const char* client_id, jot::session_stores stores)
      : origin_(std::move(origin)),
        realm_(jot::access_requirement{}.realm(origin_)),
        sessions_(jot::session_manager::builder{}
                      .issuer(origin_)
                      .access_audience(access_audience)
                      .client_id(client_id)
                      .access_key(jot::signing_key::generate(jot::algorithm::es256)
                                      .value()
                                      .with_key_id("access-1")
                                      .value())
                      .refresh_key(jot::signing_key::generate(jot::algorithm::hs256)
                                       .value()
                                       .with_key_id("refresh-1")
                                       .value())
                      .access_lifetime(access_lifetime)
                      .refresh_lifetime(refresh_lifetime)
                      .session_lifetime(refresh_lifetime)
                      .expect_active_session()
                      .stores(std::move(stores))
                      .build()
                      .value()) {}

  // A demo user, hashed now; nothing else keeps the password. False when hashing fails.
  bool add_user(const std::string& name, std::string_view password, std::string scope) {
    auto hash = password_hash::create(password);
    if (!hash) return false;
    users_.emplace(name, user{std::move(*hash), std::move(scope)});
    return true;
  }

  // What verifies the access tokens, for the protected routes.
  const jot::session_manager& sessions() const noexcept { return sessions_; }
  // A requirement naming the server's realm, which the protected routes build on.
  const jot::access_requirement& realm() const noexcept { return realm_; }

  // POST /login. JSON only: a cross-site form cannot send application/json without a CORS
  // preflight, which this server never grants, so no other site can log a browser in. Slow on
  // purpose (the password hash): an async server runs it off its I/O threads.
  reply login(std::string_view content_type, std::string_view body) const {
    if (content_type.substr(0, 16) != "application/json") return plain(400, "invalid_request");
    const auto fields = nlohmann::json::parse(body, nullptr, false);
    if (!fields.is_object() || !fields.value("username", nlohmann::json()).is_string() ||
        !fields.value("password", nlohmann::json()).is_string() || users_.empty()) {
      return plain(400, "invalid_request");
    }
    const auto found = users_.find(fields["username"].get<std::string>());
    // An unknown name costs a hash too, so the answer's timing does not reveal which names exist.
    const user& checked = found != users_.end() ? found->second : users_.begin()->second;
    const bool password_matches = checked.hash.matches(fields["password"].get<std::string>());
    // RFC 6749 §5.2's name for it; no challenge, since a password is not a Bearer credential.
    if (found == users_.end() || !password_matches) return plain(401, "invalid_grant");
    const auto pair = sessions_.issue_pair(found->first, {{"scope", found->second.scope}});
    if (!pair) return refused(pair.error());
    return tokens(*pair);
  }

  // POST /auth/refresh.
  reply refresh(const cookie_request& request) const {
    const auto token = cookie_token(request);
    if (!token) return refused(token.error());
    const auto pair = sessions_.refresh(*token);
    if (!pair) {
      reply out = refused(pair.error());
      // A cookie that can never work again (reused, revoked, expired) is removed.
      if (out.status == 401) out.headers.emplace_back("Set-Cookie", cleared_cookie());
      return out;
    }
    return tokens(*pair);
  }

  // POST /auth/logout. The cookie is cleared whatever the answer: a user who asks to log out
  // must lose it even when the request is refused. A refusal ends no session.
  reply logout(const cookie_request& request) const {
    reply out{200, {}, R"({"logged_out":true})"};
    if (const auto token = cookie_token(request); !token) {
      out = refused(token.error());
    } else if (const auto ended = sessions_.end_session(*token); !ended) {
      out = refused(ended.error());
    }
    out.headers.emplace_back("Set-Cookie", cleared_cookie());
    return out;
  }

 private:
  struct user {
    password_hash hash;
    std::string scope;
  };

  static reply plain(int status, const char* error) {
    return {status, {}, nlohmann::json{{"error", error}}.dump()};
  }

  reply refused(const jot::error_info& error) const {
    jot::access_refusal refusal = jot::refusal_for(error, realm_);
    reply out{refusal.status, {{"Cache-Control", "no-store"}}, std::move(refusal.body)};
    if (!refusal.www_authenticate.empty()) {
      out.headers.emplace_back("WWW-Authenticate", std::move(refusal.www_authenticate));
    }
    return out;
  }

  // The refresh cookie's attributes, the same for setting and clearing (else the browser keeps a
  // second cookie).
  static jot::cookie_options cookie_options() {
    jot::cookie_options options;
    options.path = "/auth";
    return options;
  }
  static std::string cleared_cookie() {
    return jot::clear_cookie(refresh_cookie, cookie_options()).value();
  }

  reply tokens(const jot::token_pair& pair) const {
    const auto now = std::chrono::system_clock::now();
    auto options = cookie_options();
    options.max_age = cookie_max_age(pair.refresh_expires_at, now);
    const auto expires_in =
        std::chrono::duration_cast<std::chrono::seconds>(pair.access_expires_at - now);
    return {200,
            {{"Set-Cookie", jot::set_cookie(refresh_cookie, pair.refresh_token, options).value()},
             {"Cache-Control", "no-store"}},  // RFC 6749 §5.1
            nlohmann::json{{"access_token", pair.access_token},
                           {"token_type", "Bearer"},
                           {"expires_in", expires_in.count()}}
                .dump()};
  }

  // The refresh token of a cookie endpoint's request. SameSite=Strict keeps the cookie off
  // cross-site requests, and the same-origin check refuses them where a browser does not
  // enforce SameSite (CSRF, RFC 6265bis §8.8). A user agent sends one Cookie field
  // (RFC 6265 §5.4); two are refused like a cookie named twice.
  jot::result<std::string_view> cookie_token(const cookie_request& request) const {
    if (const auto same = jot::check_same_origin(request.origin, request.fetch_site, origin_);
        !same) {
      return same.error();
    }
    if (request.cookie_fields > 1) return jot::errc::malformed_cookie;
    return jot::cookie_value(request.cookie, refresh_cookie);
  }

  const std::string origin_;
  const jot::access_requirement realm_;
  const jot::session_manager sessions_;
  std::map<std::string, user> users_;
};

}  // namespace demo
