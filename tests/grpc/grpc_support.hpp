#pragma once

// Shared by the gRPC suites: an issuer of ES256 tokens, the orders service of
// examples/grpc/orders.proto served by a real gRPC server on a free loopback port (local
// credentials, which gRPC counts as privacy and integrity, so call credentials travel) with a
// jot authenticator as its AuthMetadataProcessor, and a client for it.

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <jot/http/grpc.hpp>
#include <jot/http/grpc_credentials.hpp>
#include <jot/jot.hpp>

#include "catch.hpp"
#include "orders.grpc.pb.h"

namespace grpc_test {

using namespace std::chrono_literals;
namespace proto = jot::examples;

inline const char* const issuer_name = "https://auth.example.com";

// ES256 tokens of issuer_name with a kid.
struct token_issuer {
  jot::signing_key key;

  explicit token_issuer(const std::string& kid = "key-1")
      : key(jot::signing_key::generate(jot::algorithm::es256).value().with_key_id(kid).value()) {}

  // A token for `subject` with `scope`, expiring `lifetime` from now (negative: expired).
  std::string token(const std::string& subject, const std::string& scope = "orders:read",
                    const std::string& audience = "orders",
                    std::chrono::seconds lifetime = 5min) const {
    const auto now = std::chrono::system_clock::now();
    auto claims = jot::claims::builder{}
                      .issuer(issuer_name)
                      .audience(audience)
                      .subject(subject)
                      .issued_at(now - 10min)
                      .expires_at(now + lifetime)
                      .claim("scope", scope)
                      .build()
                      .value();
    return jot::encoder{key}.sign(claims).value();
  }

  // What a service that trusts this issuer checks: issuer and audience.
  static jot::result<jot::validator> policy() {
    return jot::validator::builder{}.expect_issuer(issuer_name).expect_audience("orders").build();
  }

  jot::verifier verifier() const {
    return jot::verifier::builder{}
        .add_key(key.verification_key().value())
        .validator(policy())
        .build()
        .value();
  }
};

// A verifier that counts its verifications: how many times a call's token was verified.
struct counting_verifier {
  jot::verifier verifier;
  std::shared_ptr<std::atomic<int>> count = std::make_shared<std::atomic<int>>(0);

  jot::result<jot::verified_token> operator()(std::string_view token) const {
    ++*count;
    return verifier.verify(token);
  }
};

// A principal of the application's own type, for make_authenticator<caller>().
struct caller {
  std::string sub;
  std::string scope;
};
inline void from_json(const nlohmann::json& json, caller& out) {
  json.at("sub").get_to(out.sub);
  json.at("scope").get_to(out.scope);
}

inline std::string subject_of(const jot::verified_token& token) {
  return std::string(token.claims().subject().value_or(""));
}
inline std::string subject_of(const caller& principal) { return principal.sub; }

// The orders service: every handler asks the authenticator for its caller and answers with the
// caller's subject (Status also anonymously). `handled` counts the handlers that ran.
template <typename Authenticator>
class orders_service final : public proto::Orders::Service {
 public:
  explicit orders_service(std::shared_ptr<Authenticator> auth) : auth_(std::move(auth)) {}

  grpc::Status ListOrders(grpc::ServerContext* context, const proto::ListOrdersRequest*,
                          proto::ListOrdersReply* reply) override {
    ++handled;
    const auto principal = auth_->principal_of(*context);
    if (!principal) return jot::grpc::status_of(principal.error());
    reply->set_subject(subject_of(*principal));
    return grpc::Status::OK;
  }

  grpc::Status PlaceOrder(grpc::ServerContext* context, const proto::PlaceOrderRequest*,
                          proto::PlaceOrderReply* reply) override {
    ++handled;
    const auto principal = auth_->principal_of(*context);
    if (!principal) return jot::grpc::status_of(principal.error());
    reply->set_subject(subject_of(*principal));
    return grpc::Status::OK;
  }

  grpc::Status Status(grpc::ServerContext* context, const proto::StatusRequest*,
                      proto::StatusReply* reply) override {
    ++handled;
    const auto principal = auth_->principal_of(*context);
    if (principal) {
      reply->set_subject(subject_of(*principal));
    } else if (principal.error() != jot::errc::missing_credentials) {
      return jot::grpc::status_of(principal.error());
    }
    return grpc::Status::OK;
  }

  std::atomic<int> handled{0};

 private:
  std::shared_ptr<Authenticator> auth_;
};

// The orders service with `auth` as its processor on 127.0.0.1, a port of the system's choice.
template <typename Authenticator>
struct orders_server {
  std::shared_ptr<Authenticator> auth;
  orders_service<Authenticator> service;
  std::unique_ptr<grpc::Server> server;
  int port = 0;

  explicit orders_server(std::shared_ptr<Authenticator> authenticator)
      : auth(std::move(authenticator)), service(auth) {
    auto credentials = grpc::experimental::LocalServerCredentials(LOCAL_TCP);
    credentials->SetAuthMetadataProcessor(auth);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", credentials, &port);
    builder.RegisterService(&service);
    server = builder.BuildAndStart();
    REQUIRE(server);
    REQUIRE(port != 0);
  }
  ~orders_server() { server->Shutdown(); }

  std::string target() const { return "127.0.0.1:" + std::to_string(port); }
};

// A server deciding with `source` and `options`, its handlers receiving Principal (void: the
// verified token).
template <typename Principal = void, typename Source>
auto serve(Source source, jot::grpc::server_options options = {}) {
  using authenticator = jot::grpc::authenticator<Principal, Source>;
  return std::make_unique<orders_server<authenticator>>(
      jot::grpc::make_authenticator<Principal>(std::move(source), std::move(options)));
}

// A call's status and the subject its handler answered with.
struct reply {
  grpc::Status status;
  std::string subject;
};

// A client of the orders service over local credentials, with `credentials` on every call when
// given; each call may add its own `authorization` entries.
class client {
 public:
  explicit client(const std::string& target,
                  std::shared_ptr<grpc::CallCredentials> credentials = nullptr) {
    auto channel_credentials = grpc::experimental::LocalCredentials(LOCAL_TCP);
    if (credentials) {
      channel_credentials = grpc::CompositeChannelCredentials(channel_credentials, credentials);
    }
    stub_ = proto::Orders::NewStub(grpc::CreateChannel(target, channel_credentials));
  }

  reply list_orders(const std::vector<std::string>& authorization = {}) const {
    return call(authorization, &proto::Orders::Stub::ListOrders, proto::ListOrdersRequest());
  }
  reply place_order(const std::vector<std::string>& authorization = {}) const {
    return call(authorization, &proto::Orders::Stub::PlaceOrder, proto::PlaceOrderRequest());
  }
  reply status(const std::vector<std::string>& authorization = {}) const {
    return call(authorization, &proto::Orders::Stub::Status, proto::StatusRequest());
  }

 private:
  template <typename Request, typename Reply>
  reply call(const std::vector<std::string>& authorization,
             grpc::Status (proto::Orders::Stub::*method)(grpc::ClientContext*, const Request&,
                                                         Reply*),
             const Request& request) const {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    for (const auto& value : authorization) context.AddMetadata("authorization", value);
    Reply answer;
    const grpc::Status status = (stub_.get()->*method)(&context, request, &answer);
    return {status, answer.subject()};
  }

  std::unique_ptr<proto::Orders::Stub> stub_;
};

// Whether `message` holds `token` or any of its segments: a status message must hold neither.
inline bool holds_token_bytes(const std::string& message, const std::string& token) {
  std::size_t start = 0;
  while (start <= token.size()) {
    const std::size_t end = std::min(token.find('.', start), token.size());
    const std::string segment = token.substr(start, end - start);
    if (segment.size() >= 8 && message.find(segment) != std::string::npos) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace grpc_test
