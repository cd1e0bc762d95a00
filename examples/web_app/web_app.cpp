// The demo auth server: a page that shows what it holds (page/: the access token decoded, with a
// live countdown, and proof that it cannot read the refresh cookie), Bearer access tokens, a
// rotating refresh token in an HttpOnly cookie, logout, logout everywhere, a stolen-token replay,
// and the public keys as JWKS for other services (examples/microservice).
//
//   web_app [--port N] [--redis URL] [--testing]
//
// Listens on 127.0.0.1 only (port 8080 by default; 0 picks a free one) and prints its origin.
// Sessions live in memory, or with --redis URL on that Redis server, shared with every
// microservice given the same URL.
// POST /demo/replay-stolen-refresh exists for the page's stolen-token scenario
// (stolen_refresh_tokens, below).
// --testing adds two endpoints for the HTTP tests, never for a real deployment:
// POST /testing/advance-clock {"seconds": N} moves the server's clock forward (expiry without
// sleeping) and POST /testing/rotate-keys rotates the access-token signing key.
#include <atomic>
#include <chrono>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <jot/http.hpp>
#include <jot/http/httplib.hpp>
#include <jot/jot.hpp>
#include <jot/session.hpp>

#include "../web_common/cookie_age.hpp"
#include "../web_common/loopback.hpp"
#include "../web_common/password.hpp"
#include "../web_common/session_stores.hpp"
#include "page_files.hpp"  // generated from page/ (embed_page.cmake)

namespace {

using namespace std::chrono_literals;

constexpr auto access_lifetime = 5min;
constexpr auto refresh_lifetime = 24h;
constexpr std::size_t kept_keys = 3;  // the current access key and two retired ones
constexpr const char* access_audience = "jot-demo-api";
constexpr const char* client_id = "jot-demo-web";  // the OAuth client: this application itself
// __Secure-: the browser keeps it only if it came with Secure (RFC 6265bis §4.1.3.1). Not
// __Host-, which demands Path=/ and so would send the refresh token with every request to this
// origin (the page, /me, the JWKS, whatever is added later, and every log and proxy on the way):
// Path=/auth sends it to /auth/refresh and /auth/logout only. What __Host- would add, a cookie
// no sibling subdomain can set (it forbids Domain), cookie_value() covers by refusing the name
// twice, and the demo serves an IP address, which has no sibling domains.
constexpr const char* refresh_cookie = "__Secure-refresh";
constexpr const char* refresh_cookie_path = "/auth";

// A request the demo refuses before any token is involved (a bad login body, wrong password).
void reject(httplib::Response& res, int status, const char* error) {
  res.status = status;
  res.set_content(nlohmann::json{{"error", error}}.dump(), "application/json");
}

// GET /me, for a verified access token: what the token says about its holder.
void who_am_i(const httplib::Request&, httplib::Response& res, const jot::verified_token& token) {
  const auto& claims = token.claims();
  const auto* scope = claims.find("scope");
  nlohmann::json body{{"sub", *claims.subject()},
                      {"scope", scope ? *scope : nlohmann::json()},
                      {"kid", token.key_id().value_or("")}};
  res.set_content(body.dump(), "application/json");
}

// Serves one of the page's files (page/, embedded by embed_page.cmake) at `pattern`.
void serve_page_file(httplib::Server& server, const char* pattern, std::string_view body,
                     const char* content_type) {
  server.Get(pattern, [body, content_type](const httplib::Request&, httplib::Response& res) {
    res.set_content(body.data(), body.size(), content_type);
  });
}

// The thief of the page's "Replay an old refresh token" button. No script can read the HttpOnly
// refresh cookie, and that is the point, so the server plays the thief itself: it keeps a copy of
// the refresh token it set at each login, as malware on the device or a leaked proxy log would
// hold one, and POST /demo/replay-stolen-refresh presents that copy to the session manager as the
// thief would present it to /auth/refresh. Demo only: a real server keeps no refresh token.
class stolen_refresh_tokens {
 public:
  void keep(const std::string& session_id, const std::string& refresh_token) {
    std::lock_guard<std::mutex> lock(mutex_);
    // Session ids are random, so this drops an arbitrary one, which just has no copy to replay.
    if (copies_.size() >= limit) copies_.erase(copies_.begin());
    copies_[session_id] = refresh_token;
  }

  // The copy kept for the session, handed out once; nullopt when there is none.
  std::optional<std::string> take(const std::string& session_id) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto copy = copies_.find(session_id);
    if (copy == copies_.end()) return std::nullopt;
    std::string token = std::move(copy->second);
    copies_.erase(copy);
    return token;
  }

 private:
  static constexpr std::size_t limit = 1000;  // a demo's bound on the memory it takes
  std::mutex mutex_;
  std::map<std::string, std::string> copies_;  // session id -> its first refresh token
};

struct demo_user {
  demo::password_hash hash;
  std::string scope;
};

// What signs and verifies, swapped as a whole when the access key rotates.
struct signing_state {
  jot::session_manager sessions;
  std::string jwks;  // the public half of the current and retired access keys
};

class auth_server {
 public:
  auth_server(std::string origin, bool testing, jot::session_stores stores)
      : origin_(std::move(origin)),
        localhost_origin_("http://localhost" + origin_.substr(origin_.rfind(':'))),
        api_(jot::access_requirement{}.realm(origin_)),
        testing_(testing),
        stores_(std::move(stores)),
        refresh_key_(jot::signing_key::generate(jot::algorithm::hs256)
                         .value()
                         .with_key_id("refresh-1")
                         .value()),
        state_(make_state(next_access_key(), {})) {}

  // Demo users, hashed now; nothing else keeps the passwords.
  bool add_user(const std::string& name, const char* password, std::string scope) {
    auto hash = demo::password_hash::create(password);
    if (!hash) return false;
    users_.emplace(name, demo_user{std::move(*hash), std::move(scope)});
    return true;
  }

  void route(httplib::Server& server) {
    server.set_post_routing_handler([](const httplib::Request&, httplib::Response& response) {
      response.set_header("Content-Security-Policy",
                          "default-src 'none'; script-src 'self'; style-src 'self'; "
                          "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; "
                          "base-uri 'none'");
      response.set_header("X-Content-Type-Options", "nosniff");
      response.set_header("Referrer-Policy", "no-referrer");
    });
    // A body for httplib's bare 404s too: a browser shows an empty error answer as its own
    // error page, with no document for scripts (and the browser test) to run in.
    server.set_error_handler([](const httplib::Request&, httplib::Response& response) {
      if (response.body.empty()) {
        reject(response, response.status, response.status == 404 ? "not_found" : "invalid_request");
      }
    });
    serve_page_file(server, "/", demo::page::index_html, "text/html; charset=utf-8");
    serve_page_file(server, R"(/app\.js)", demo::page::app_js, "text/javascript; charset=utf-8");
    serve_page_file(server, R"(/style\.css)", demo::page::style_css, "text/css; charset=utf-8");
    server.Get("/.well-known/jwks.json", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(state_.load()->jwks, "application/jwk-set+json");
    });
    server.Post("/login", [this](const auto& req, auto& res) { login(req, res); });
    server.Post("/auth/refresh", [this](const auto& req, auto& res) { refresh(req, res); });
    server.Post("/auth/logout", [this](const auto& req, auto& res) { logout(req, res); });
    const auto authenticate = [this](std::string_view token) {
      return state_.load()->sessions.authenticate(token);
    };
    server.Get("/me", jot::httplib::protect(authenticate, who_am_i, api_));
    server.Post("/auth/logout-everywhere", jot::httplib::protect(
                                               authenticate,
                                               [this](const auto&, auto& res, const auto& token) {
                                                 logout_everywhere(res, token);
                                               },
                                               api_));
    server.Post(
        "/demo/replay-stolen-refresh",
        jot::httplib::protect(
            authenticate,
            [this](const auto&, auto& res, const auto& token) { replay_stolen(res, token); },
            api_));
    if (testing_) route_testing(server);
  }

 private:
  std::chrono::system_clock::time_point now() const {
    return std::chrono::system_clock::now() + std::chrono::seconds(clock_offset_.load());
  }

  jot::signing_key next_access_key() {
    const std::string kid = "access-" + std::to_string(++key_generation_);
    return jot::signing_key::generate(jot::algorithm::es256).value().with_key_id(kid).value();
  }

  // A manager that signs with `current` and still accepts tokens of the `retired` keys until
  // they expire; the JWKS publishes all of them, so other services accept them too.
  std::shared_ptr<const signing_state> make_state(const jot::signing_key& current,
                                                  std::vector<jot::verification_key> retired) {
    auto builder = jot::session_manager::builder{}
                       .issuer(origin_)
                       .access_audience(access_audience)
                       .client_id(client_id)
                       .access_key(current)
                       .refresh_key(refresh_key_)
                       .access_lifetime(access_lifetime)
                       .refresh_lifetime(refresh_lifetime)
                       .session_lifetime(refresh_lifetime)
                       .expect_active_session()
                       .stores(stores_);
    for (const auto& key : retired) builder.accept_access_key(key);
    if (testing_) builder.allow_custom_clock([this] { return now(); });
    // Newest first; the next rotation retires them all, and drops those beyond `kept_keys`.
    std::vector<jot::verification_key> published = std::move(retired);
    published.insert(published.begin(), current.verification_key().value());
    if (published.size() > kept_keys) published.resize(kept_keys, published.front());
    retired_keys_ = published;
    auto jwks = jot::key_set::from_keys(std::move(published)).value().to_jwks().value().dump();
    return std::make_shared<const signing_state>(
        signing_state{std::move(builder.build().value()), std::move(jwks)});
  }

  // The refresh cookie's attributes, the same for setting and clearing (else the browser keeps a
  // second cookie).
  static jot::cookie_options refresh_cookie_options() {
    jot::cookie_options options;
    options.path = refresh_cookie_path;
    return options;
  }

  void send_pair(httplib::Response& res, const jot::token_pair& pair) {
    auto options = refresh_cookie_options();
    options.max_age = demo::cookie_max_age(pair.refresh_expires_at, now());
    res.set_header("Set-Cookie",
                   jot::set_cookie(refresh_cookie, pair.refresh_token, options).value());
    res.set_header("Cache-Control", "no-store");  // RFC 6749 §5.1
    const auto expires_in =
        std::chrono::duration_cast<std::chrono::seconds>(pair.access_expires_at - now());
    nlohmann::json body{{"access_token", pair.access_token},
                        {"token_type", "Bearer"},
                        {"expires_in", expires_in.count()}};
    res.set_content(body.dump(), "application/json");
  }

  void login(const httplib::Request& req, httplib::Response& res) {
    // JSON only: a cross-site form cannot send application/json without a CORS preflight, which
    // this server never grants, so no other site can log a browser in as someone else.
    if (req.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
      return reject(res, 400, "invalid_request");
    }
    const auto body = nlohmann::json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.value("username", nlohmann::json()).is_string() ||
        !body.value("password", nlohmann::json()).is_string()) {
      return reject(res, 400, "invalid_request");
    }
    const auto user = users_.find(body["username"].get<std::string>());
    // An unknown name costs a hash too, so the answer's timing does not reveal which names exist.
    const demo_user& checked = user != users_.end() ? user->second : users_.begin()->second;
    const bool password_matches = checked.hash.matches(body["password"].get<std::string>());
    // RFC 6749 §5.2's name for it; no challenge, since a password is not a Bearer credential.
    if (user == users_.end() || !password_matches) return reject(res, 401, "invalid_grant");
    auto pair = state_.load()->sessions.issue_pair(user->first, {{"scope", user->second.scope}});
    if (!pair) return jot::httplib::write_error(res, pair.error());
    stolen_.keep(pair->session_id, pair->refresh_token);
    send_pair(res, *pair);
  }

  // The cookie endpoints: SameSite=Strict keeps the cookie off cross-site requests, and this
  // check refuses them even where a browser does not enforce SameSite (CSRF, RFC 6265bis §8.8).
  // nullopt after writing the error response.
  std::optional<std::string> cookie_token(const httplib::Request& req, httplib::Response& res) {
    const std::string origin = req.get_header_value("Origin");
    const std::string fetch_site = req.get_header_value("Sec-Fetch-Site");
    // The page may be open as http://localhost:<port> too: the same loopback server.
    auto same = jot::check_same_origin(origin, fetch_site, origin_);
    if (!same) same = jot::check_same_origin(origin, fetch_site, localhost_origin_);
    if (!same) {
      jot::httplib::write_error(res, same.error(), api_);
      return std::nullopt;
    }
    const std::string header = req.get_header_value("Cookie");
    auto token = jot::cookie_value(header, refresh_cookie);
    if (!token) {
      jot::httplib::write_error(res, token.error(), api_);
      return std::nullopt;
    }
    return std::string(*token);
  }

  void refresh(const httplib::Request& req, httplib::Response& res) {
    const auto token = cookie_token(req, res);
    if (!token) return;
    auto pair = state_.load()->sessions.refresh(*token);
    if (!pair) {
      jot::httplib::write_error(res, pair.error(), api_);
      // A cookie that can never work again (reused, revoked, expired) is removed.
      if (res.status == 401) {
        res.set_header("Set-Cookie",
                       jot::clear_cookie(refresh_cookie, refresh_cookie_options()).value());
      }
      return;
    }
    send_pair(res, *pair);
  }

  // The cookie is cleared whatever the answer: a user who asks to log out must lose the cookie
  // even when the request is refused (cross-site, a tossed duplicate, a spent or forged token),
  // or a browser could keep a cookie it can no longer get rid of. A refusal ends no session.
  void logout(const httplib::Request& req, httplib::Response& res) {
    res.set_header("Set-Cookie",
                   jot::clear_cookie(refresh_cookie, refresh_cookie_options()).value());
    const auto token = cookie_token(req, res);
    if (!token) return;
    if (auto ended = state_.load()->sessions.end_session(*token); !ended) {
      return jot::httplib::write_error(res, ended.error(), api_);
    }
    res.set_content(R"({"logged_out":true})", "application/json");
  }

  // For the access token's subject: bumps its token version, so that every token issued to it so
  // far, on every device, is refused (token_version_mismatch). The Bearer token says who asks,
  // which no other site can send (no CSRF). The cookie is cleared first, as logout does.
  void logout_everywhere(httplib::Response& res, const jot::verified_token& token) {
    res.set_header("Set-Cookie",
                   jot::clear_cookie(refresh_cookie, refresh_cookie_options()).value());
    const auto version = state_.load()->sessions.logout_everywhere(*token.claims().subject());
    if (!version) return jot::httplib::write_error(res, version.error(), api_);
    res.set_content(nlohmann::json{{"token_version", *version}}.dump(), "application/json");
  }

  // For the access token's session: the thief presents the copy of its first refresh token
  // (stolen_refresh_tokens) and gets what /auth/refresh would answer it, tokens left out. Once
  // the owner has refreshed twice, the copy is a reuse: refresh_token_reused, and the session
  // has ended. After one refresh only it would be a retry for the reuse interval (30 s by
  // default; refresh_family_store::consume(), rule 4), so the page refreshes twice first.
  void replay_stolen(httplib::Response& res, const jot::verified_token& token) {
    const auto* session_id = token.claims().find("sid");
    const auto copy = session_id && session_id->is_string()
                          ? stolen_.take(session_id->get<std::string>())
                          : std::nullopt;
    if (!copy) return reject(res, 404, "no_stolen_copy");
    const auto pair = state_.load()->sessions.refresh(*copy);
    if (!pair) return jot::httplib::write_error(res, pair.error(), api_);
    res.set_content(R"({"thief_refreshed":true})", "application/json");
  }

  void route_testing(httplib::Server& server) {
    server.Post("/testing/advance-clock", [this](const httplib::Request& req,
                                                 httplib::Response& res) {
      const auto body = nlohmann::json::parse(req.body, nullptr, false);
      if (!body.is_object() || !body.contains("seconds") || !body["seconds"].is_number_integer()) {
        return reject(res, 400, "invalid_request");
      }
      clock_offset_ += body["seconds"].get<long long>();
      res.set_content(R"({"advanced":true})", "application/json");
    });
    server.Post("/testing/rotate-keys", [this](const httplib::Request&, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(rotation_mutex_);
      state_.store(make_state(next_access_key(), retired_keys_));
      res.set_content(R"({"rotated":true})", "application/json");
    });
  }

  const std::string origin_;  // "http://127.0.0.1:<port>", also the tokens' issuer
  const std::string localhost_origin_;
  // What the Bearer routes need: a valid access token. Its realm names every challenge.
  const jot::access_requirement api_;
  const bool testing_;
  const jot::session_stores stores_;
  const jot::signing_key refresh_key_;
  std::map<std::string, demo_user> users_;
  stolen_refresh_tokens stolen_;
  std::atomic<long long> clock_offset_{0};
  int key_generation_ = 0;
  std::mutex rotation_mutex_;
  std::vector<jot::verification_key> retired_keys_;
  jot::hot_swap<signing_state> state_;
};

}  // namespace

int main(int argc, char** argv) {
  int port = 8080;
  bool testing = false;
  std::string redis_url;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--port") == 0 && i + 1 < argc && demo::parse_port(argv[i + 1])) {
      port = *demo::parse_port(argv[++i]);
    } else if (std::strcmp(argv[i], "--redis") == 0 && i + 1 < argc) {
      redis_url = argv[++i];
    } else if (std::strcmp(argv[i], "--testing") == 0) {
      testing = true;
    } else {
      std::cerr << "usage: web_app [--port N] [--redis URL] [--testing]\n";
      return 2;
    }
  }
  auto stores = demo::session_stores_for(redis_url);
  if (!stores) return 1;
  httplib::Server server;
  const auto origin = demo::bind_loopback(server, port);
  if (!origin) {
    std::cerr << "web_app: cannot listen on " << demo::loopback_host << ":" << port << "\n";
    return 1;
  }
  auth_server app(*origin, testing, std::move(*stores));
  if (!app.add_user("alice", "wonderland", "profile orders:read") ||
      !app.add_user("bob", "builder", "profile")) {
    std::cerr << "web_app: cannot hash the demo passwords\n";
    return 1;
  }
  app.route(server);
  return demo::serve(server, *origin);
}
