// jot::grpc's server side over a real gRPC server and client on a loopback port: what reaches a
// handler, what each refusal ends with, and the principal handed to the handler.
#include <httplib.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <jot/http/grpc.hpp>
#include <jot/jot.hpp>
#include <jot/session.hpp>

#include "catch.hpp"
#include "grpc_support.hpp"

using namespace grpc_test;

namespace {

// Every method needs a verified token; PlaceOrder also orders:write, and Status admits anonymous
// callers.
jot::grpc::server_options orders_rules() {
  jot::grpc::server_options rules;
  rules.methods["/jot.examples.Orders/PlaceOrder"] =
      jot::access_requirement{}.all_of_scopes("orders:write");
  rules.methods["/jot.examples.Orders/Status"] = jot::access_requirement{}.allow_anonymous();
  return rules;
}

// Checks a refused call: its code, its message (the errc name) and that no token bytes are in it.
void check_refused(const reply& answer, grpc::StatusCode code, const std::string& message,
                   const std::string& token) {
  CHECK(answer.status.error_code() == code);
  CHECK(answer.status.error_message() == message);
  CHECK_FALSE(holds_token_bytes(answer.status.error_message(), token));
  CHECK(answer.subject.empty());
}

}  // namespace

TEST_CASE("a call with a valid token reaches its handler with the principal, verified once",
          "[grpc]") {
  const token_issuer idp;
  const counting_verifier verify{idp.verifier()};
  const auto server = serve(verify, orders_rules());
  const client orders(server->target());
  const std::string token = idp.token("alice");

  const auto answer = orders.list_orders({"Bearer " + token});
  REQUIRE(answer.status.ok());
  CHECK(answer.subject == "alice");
  // The processor verified it; the handler took the principal it handed over.
  CHECK(*verify.count == 1);
  CHECK(server->service.handled == 1);

  // Every call is verified again by the processor (a token may be revoked meanwhile), and the
  // scheme is matched without regard to case (RFC 9110 §11.1).
  CHECK(orders.list_orders({"bearer " + token}).subject == "alice");
  CHECK(*verify.count == 2);
}

TEST_CASE("when the principal is not handed over, principal_of() verifies the token again",
          "[grpc]") {
  const token_issuer idp;
  const counting_verifier verify{idp.verifier()};
  auto rules = orders_rules();
  SECTION("no hand-off window") { rules.handoff_window = std::chrono::milliseconds(0); }
  SECTION("no room for a hand-off") { rules.max_handoffs = 0; }
  const auto server = serve(verify, rules);
  const client orders(server->target());

  const auto answer = orders.list_orders({"Bearer " + idp.token("alice")});
  REQUIRE(answer.status.ok());
  CHECK(answer.subject == "alice");
  CHECK(*verify.count == 2);
}

TEST_CASE("concurrent calls with different tokens each get their own principal",
          "[grpc][threads]") {
  const token_issuer idp;
  const auto server = serve(idp.verifier(), orders_rules());
  const client orders(server->target());

  std::atomic<int> matched{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      const std::string subject = "user-" + std::to_string(t);
      const std::string authorization = "Bearer " + idp.token(subject);
      for (int i = 0; i < 25; ++i)
        matched += orders.list_orders({authorization}).subject == subject;
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(matched == 200);
}

TEST_CASE("a refused call ends with UNAUTHENTICATED or PERMISSION_DENIED before any handler runs",
          "[grpc]") {
  const token_issuer idp;
  const token_issuer stranger("key-1");  // same kid, another key: a forged signature
  const auto server = serve(idp.verifier(), orders_rules());
  const client orders(server->target());
  const std::string valid = idp.token("alice");
  const std::string expired = idp.token("alice", "orders:read", "orders", -1min);
  const std::string other_audience = idp.token("alice", "orders:read", "billing");
  const std::string forged = stranger.token("alice");
  constexpr auto unauthenticated = grpc::StatusCode::UNAUTHENTICATED;

  SECTION("expired") {
    check_refused(orders.list_orders({"Bearer " + expired}), unauthenticated, "token_expired",
                  expired);
  }
  SECTION("another audience") {
    check_refused(orders.list_orders({"Bearer " + other_audience}), unauthenticated,
                  "audience_mismatch", other_audience);
  }
  SECTION("a forged signature") {
    check_refused(orders.list_orders({"Bearer " + forged}), unauthenticated, "invalid_signature",
                  forged);
  }
  SECTION("a scope the method needs and the token lacks") {
    check_refused(orders.place_order({"Bearer " + valid}), grpc::StatusCode::PERMISSION_DENIED,
                  "insufficient_scope", valid);
  }
  SECTION("no authorization metadata") {
    check_refused(orders.list_orders(), unauthenticated, "missing_credentials", valid);
  }
  SECTION("malformed authorization metadata") {
    check_refused(orders.list_orders({"Basic dXNlcjpwYXNzd29yZA=="}), unauthenticated,
                  "unsupported_auth_scheme", valid);
    check_refused(orders.list_orders({"Bearer"}), unauthenticated, "malformed_credentials", valid);
    check_refused(orders.list_orders({"Bearer " + valid + " " + valid}), unauthenticated,
                  "malformed_credentials", valid);
    check_refused(orders.list_orders({"Bearer " + valid + "!"}), unauthenticated,
                  "malformed_credentials", valid);
  }
  SECTION("two authorization entries, each valid on its own") {
    check_refused(orders.list_orders({"Bearer " + valid, "Bearer " + valid}), unauthenticated,
                  "malformed_credentials", valid);
  }
  CHECK(server->service.handled == 0);
}

TEST_CASE("an anonymous method admits calls without credentials, and still refuses bad ones",
          "[grpc]") {
  const token_issuer idp;
  const auto server = serve(idp.verifier(), orders_rules());
  const client orders(server->target());

  const auto anonymous = orders.status();
  REQUIRE(anonymous.status.ok());
  CHECK(anonymous.subject.empty());
  CHECK(orders.status({"Bearer " + idp.token("alice")}).subject == "alice");
  const std::string expired = idp.token("alice", "orders:read", "orders", -1min);
  check_refused(orders.status({"Bearer " + expired}), grpc::StatusCode::UNAUTHENTICATED,
                "token_expired", expired);
  CHECK(server->service.handled == 2);
}

TEST_CASE("handlers receive the application's own type; claims that do not fit it are refused",
          "[grpc]") {
  const token_issuer idp;
  const auto server = serve<caller>(idp.verifier(), orders_rules());
  const client orders(server->target());

  CHECK(orders.list_orders({"Bearer " + idp.token("alice")}).subject == "alice");

  // A scope that is not a string does not convert to caller::scope.
  const auto now = std::chrono::system_clock::now();
  const std::string odd = jot::encoder{idp.key}
                              .sign(jot::claims::builder{}
                                        .issuer(issuer_name)
                                        .audience("orders")
                                        .subject("alice")
                                        .expires_at(now + 5min)
                                        .claim("scope", 42)
                                        .build()
                                        .value())
                              .value();
  check_refused(orders.list_orders({"Bearer " + odd}), grpc::StatusCode::UNAUTHENTICATED,
                "invalid_claim_type", odd);
}

TEST_CASE("a session manager authenticates the calls; a revoked token is refused", "[grpc]") {
  auto sessions = jot::session_manager::builder{}
                      .issuer(issuer_name)
                      .access_audience("orders")
                      .client_id("orders-cli")
                      .access_key(jot::signing_key::generate(jot::algorithm::es256).value())
                      .refresh_key(jot::signing_key::generate(jot::algorithm::es256).value())
                      .build()
                      .value();
  const auto server = serve(sessions, orders_rules());
  const client orders(server->target());
  const auto pair = sessions.issue_pair("alice", {{"scope", "orders:read orders:write"}}).value();

  CHECK(orders.place_order({"Bearer " + pair.access_token}).subject == "alice");
  REQUIRE(sessions.revoke(pair.access_token));
  check_refused(orders.list_orders({"Bearer " + pair.access_token}),
                grpc::StatusCode::UNAUTHENTICATED, "token_revoked", pair.access_token);
}

namespace {

// An issuer service: its JWKS over HTTP on a loopback port (cpp-httplib), rotated on demand.
class jwks_issuer {
 public:
  jwks_issuer() : ring_(jot::key_ring::create(key_named("key-1")).value()) {
    server_.Get("/.well-known/jwks.json", [this](const httplib::Request&, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mutex_);
      res.set_content(ring_.verification_keys().to_jwks().value().dump(), "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    // Bound and listening already: a fetch before the thread accepts waits in the backlog.
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~jwks_issuer() {
    server_.stop();
    thread_.join();
  }

  // jwks_cache's fetch: one GET, any failure keys_unavailable.
  jot::result<std::string> fetch() {
    ++fetches;
    httplib::Client http("127.0.0.1", port_);
    const auto response = http.Get("/.well-known/jwks.json");
    if (!response || response->status != 200) return jot::errc::keys_unavailable;
    return response->body;
  }

  std::string token(const std::string& subject) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto claims = jot::claims::builder{}
                            .issuer(issuer_name)
                            .audience("orders")
                            .subject(subject)
                            .expires_in(5min)
                            .build()
                            .value();
    return jot::encoder{ring_.current()}.sign(claims).value();
  }

  // A new signing key; the old one stays published (retired) for the tokens it signed.
  void rotate(const std::string& kid) {
    std::lock_guard<std::mutex> lock(mutex_);
    ring_ = ring_.rotate(key_named(kid)).value();
  }

  std::atomic<int> fetches{0};

 private:
  static jot::signing_key key_named(const std::string& kid) {
    return jot::signing_key::generate(jot::algorithm::es256).value().with_key_id(kid).value();
  }

  mutable std::mutex mutex_;
  jot::key_ring ring_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace

TEST_CASE("JWKS rotation between two services: the verifying service picks the new kid up",
          "[grpc][jwks]") {
  jwks_issuer issuer;
  jot::jwks_cache_options options;
  options.cooldown = std::chrono::seconds(0);  // a new kid is fetched at once
  jot::jwks_cache keys([&issuer] { return issuer.fetch(); }, token_issuer::policy().value(),
                       options);
  const auto server = serve(std::ref(keys), orders_rules());
  const client orders(server->target());

  const std::string before = issuer.token("alice");
  CHECK(orders.list_orders({"Bearer " + before}).subject == "alice");
  CHECK(issuer.fetches == 1);

  issuer.rotate("key-2");
  const std::string after = issuer.token("bob");
  CHECK(orders.list_orders({"Bearer " + after}).subject == "bob");
  CHECK(issuer.fetches == 2);  // the unknown kid made the cache fetch the set again
  CHECK(orders.list_orders({"Bearer " + before}).subject == "alice");  // key-1 is still published

  // A kid the issuer never published: one more fetch, then unknown_key_id.
  const token_issuer stranger("key-3");
  const std::string foreign = stranger.token("mallory");
  check_refused(orders.list_orders({"Bearer " + foreign}), grpc::StatusCode::UNAUTHENTICATED,
                "unknown_key_id", foreign);
  CHECK(issuer.fetches == 3);
}
