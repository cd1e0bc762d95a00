// jot::grpc's client side over a real gRPC client and server on a loopback port: call credentials
// that attach a token, fetch the next one ahead of expiry, and never send an expired one.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <jot/http/grpc_credentials.hpp>
#include <jot/jot.hpp>
#include <jot/session.hpp>

#include "catch.hpp"
#include "grpc_support.hpp"

using namespace grpc_test;

namespace {

// The client's clock: real time plus an offset the test moves forward instead of sleeping.
struct test_clock {
  std::shared_ptr<std::atomic<std::int64_t>> offset =
      std::make_shared<std::atomic<std::int64_t>>(0);

  std::chrono::system_clock::time_point operator()() const {
    return std::chrono::system_clock::now() + std::chrono::seconds(offset->load());
  }
  void advance(std::chrono::seconds by) const { *offset += by.count(); }
};

jot::grpc::token_credentials_options with_clock(const test_clock& clock) {
  jot::grpc::token_credentials_options options;
  options.clock = clock;
  return options;
}

// A token source of `idp`'s tokens, `lifetime` long, for subjects client-1, client-2... in order.
// The expiry it reports is by `clock`, the client's.
struct numbered_source {
  const token_issuer* idp;
  std::chrono::seconds lifetime = 5min;
  test_clock clock = {};
  std::shared_ptr<std::atomic<int>> fetches = std::make_shared<std::atomic<int>>(0);

  jot::result<jot::token_pair> operator()() const {
    const int n = ++*fetches;
    jot::token_pair pair;
    pair.access_token = idp->token("client-" + std::to_string(n));
    pair.access_expires_at = std::chrono::time_point_cast<std::chrono::seconds>(clock() + lifetime);
    return pair;
  }
};

// Checks a call the credentials failed: gRPC 1.51 ends any credentials failure with UNAVAILABLE,
// its message ending in what the plugin said, the errc name.
void check_not_sent(const reply& answer, const std::string& error) {
  CHECK(answer.status.error_code() == grpc::StatusCode::UNAVAILABLE);
  const std::string& message = answer.status.error_message();
  CHECK(message.size() >= error.size());
  CHECK(message.substr(message.size() - std::min(message.size(), error.size())) == error);
}

}  // namespace

TEST_CASE("token credentials fetch the next token ahead of expiry from a session manager",
          "[grpc][credentials]") {
  auto sessions = jot::session_manager::builder{}
                      .issuer(issuer_name)
                      .access_audience("orders")
                      .client_id("orders-cli")
                      .access_key(jot::signing_key::generate(jot::algorithm::es256).value())
                      .refresh_key(jot::signing_key::generate(jot::algorithm::es256).value())
                      .access_lifetime(5min)
                      .build()
                      .value();
  const auto server = serve(sessions);
  const auto login = sessions.issue_pair("alice").value();
  std::vector<std::string> handed_out;  // the access tokens the source returned
  const test_clock clock;
  const client orders(server->target(),
                      jot::grpc::token_credentials(
                          [&sessions, &handed_out, refresh = login.refresh_token]() mutable {
                            auto next = sessions.refresh(refresh);
                            if (next) {
                              refresh = next->refresh_token;
                              handed_out.push_back(next->access_token);
                            }
                            return next;
                          },
                          with_clock(clock)));

  CHECK(orders.list_orders().subject == "alice");
  CHECK(orders.list_orders().subject == "alice");
  CHECK(handed_out.size() == 1);  // one token served both calls

  // Tokens expire on whole seconds, and some real time passes: the steps leave room for both.
  clock.advance(3min + 50s);  // about 70 s left: more than the 60 s margin
  CHECK(orders.list_orders().status.ok());
  CHECK(handed_out.size() == 1);

  clock.advance(20s);  // about 50 s left: the next call fetches first
  CHECK(orders.list_orders().subject == "alice");
  REQUIRE(handed_out.size() == 2);
  CHECK(handed_out[1] != handed_out[0]);
  // The server saw the new token: the old one, revoked now, would be refused.
  REQUIRE(sessions.revoke(handed_out[0]));
  CHECK(orders.list_orders().status.ok());
}

TEST_CASE("a token shorter than twice the margin is renewed halfway through, not on every call",
          "[grpc][credentials]") {
  const token_issuer idp;
  const auto server = serve(idp.verifier());
  const test_clock clock;
  const numbered_source numbered{&idp, 30s};  // 30 s tokens, 60 s margin
  const client orders(server->target(), jot::grpc::token_credentials(numbered, with_clock(clock)));

  CHECK(orders.list_orders().subject == "client-1");
  CHECK(orders.list_orders().subject == "client-1");
  CHECK(*numbered.fetches == 1);
  clock.advance(16s);
  CHECK(orders.list_orders().subject == "client-2");
  CHECK(*numbered.fetches == 2);
}

TEST_CASE("a failed refresh keeps the current token until it expires, never after",
          "[grpc][credentials]") {
  const token_issuer idp;
  const counting_verifier verify{idp.verifier()};
  const auto server = serve(verify);
  const test_clock clock;
  auto fetches = std::make_shared<std::atomic<int>>(0);
  const auto source = [&idp, fetches]() -> jot::result<jot::token_pair> {
    if (++*fetches > 1) return jot::errc::store_unavailable;
    return numbered_source{&idp}();
  };
  const client orders(server->target(), jot::grpc::token_credentials(source, with_clock(clock)));

  CHECK(orders.list_orders().subject == "client-1");
  clock.advance(4min + 30s);  // inside the margin: the refresh fails, the token still serves
  CHECK(orders.list_orders().subject == "client-1");
  CHECK(*fetches == 2);
  CHECK(*verify.count == 2);

  clock.advance(31s);  // expired by the client's clock: nothing is sent
  check_not_sent(orders.list_orders(), "store_unavailable");
  CHECK(*fetches == 3);
  CHECK(*verify.count == 2);
  CHECK(server->service.handled == 2);
}

TEST_CASE("a negative margin does not make the credentials send an expired token",
          "[grpc][credentials]") {
  const token_issuer idp;
  const auto server = serve(idp.verifier());
  const test_clock clock;
  const numbered_source numbered{&idp, 5min, clock};
  auto options = with_clock(clock);
  options.refresh_margin = -1min;
  const client orders(server->target(), jot::grpc::token_credentials(numbered, options));

  CHECK(orders.list_orders().subject == "client-1");
  clock.advance(5min + 1s);  // expired by the client's clock (the server's has not moved)
  CHECK(orders.list_orders().subject == "client-2");
  CHECK(*numbered.fetches == 2);
}

TEST_CASE("credentials refuse a token the source hands over expired, malformed, or not at all",
          "[grpc][credentials]") {
  const token_issuer idp;
  const counting_verifier verify{idp.verifier()};
  const auto server = serve(verify);
  const std::string token = idp.token("alice");
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());

  struct row {
    std::string access_token;
    jot::sys_seconds expires_at;
    const char* error;
  };
  const row rows[] = {
      {token, now - 1s, "token_expired"},
      {token, now, "token_expired"},
      {"", now + 5min, "malformed_credentials"},
      {token + "\r\nx-injected: 1", now + 5min, "malformed_credentials"},
      {token + " " + token, now + 5min, "malformed_credentials"},
  };
  for (const auto& r : rows) {
    const client orders(server->target(),
                        jot::grpc::token_credentials([&r]() -> jot::result<jot::token_pair> {
                          jot::token_pair pair;
                          pair.access_token = r.access_token;
                          pair.access_expires_at = r.expires_at;
                          return pair;
                        }));
    const auto refused = orders.list_orders();
    check_not_sent(refused, r.error);
    CHECK_FALSE(holds_token_bytes(refused.status.error_message(), token));
  }
#ifndef JOT_NO_EXCEPTIONS
  const client throwing(server->target(),
                        jot::grpc::token_credentials([]() -> jot::result<jot::token_pair> {
                          throw std::runtime_error("the token endpoint is down");
                        }));
  check_not_sent(throwing.list_orders(), "token_unavailable");
#endif
  CHECK(*verify.count == 0);
}

TEST_CASE("concurrent calls share one fetch, and keep the valid token while it is refreshed",
          "[grpc][credentials][threads]") {
  const token_issuer idp;
  const auto server = serve(idp.verifier());
  const test_clock clock;
  numbered_source numbered{&idp};
  const auto slow_source = [numbered] {
    std::this_thread::sleep_for(100ms);
    return numbered();
  };
  const client orders(server->target(),
                      jot::grpc::token_credentials(slow_source, with_clock(clock)));

  const auto burst = [&orders](const char* expected) {
    std::atomic<int> matched{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 5; ++i) matched += orders.list_orders().subject == expected;
      });
    }
    for (auto& thread : threads) thread.join();
    return matched.load();
  };
  // No token yet: every call waits for the one fetch.
  CHECK(burst("client-1") == 40);
  CHECK(*numbered.fetches == 1);

  clock.advance(4min + 30s);  // inside the margin: one call fetches, the others keep client-1
  std::atomic<int> refreshed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      const auto answer = orders.list_orders();
      CHECK(answer.status.ok());
      refreshed += answer.subject == "client-2";
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(*numbered.fetches == 2);
  CHECK(refreshed >= 1);
  CHECK(orders.list_orders().subject == "client-2");
}

TEST_CASE("over an insecure channel the credentials send nothing", "[grpc][credentials]") {
  // A plain server that records what it receives (a processor needs secure credentials).
  struct recording_service final : proto::Orders::Service {
    grpc::Status ListOrders(grpc::ServerContext* context, const proto::ListOrdersRequest*,
                            proto::ListOrdersReply*) override {
      ++calls;
      authorization += context->client_metadata().count("authorization");
      return grpc::Status::OK;
    }
    std::atomic<int> calls{0};
    std::atomic<int> authorization{0};
  } service;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  const auto server = builder.BuildAndStart();
  REQUIRE(server);

  const token_issuer idp;
  numbered_source numbered{&idp};
  const auto stub = proto::Orders::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_credentials(jot::grpc::token_credentials(numbered));
  context.set_deadline(std::chrono::system_clock::now() + 10s);
  proto::ListOrdersReply reply;
  const auto status = stub->ListOrders(&context, {}, &reply);
  CHECK_FALSE(status.ok());
  CHECK(service.authorization == 0);
  CHECK(service.calls == 0);
  server->Shutdown();
}
