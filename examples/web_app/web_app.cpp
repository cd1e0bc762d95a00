// The demo auth server: a page that shows what it holds (page/: the access token decoded, with a
// live countdown, and proof that it cannot read the refresh cookie), Bearer access tokens, a
// rotating refresh token in an HttpOnly cookie, logout, logout everywhere, a stolen-token replay,
// and the public keys as JWKS for other services (examples/microservice). The token flow is
// examples/web_common/auth_flow.hpp's; this file serves it over cpp-httplib.
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
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <jot/http/httplib.hpp>
#include <jot/jot.hpp>
#include <jot/session.hpp>

#include "../web_common/auth_flow.hpp"
#include "../web_common/loopback.hpp"
#include "../web_common/session_stores.hpp"
#include "page_files.hpp"  // generated from page/ (embed_page.cmake)

namespace {

constexpr const char* client_id = "jot-demo-web";  // the OAuth client: this application itself

// Writes an answer of the flow (auth_flow.hpp) into cpp-httplib's response.
void send(httplib::Response& res, const demo::reply& reply) {
  res.status = reply.status;
  for (const auto& [name, value] : reply.headers) res.set_header(name, value);
  res.set_content(reply.body, "application/json");
}

// The first `name` field of `req`, viewed in place; empty when absent.
std::string_view field(const httplib::Request& req, const char* name) {
  const auto fields = req.headers.equal_range(name);
  return fields.first == fields.second ? std::string_view()
                                       : std::string_view(fields.first->second);
}

// Every DPoP field of `req`, viewed in place.
std::vector<std::string_view> dpop_fields(const httplib::Request& req) {
  std::vector<std::string_view> out;
  const auto fields = req.headers.equal_range("DPoP");
  for (auto it = fields.first; it != fields.second; ++it) out.emplace_back(it->second);
  return out;
}

demo::cookie_request cookie_request(const httplib::Request& req) {
  return {field(req, "Origin"), field(req, "Sec-Fetch-Site"), field(req, "Cookie"),
          req.get_header_value_count("Cookie"), dpop_fields(req)};
}

// GET /me, for a verified access token: what the token says about its holder, and the key it is
// bound to (DPoP) when it is.
void who_am_i(const httplib::Request&, httplib::Response& res, const jot::verified_token& token) {
  const auto& claims = token.claims();
  const auto* scope = claims.find("scope");
  const auto* cnf = claims.find("cnf");
  nlohmann::json body{{"sub", *claims.subject()},
                      {"scope", scope ? *scope : nlohmann::json()},
                      {"kid", token.key_id().value_or("")},
                      {"jkt", cnf ? cnf->value("jkt", nlohmann::json()) : nlohmann::json()}};
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

// The routes: the token flow of auth_flow.hpp written into cpp-httplib's responses, and what only
// this demo has (the page, GET /me, the JWKS, the stolen-token replay, --testing's endpoints).
class auth_server {
 public:
  auth_server(const std::string& origin, bool testing, jot::session_stores stores)
      : testing_(testing),
        flow_(origin, client_id, std::move(stores),
              testing ? demo::auth_flow::clock([this] { return now(); }) : nullptr) {
    // The page may be open as http://localhost:<port> too: the same loopback server.
    flow_.accept_origin("http://localhost" + origin.substr(origin.rfind(':')));
    flow_.on_login(
        [this](const jot::token_pair& pair) { stolen_.keep(pair.session_id, pair.refresh_token); });
  }

  bool add_demo_users() { return flow_.add_demo_users(); }

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
        send(response, demo::error_reply(response.status,
                                         response.status == 404 ? "not_found" : "invalid_request"));
      }
    });
    serve_page_file(server, "/", demo::page::index_html, "text/html; charset=utf-8");
    serve_page_file(server, R"(/app\.js)", demo::page::app_js, "text/javascript; charset=utf-8");
    serve_page_file(server, R"(/style\.css)", demo::page::style_css, "text/css; charset=utf-8");
    server.Get("/.well-known/jwks.json", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(flow_.jwks(), "application/jwk-set+json");
    });
    server.Post("/login", [this](const httplib::Request& req, httplib::Response& res) {
      send(res, flow_.login(field(req, "Content-Type"), req.body, dpop_fields(req)));
    });
    server.Post("/auth/refresh", [this](const httplib::Request& req, httplib::Response& res) {
      send(res, flow_.refresh(cookie_request(req)));
    });
    server.Post("/auth/logout", [this](const httplib::Request& req, httplib::Response& res) {
      send(res, flow_.logout(cookie_request(req)));
    });
    // The flow authenticates the Bearer routes' tokens, by reference: a key rotation replaces
    // what it verifies with.
    const auto flow = std::cref(flow_);
    server.Get("/me", jot::httplib::protect(flow, who_am_i, flow_.realm(), flow_.origin()));
    server.Post("/auth/logout-everywhere",
                jot::httplib::protect(
                    flow,
                    [this](const auto&, auto& res, const jot::verified_token& token) {
                      send(res, flow_.logout_everywhere(*token.claims().subject()));
                    },
                    flow_.realm(), flow_.origin()));
    server.Post("/demo/replay-stolen-refresh",
                jot::httplib::protect(
                    flow,
                    [this](const auto&, auto& res, const jot::verified_token& token) {
                      replay_stolen(res, token);
                    },
                    flow_.realm(), flow_.origin()));
    if (testing_) route_testing(server);
  }

 private:
  std::chrono::system_clock::time_point now() const {
    return std::chrono::system_clock::now() + std::chrono::seconds(clock_offset_.load());
  }

  // For the access token's session: the thief presents the copy of its first refresh token
  // (stolen_refresh_tokens) and gets what /auth/refresh would answer it, tokens left out. Once
  // the owner has refreshed twice, the copy is a reuse: refresh_token_reused, and the session
  // has ended. After one refresh only it would be a retry for the reuse interval (30 s by
  // default; refresh_family_store::consume(), rule 5), so the page refreshes twice first.
  void replay_stolen(httplib::Response& res, const jot::verified_token& token) {
    const auto* session_id = token.claims().find("sid");
    const auto copy = session_id && session_id->is_string()
                          ? stolen_.take(session_id->get<std::string>())
                          : std::nullopt;
    if (!copy) return send(res, demo::error_reply(404, "no_stolen_copy"));
    const auto pair = flow_.sessions()->refresh(*copy);
    if (!pair) return jot::httplib::write_error(res, pair.error(), flow_.realm());
    res.set_content(R"({"thief_refreshed":true})", "application/json");
  }

  void route_testing(httplib::Server& server) {
    server.Post("/testing/advance-clock", [this](const httplib::Request& req,
                                                 httplib::Response& res) {
      const auto body = nlohmann::json::parse(req.body, nullptr, false);
      if (!body.is_object() || !body.contains("seconds") || !body["seconds"].is_number_integer()) {
        return send(res, demo::error_reply(400, "invalid_request"));
      }
      clock_offset_ += body["seconds"].get<long long>();
      res.set_content(R"({"advanced":true})", "application/json");
    });
    server.Post("/testing/rotate-keys", [this](const httplib::Request&, httplib::Response& res) {
      flow_.rotate_access_key();
      res.set_content(R"({"rotated":true})", "application/json");
    });
  }

  const bool testing_;
  std::atomic<long long> clock_offset_{0};  // seconds; moved by --testing only
  stolen_refresh_tokens stolen_;
  demo::auth_flow flow_;
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
  if (!app.add_demo_users()) {
    std::cerr << "web_app: cannot hash the demo passwords\n";
    return 1;
  }
  app.route(server);
  return demo::serve(server, *origin);
}
