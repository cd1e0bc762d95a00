// Both ends of jot's gRPC adapter on a loopback port: an orders service whose methods each need
// their own scope (the server's AuthMetadataProcessor decides every call before a handler runs,
// and the handler gets the caller), and a client whose call credentials fetch its access token
// and fetch the next one before it expires. The auth server is a session manager in the same
// process; a service elsewhere would verify with a jwks_cache instead (tests/grpc does both).
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>

#include <jot/http/grpc.hpp>
#include <jot/http/grpc_credentials.hpp>
#include <jot/jot.hpp>
#include <jot/session.hpp>

#include "orders.grpc.pb.h"

namespace {

using namespace std::chrono_literals;
namespace proto = jot::examples;

// The caller as the orders service reads it, from the access token's claims.
struct caller {
  std::string user;
  std::string scope;
};
void from_json(const nlohmann::json& claims, caller& c) {
  claims.at("sub").get_to(c.user);
  claims.at("scope").get_to(c.scope);
}

// What each method asks of a call, stated once: gRPC names a method by its path. ListOrders,
// like every method not named, needs orders:read or orders:admin.
jot::grpc::server_options access_rules() {
  jot::grpc::server_options rules;
  rules.requirement = jot::access_requirement{}.any_of_scopes("orders:read orders:admin");
  rules.methods["/jot.examples.Orders/PlaceOrder"] =
      jot::access_requirement{}.all_of_scopes("orders:write");
  rules.methods["/jot.examples.Orders/Status"] = jot::access_requirement{}.allow_anonymous();
  return rules;
}

// The handlers run only for calls the processor accepted; each asks it for its caller.
template <typename Authenticator>
class orders_service final : public proto::Orders::Service {
 public:
  explicit orders_service(std::shared_ptr<Authenticator> auth) : auth_(std::move(auth)) {}

  grpc::Status ListOrders(grpc::ServerContext* context, const proto::ListOrdersRequest*,
                          proto::ListOrdersReply* reply) override {
    const auto who = auth_->principal_of(*context);
    if (!who) return jot::grpc::status_of(who.error());
    reply->set_subject(who->user);
    reply->add_orders("order-1");
    reply->add_orders("order-2");
    return grpc::Status::OK;
  }

  grpc::Status PlaceOrder(grpc::ServerContext* context, const proto::PlaceOrderRequest*,
                          proto::PlaceOrderReply* reply) override {
    const auto who = auth_->principal_of(*context);
    if (!who) return jot::grpc::status_of(who.error());
    reply->set_subject(who->user);
    reply->set_order_id("order-3");
    return grpc::Status::OK;
  }

  // Anonymous callers are welcome: principal_of() says missing_credentials for them.
  grpc::Status Status(grpc::ServerContext* context, const proto::StatusRequest*,
                      proto::StatusReply* reply) override {
    const auto who = auth_->principal_of(*context);
    if (who) reply->set_subject(who->user);
    return grpc::Status::OK;
  }

 private:
  std::shared_ptr<Authenticator> auth_;
};

std::string outcome(const grpc::Status& status) {
  static const char* const names[] = {"OK",
                                      "CANCELLED",
                                      "UNKNOWN",
                                      "INVALID_ARGUMENT",
                                      "DEADLINE_EXCEEDED",
                                      "NOT_FOUND",
                                      "ALREADY_EXISTS",
                                      "PERMISSION_DENIED",
                                      "RESOURCE_EXHAUSTED",
                                      "FAILED_PRECONDITION",
                                      "ABORTED",
                                      "OUT_OF_RANGE",
                                      "UNIMPLEMENTED",
                                      "INTERNAL",
                                      "UNAVAILABLE",
                                      "DATA_LOSS",
                                      "UNAUTHENTICATED"};
  return std::string(names[status.error_code()]) +
         (status.ok() ? "" : " " + status.error_message());
}

}  // namespace

int main() {
  auto sessions = jot::session_manager::builder{}
                      .issuer("https://auth.example.com")
                      .access_audience("orders")
                      .client_id("orders-cli")
                      .access_key(jot::signing_key::generate(jot::algorithm::es256).value())
                      .refresh_key(jot::signing_key::generate(jot::algorithm::es256).value())
                      .access_lifetime(5min)
                      .build()
                      .value();

  // The server: a processor needs secure credentials; local ones serve a loopback port.
  auto auth = jot::grpc::make_authenticator<caller>(sessions, access_rules());
  auto server_credentials = grpc::experimental::LocalServerCredentials(LOCAL_TCP);
  server_credentials->SetAuthMetadataProcessor(auth);
  orders_service<decltype(auth)::element_type> service(auth);
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", server_credentials, &port);
  builder.RegisterService(&service);
  const auto server = builder.BuildAndStart();
  if (!server || port == 0) {
    std::cerr << "the server did not start\n";
    return 1;
  }
  const std::string target = "127.0.0.1:" + std::to_string(port);

  // The client: alice logs in once; her credentials spend the refresh token for each access
  // token (one fetch at a time, so the source may keep state). Its clock is the example's own,
  // moved forward below instead of sleeping; production omits `clock`.
  auto login = sessions.issue_pair("alice", {{"scope", "orders:read"}}).value();
  int fetches = 0;
  auto now = std::chrono::system_clock::now();
  jot::grpc::token_credentials_options options;  // refresh_margin: 60 s
  options.clock = [&now] { return now; };
  auto credentials = jot::grpc::token_credentials(
      [&sessions, &fetches, refresh = login.refresh_token]() mutable {
        ++fetches;
        auto next = sessions.refresh(refresh);
        if (next) refresh = next->refresh_token;
        return next;
      },
      options);
  const auto alice = proto::Orders::NewStub(grpc::CreateChannel(
      target, grpc::CompositeChannelCredentials(grpc::experimental::LocalCredentials(LOCAL_TCP),
                                                credentials)));
  const auto nobody = proto::Orders::NewStub(
      grpc::CreateChannel(target, grpc::experimental::LocalCredentials(LOCAL_TCP)));

  {
    grpc::ClientContext context;
    proto::ListOrdersReply reply;
    const auto status = alice->ListOrders(&context, {}, &reply);
    std::cout << "ListOrders as alice: " << outcome(status) << ", subject " << reply.subject()
              << ", " << reply.orders_size() << " orders\n";
  }
  {
    grpc::ClientContext context;
    proto::PlaceOrderReply reply;
    std::cout << "PlaceOrder as alice: " << outcome(alice->PlaceOrder(&context, {}, &reply))
              << "\n";
  }
  {
    grpc::ClientContext context;
    proto::StatusReply reply;
    const auto status = nobody->Status(&context, {}, &reply);
    std::cout << "Status without a token: " << outcome(status) << ", "
              << (reply.subject().empty() ? "anonymous" : reply.subject()) << "\n";
  }
  {
    // Alice's token with the signature of another one.
    auto other = sessions.issue_pair("mallory").value().access_token;
    std::string forged = login.access_token;
    forged.replace(forged.rfind('.'), std::string::npos, other.substr(other.rfind('.')));
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + forged);
    proto::ListOrdersReply reply;
    std::cout << "ListOrders with a forged token: "
              << outcome(nobody->ListOrders(&context, {}, &reply)) << "\n";
  }
  const int first_fetches = fetches;
  now += 4min + 30s;  // the 5-minute token now has about 30 s left, less than the 60 s margin
  {
    grpc::ClientContext context;
    proto::ListOrdersReply reply;
    const auto status = alice->ListOrders(&context, {}, &reply);
    std::cout << "token fetches: " << first_fetches << ", then 30 s before expiry: " << fetches
              << (status.ok() ? " (a new token)" : " (" + outcome(status) + ")") << "\n";
  }
  server->Shutdown();
  return 0;
}
