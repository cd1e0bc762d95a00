#pragma once

// The demo auth server's token flow with no HTTP library in it, served over cpp-httplib by
// examples/web_app and over Boost.Beast by examples/beast_server:
//  - POST /login {"username": ..., "password": ...}: an access token in the body (RFC 6749 §5.1's
//    fields) and the refresh token in a cookie, __Secure-refresh, HttpOnly, SameSite=Strict,
//    Path=/auth (sent to the /auth endpoints below only);
//  - POST /auth/refresh: a new pair, the cookie rotated (a retry within 30 s gets the same pair; a
//    spent cookie replayed later ends the session);
//  - POST /auth/logout: the session ends and the cookie is cleared, whatever the answer;
//  - POST /auth/logout-everywhere (Bearer): every session of the caller ends.
// DPoP (RFC 9449, docs/dpop.md): a login whose request carries a DPoP proof starts a session bound
// to the proof's key (token_type "DPoP", `cnf.jkt` in the access tokens); its refreshes need a
// proof by that key (one without, or by another key, ends the session), and the protected routes
// take its access tokens as `Authorization: DPoP` with a proof, never as Bearer. Proofs name the
// server's origin: a page opened at another one (localhost) cannot use DPoP mode.
// Each is a function from the few request fields it reads to a reply, which the server writes
// into its own response type. A refusal is jot's (refusal_for): a status, an RFC 6750 challenge
// whose realm is the server's origin, and {"error": "<errc name>"}.
// The access key rotates on request (rotate_access_key): tokens of the retired keys stay valid
// until they expire, and jwks() publishes the current key and the retired ones for other services
// (examples/microservice).
// Thread-safety: once set up (add_demo_users, accept_origin, on_login), every member may be called
// from any thread.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <jot/dpop.hpp>
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

// A request the demo refuses before any token is involved (a bad login body, a wrong password).
inline reply error_reply(int status, const char* error) {
  return {status, {}, nlohmann::json{{"error", error}}.dump()};
}

// What the cookie endpoints read of a request; empty views for absent fields.
struct cookie_request {
  std::string_view origin;      // Origin
  std::string_view fetch_site;  // Sec-Fetch-Site
  std::string_view cookie;      // the Cookie field
  std::size_t cookie_fields = 1;
  std::vector<std::string_view> dpop{};  // every DPoP field (the refresh of a bound session)
};

class auth_flow {
 public:
  static constexpr auto access_lifetime = std::chrono::minutes(5);
  static constexpr auto refresh_lifetime = std::chrono::hours(24);
  static constexpr const char* access_audience = "jot-demo-api";
  // __Secure-: the browser keeps it only if it came with Secure (RFC 6265bis §4.1.3.1). Not
  // __Host-, which demands Path=/ and so would send the refresh token with every request to this
  // origin (the page, /me, the JWKS, whatever is added later, and every log and proxy on the
  // way): Path=/auth sends it to the /auth endpoints only. What __Host- would add, a cookie no
  // sibling subdomain can set (it forbids Domain), cookie_value() covers by refusing the name
  // twice, and the demo serves an IP address, which has no sibling domains.
  static constexpr const char* refresh_cookie = "__Secure-refresh";
  // How many access keys the JWKS publishes: the current one and two retired ones.
  static constexpr std::size_t published_keys = 3;

  // The server's clock, for a server whose tests move it forward.
  using clock = std::function<std::chrono::system_clock::time_point()>;
  // Called with the pair of each login.
  using login_hook = std::function<void(const jot::token_pair&)>;

  // `origin` ("http://127.0.0.1:<port>") is the server's own: the tokens' issuer, the realm of
  // its challenges and the origin its cookie endpoints serve. `client_id` names the application
  // in the access tokens (RFC 9068 §2.2). `now`: the system clock when empty.
  auth_flow(std::string origin, const char* client_id, jot::session_stores stores, clock now = {})
      : origin_(std::move(origin)),
        client_id_(client_id),
        proofs_(jot::dpop::verifier::builder{}.build().value()),
        realm_(jot::access_requirement{}.realm(origin_).accept_dpop(proofs_)),
        stores_(std::move(stores)),
        now_(std::move(now)),
        refresh_key_(jot::signing_key::generate(jot::algorithm::hs256)
                         .value()
                         .with_key_id("refresh-1")
                         .value()),
        state_(next_state()) {}

  // The demo's users, alice / wonderland (scopes profile, orders:read) and bob / builder
  // (profile), hashed now; nothing else keeps the passwords. False when hashing fails.
  bool add_demo_users() {
    return add_user("alice", "wonderland", "profile orders:read") &&
           add_user("bob", "builder", "profile");
  }

  // Another origin of this same server, whose requests the cookie endpoints serve too (a loopback
  // server opened as http://localhost:<port>).
  void accept_origin(std::string origin) { other_origins_.push_back(std::move(origin)); }

  // `hook` sees every login's pair (web_app's stolen-token demo keeps a copy of the refresh token).
  void on_login(login_hook hook) { on_login_ = std::move(hook); }

  // What issues and verifies the tokens now; a key rotation replaces it, and the one returned
  // stays valid for as long as the caller holds it.
  std::shared_ptr<const jot::session_manager> sessions() const {
    auto state = state_.load();
    return {state, &state->sessions};
  }
  // Verifies an access token: the flow is a source for jot's adapters (jot/http/access.hpp); the
  // second form, a DPoP-bound one with its proof's key.
  jot::result<jot::verified_token> authenticate(std::string_view access_token) const {
    return sessions()->authenticate(access_token);
  }
  jot::result<jot::verified_token> authenticate(std::string_view access_token,
                                                const jot::dpop::proven_key& key) const {
    return sessions()->authenticate(access_token, key);
  }
  // A requirement naming the server's realm and taking Bearer and DPoP tokens, which the
  // protected routes build on; they name `origin()` as the origin of DPoP proofs.
  const jot::access_requirement& realm() const noexcept { return realm_; }
  const std::string& origin() const noexcept { return origin_; }
  // GET /.well-known/jwks.json: the public half of the current and retired access keys.
  std::string jwks() const { return state_.load()->jwks; }

  // Signs with a new access key from now on; see the top of this file.
  void rotate_access_key() {
    std::lock_guard<std::mutex> lock(rotation_mutex_);
    state_.store(next_state());
  }

  // POST /login. JSON only: a cross-site form cannot send application/json without a CORS
  // preflight, which this server never grants, so no other site can log a browser in as someone
  // else. Slow on purpose (the password hash): an async server runs it off its I/O threads.
  // `dpop`: the request's DPoP fields; with one, the session is bound to the proof's key.
  reply login(std::string_view content_type, std::string_view body,
              const std::vector<std::string_view>& dpop = {}) const {
    if (content_type.substr(0, 16) != "application/json")
      return error_reply(400, "invalid_request");
    const auto fields = nlohmann::json::parse(body, nullptr, false);
    if (!fields.is_object() || !fields.value("username", nlohmann::json()).is_string() ||
        !fields.value("password", nlohmann::json()).is_string() || users_.empty()) {
      return error_reply(400, "invalid_request");
    }
    const auto found = users_.find(fields["username"].get<std::string>());
    // An unknown name costs a hash too, so the answer's timing does not reveal which names exist.
    const user& checked = found != users_.end() ? found->second : users_.begin()->second;
    const bool password_matches = checked.hash.matches(fields["password"].get<std::string>());
    // RFC 6749 §5.2's name for it; no challenge, since a password is not a Bearer credential.
    if (found == users_.end() || !password_matches) return error_reply(401, "invalid_grant");
    const nlohmann::json claims{{"scope", found->second.scope}};
    std::optional<jot::dpop::verified_proof> proof;
    if (!dpop.empty()) {
      auto verified = proofs_.verify({"POST", origin_ + "/login", dpop});
      if (!verified) return refused(verified.error(), jot::token_scheme::dpop);
      proof = std::move(*verified);
    }
    const auto pair = proof ? sessions()->issue_pair(found->first, claims, proof->key)
                            : sessions()->issue_pair(found->first, claims);
    if (!pair) return refused(pair.error());
    if (on_login_) on_login_(*pair);
    return tokens(*pair, proof.has_value());
  }

  // POST /auth/refresh; with a DPoP proof, for a session bound to its key.
  reply refresh(const cookie_request& request) const {
    const auto token = cookie_token(request);
    if (!token) return refused(token.error());
    std::optional<jot::dpop::verified_proof> proof;
    if (!request.dpop.empty()) {
      auto verified = proofs_.verify({"POST", origin_ + "/auth/refresh", request.dpop});
      if (!verified) return refused(verified.error(), jot::token_scheme::dpop);
      proof = std::move(*verified);
    }
    const auto pair = proof ? sessions()->refresh(*token, proof->key) : sessions()->refresh(*token);
    if (!pair) {
      reply out = refused(pair.error());
      // A cookie that can never work again (reused, revoked, expired) is removed.
      if (out.status == 401) out.headers.emplace_back("Set-Cookie", cleared_cookie());
      return out;
    }
    return tokens(*pair, proof.has_value());
  }

  // POST /auth/logout. The cookie is cleared whatever the answer: a user who asks to log out must
  // lose the cookie even when the request is refused (cross-site, a tossed duplicate, a spent or
  // forged token), or a browser could keep a cookie it can no longer get rid of. A refusal ends
  // no session.
  reply logout(const cookie_request& request) const {
    reply out{200, {}, R"({"logged_out":true})"};
    if (const auto token = cookie_token(request); !token) {
      out = refused(token.error());
    } else if (const auto ended = sessions()->end_session(*token); !ended) {
      out = refused(ended.error());
    }
    out.headers.emplace_back("Set-Cookie", cleared_cookie());
    return out;
  }

  // POST /auth/logout-everywhere, for the subject of a verified access token: bumps its token
  // version, so that every token issued to it so far, on every device, is refused
  // (token_version_mismatch). The Bearer token says who asks, which no other site can send (no
  // CSRF). The cookie is cleared as logout clears it.
  reply logout_everywhere(std::string_view subject) const {
    const auto version = sessions()->logout_everywhere(subject);
    reply out = version ? reply{200, {}, nlohmann::json{{"token_version", *version}}.dump()}
                        : refused(version.error());
    out.headers.emplace_back("Set-Cookie", cleared_cookie());
    return out;
  }

 private:
  struct user {
    password_hash hash;
    std::string scope;
  };

  bool add_user(const std::string& name, std::string_view password, std::string scope) {
    auto hash = password_hash::create(password);
    if (!hash) return false;
    users_.emplace(name, user{std::move(*hash), std::move(scope)});
    return true;
  }

  // What signs and verifies, swapped as a whole when the access key rotates.
  struct signing_state {
    jot::session_manager sessions;
    std::string jwks;
  };

  std::chrono::system_clock::time_point now() const {
    return now_ ? now_() : std::chrono::system_clock::now();
  }

  // A manager that signs with a new access key and still accepts tokens of the keys published
  // before it until they expire; the JWKS publishes the newest of them, so other services accept
  // them too. Called by the constructor, or with rotation_mutex_ held.
  std::shared_ptr<const signing_state> next_state() {
    const std::string kid = "access-" + std::to_string(++key_generation_);
    const auto current =
        jot::signing_key::generate(jot::algorithm::es256).value().with_key_id(kid).value();
    auto builder = jot::session_manager::builder{}
                       .issuer(origin_)
                       .access_audience(access_audience)
                       .client_id(client_id_)
                       .access_key(current)
                       .refresh_key(refresh_key_)
                       .access_lifetime(access_lifetime)
                       .refresh_lifetime(refresh_lifetime)
                       .session_lifetime(refresh_lifetime)
                       .expect_active_session()
                       .stores(stores_);
    for (const auto& key : published_) builder.accept_access_key(key);
    if (now_) builder.allow_custom_clock(now_);
    // Newest first; the next rotation accepts them all, and publishes the newest.
    published_.insert(published_.begin(), current.verification_key().value());
    if (published_.size() > published_keys) {
      published_.erase(published_.begin() + published_keys, published_.end());
    }
    auto jwks = jot::key_set::from_keys(published_).value().to_jwks().value().dump();
    return std::make_shared<const signing_state>(
        signing_state{std::move(builder.build().value()), std::move(jwks)});
  }

  reply refused(const jot::error_info& error,
                jot::token_scheme scheme = jot::token_scheme::bearer) const {
    jot::access_refusal refusal = jot::refusal_for(error, realm_, scheme);
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

  reply tokens(const jot::token_pair& pair, bool bound = false) const {
    const auto issued_at = now();
    auto options = cookie_options();
    options.max_age = cookie_max_age(pair.refresh_expires_at, issued_at);
    const auto expires_in =
        std::chrono::duration_cast<std::chrono::seconds>(pair.access_expires_at - issued_at);
    return {200,
            {{"Set-Cookie", jot::set_cookie(refresh_cookie, pair.refresh_token, options).value()},
             {"Cache-Control", "no-store"}},  // RFC 6749 §5.1
            nlohmann::json{{"access_token", pair.access_token},
                           {"token_type", bound ? "DPoP" : "Bearer"},
                           {"expires_in", expires_in.count()}}
                .dump()};
  }

  // The refresh token of a cookie endpoint's request. SameSite=Strict keeps the cookie off
  // cross-site requests, and the same-origin check refuses them where a browser does not
  // enforce SameSite (CSRF, RFC 6265bis §8.8). A user agent sends one Cookie field
  // (RFC 6265 §5.4); two are refused like a cookie named twice.
  jot::result<std::string_view> cookie_token(const cookie_request& request) const {
    auto same = jot::check_same_origin(request.origin, request.fetch_site, origin_);
    for (const auto& other : other_origins_) {
      if (!same) same = jot::check_same_origin(request.origin, request.fetch_site, other);
    }
    if (!same) return same.error();
    if (request.cookie_fields > 1) return jot::errc::malformed_cookie;
    return jot::cookie_value(request.cookie, refresh_cookie);
  }

  const std::string origin_;
  const std::string client_id_;
  const jot::dpop::verifier proofs_;
  const jot::access_requirement realm_;
  const jot::session_stores stores_;
  const clock now_;
  const jot::signing_key refresh_key_;
  std::vector<std::string> other_origins_;
  std::map<std::string, user> users_;
  login_hook on_login_;
  std::mutex rotation_mutex_;
  int key_generation_ = 0;
  std::vector<jot::verification_key> published_;  // newest first
  jot::hot_swap<signing_state> state_;
};

}  // namespace demo
