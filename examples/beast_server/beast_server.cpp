// The demo's token flow on an asynchronous Boost.Beast server, with Bearer-protected routes that
// hand their code the caller as this service's own type.
//
//   beast_server [--port N]
//
// Listens on 127.0.0.1 only (port 8082 by default; 0 picks a free one) and prints its origin.
//  - POST /login, /auth/refresh, /auth/logout: log in as alice / wonderland (scopes profile,
//    orders:read) or bob / builder (profile); examples/web_common/auth_flow.hpp. The cookie
//    endpoints take same-origin requests only: outside a browser, send the Origin field.
//  - GET /orders: a Bearer token with orders:read or orders:admin (alice's, not bob's: 403).
//  - GET /greeting: open to anyone; with a token, it must be a valid one.
//
//   curl -si -H 'Content-Type: application/json' -d '{"username":"alice","password":"wonderland"}'
//        http://127.0.0.1:8082/login
//   curl -si -H "Authorization: Bearer <access_token>" http://127.0.0.1:8082/orders
//
// One I/O thread serves every connection, and checks tokens itself: a session manager on memory
// stores only computes, for microseconds. A password hash takes a good part of a second on
// purpose, so logins run on a small pool and never hold up the other connections. (Sessions are
// in memory: on Redis stores every check would wait for Redis, and would go to the pool too.)
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <utility>

#include <jot/http/beast.hpp>
#include <jot/jot.hpp>
#include <jot/session.hpp>

#include "../web_common/auth_flow.hpp"
#include "../web_common/loopback_port.hpp"
#include "../web_common/session_stores.hpp"

namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

// The caller as the order routes read it, from the access token's claims (nlohmann's from_json;
// a token without them is refused as invalid_claim_type before the route runs).
struct account {
  std::string user;
  std::string scope;
};
void from_json(const nlohmann::json& claims, account& caller) {
  claims.at("sub").get_to(caller.user);
  claims.at("scope").get_to(caller.scope);
}

response json_response(const request& req, http::status status, std::string body) {
  response out{status, req.version()};
  out.set(http::field::content_type, "application/json");
  out.keep_alive(req.keep_alive());
  out.body() = std::move(body);
  out.prepare_payload();
  return out;
}

// The routes; see the top of this file.
class service {
 public:
  explicit service(const demo::auth_flow& flow)
      : flow_(flow),
        orders_(jot::access_requirement(flow.realm()).any_of_scopes("orders:read orders:admin")),
        greeting_(jot::access_requirement(flow.realm()).allow_anonymous()) {}

  // Whether the request is a login, which takes long enough to need a thread of its own.
  static bool is_login(const request& req) {
    return req.method() == http::verb::post && req.target() == "/login";
  }
  response login(const request& req) const {
    const auto type = req[http::field::content_type];
    const auto& body = req.body();
    return from_reply(req, flow_.login({type.data(), type.size()}, body));
  }

  // Every other route: quick.
  response handle(const request& req) const {
    const auto path = req.target();
    if (req.method() == http::verb::get && path == "/orders") return orders(req);
    if (req.method() == http::verb::get && path == "/greeting") return greeting(req);
    if (req.method() == http::verb::post && path == "/auth/refresh") {
      return from_reply(req, flow_.refresh(cookie_request(req)));
    }
    if (req.method() == http::verb::post && path == "/auth/logout") {
      return from_reply(req, flow_.logout(cookie_request(req)));
    }
    return json_response(req, http::status::not_found, R"({"error":"not_found"})");
  }

 private:
  // The route's code runs only for a caller with the scope, and gets it as an account.
  response orders(const request& req) const {
    auto caller = jot::beast::authorize<account>(req, flow_, orders_, flow_.origin());
    if (!caller) return std::move(*caller.refusal());
    const account& who = *caller.principal();
    const nlohmann::json body{
        {"user", who.user}, {"scope", who.scope}, {"orders", nlohmann::json::array()}};
    return json_response(req, http::status::ok, body.dump());
  }

  // Anyone may come; a token that is there is checked as on any other route.
  response greeting(const request& req) const {
    auto caller = jot::beast::authorize<account>(req, flow_, greeting_, flow_.origin());
    if (!caller) return std::move(*caller.refusal());
    const account* who = caller.principal();  // null: no credentials
    const nlohmann::json body{{"greeting", "hello, " + (who ? who->user : std::string("guest"))}};
    return json_response(req, http::status::ok, body.dump());
  }

  static demo::cookie_request cookie_request(const request& req) {
    const auto view = [&req](const auto& name) {
      const auto value = req[name];
      return std::string_view(value.data(), value.size());
    };
    return {view(http::field::origin), view("Sec-Fetch-Site"), view(http::field::cookie),
            req.count(http::field::cookie)};
  }

  static response from_reply(const request& req, demo::reply reply) {
    response out =
        json_response(req, static_cast<http::status>(reply.status), std::move(reply.body));
    for (const auto& [name, value] : reply.headers) out.insert(name, value);
    return out;
  }

  const demo::auth_flow& flow_;
  const jot::access_requirement orders_;
  const jot::access_requirement greeting_;
};

// One client connection: read a request, answer it, again while the client keeps it alive.
// Every step runs on the connection's strand.
class connection : public std::enable_shared_from_this<connection> {
 public:
  connection(tcp::socket socket, const service& routes, net::thread_pool& pool)
      : stream_(std::move(socket)), routes_(routes), pool_(pool) {}

  void read() {
    request_ = {};
    stream_.expires_after(std::chrono::seconds(30));  // a client that stops sending is dropped
    http::async_read(stream_, buffer_, request_,
                     [self = shared_from_this()](boost::beast::error_code error, std::size_t) {
                       if (!error) self->answer();
                     });
  }

 private:
  void answer() {
    if (!service::is_login(request_)) return write(routes_.handle(request_));
    // Off the I/O thread; no other step of this connection runs until the answer is posted back.
    net::post(pool_, [self = shared_from_this()] {
      auto answer = std::make_shared<response>(self->routes_.login(self->request_));
      net::post(self->stream_.get_executor(), [self, answer] { self->write(std::move(*answer)); });
    });
  }

  void write(response answer) {
    auto kept = std::make_shared<response>(std::move(answer));  // alive until written
    http::async_write(
        stream_, *kept,
        [self = shared_from_this(), kept](boost::beast::error_code error, std::size_t) {
          if (error) return;
          if (kept->keep_alive()) return self->read();
          boost::beast::error_code ignored;
          self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        });
  }

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  request request_;
  const service& routes_;
  net::thread_pool& pool_;
};

void accept(tcp::acceptor& acceptor, net::io_context& io, const service& routes,
            net::thread_pool& pool) {
  acceptor.async_accept(net::make_strand(io),
                        [&](boost::beast::error_code error, tcp::socket socket) {
                          if (!error)
                            std::make_shared<connection>(std::move(socket), routes, pool)->read();
                          accept(acceptor, io, routes, pool);
                        });
}

}  // namespace

int main(int argc, char** argv) {
  int port = 8082;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--port") == 0 && i + 1 < argc && demo::parse_port(argv[i + 1])) {
      port = *demo::parse_port(argv[++i]);
    } else {
      std::cerr << "usage: beast_server [--port N]\n";
      return 2;
    }
  }
  net::io_context io{1};
  tcp::acceptor acceptor(io);
  const tcp::endpoint wanted(net::ip::make_address(demo::loopback_host),
                             static_cast<unsigned short>(port));
  boost::beast::error_code error;
  acceptor.open(wanted.protocol(), error);
  if (!error) acceptor.bind(wanted, error);
  if (!error) acceptor.listen(net::socket_base::max_listen_connections, error);
  if (error) {
    std::cerr << "beast_server: cannot listen on " << demo::loopback_host << ":" << port << ": "
              << error.message() << "\n";
    return 1;
  }
  const std::string origin = "http://" + std::string(demo::loopback_host) + ":" +
                             std::to_string(acceptor.local_endpoint().port());

  auto stores = demo::session_stores_for({});  // memory stores
  if (!stores) return 1;
  demo::auth_flow flow(origin, "jot-demo-beast", std::move(*stores));
  if (!flow.add_demo_users()) {
    std::cerr << "beast_server: cannot hash the demo passwords\n";
    return 1;
  }
  const service routes(flow);
  net::thread_pool logins(2);
  accept(acceptor, io, routes, logins);
  std::cout << "listening on " << origin << std::endl;  // endl: a test reads it from a pipe
  io.run();
  logins.join();
  return 0;
}
