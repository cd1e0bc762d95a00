// DPoP over gRPC (RFC 9449 with the htu rule of grpc.hpp): `authorization: DPoP <token>` and a
// `dpop` entry, against a real gRPC server and client on a loopback port; the nonce round trip
// in the metadata, and each refusal's status.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <string>
#include <vector>

#include <jot/dpop.hpp>
#include <jot/http/grpc.hpp>
#include <jot/jot.hpp>

#include "catch.hpp"
#include "grpc_support.hpp"

namespace {

// ListOrders with the given metadata: its status and the subject its handler answered with.
struct dpop_reply {
  grpc::Status status;
  std::string subject;
};

dpop_reply list_orders(const std::string& target,
                       const std::vector<std::pair<std::string, std::string>>& metadata) {
  auto stub = jot::examples::Orders::NewStub(
      grpc::CreateChannel(target, grpc::experimental::LocalCredentials(LOCAL_TCP)));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  for (const auto& [name, value] : metadata) context.AddMetadata(name, value);
  jot::examples::ListOrdersReply answer;
  const auto status = stub->ListOrders(&context, jot::examples::ListOrdersRequest(), &answer);
  return {status, answer.subject()};
}

}  // namespace

TEST_CASE("gRPC: a DPoP-bound token with its proof in `dpop` metadata, and the nonce round trip",
          "[grpc][dpop]") {
  const grpc_test::token_issuer idp;
  const auto client_key = jot::signing_key::generate(jot::algorithm::es256).value();
  auto signer = jot::dpop::proof_signer::create(client_key).value();
  auto thief =
      jot::dpop::proof_signer::create(jot::signing_key::generate(jot::algorithm::es256).value())
          .value();
  const auto proofs =
      jot::dpop::verifier::builder{}
          .expect_nonce(
              jot::dpop::hmac_nonce_source::create(jot::secret_bytes(std::string(32, 'n'))).value())
          .build()
          .value();
  jot::grpc::server_options options;
  options.requirement = jot::access_requirement{}.accept_dpop(proofs);
  const auto server = grpc_test::serve(idp.verifier(), options);
  const std::string target = server->target();
  // The htu of a gRPC call: https, the call's authority, the method's path.
  const std::string htu = "https://" + target + "/jot.examples.Orders/ListOrders";

  // A token bound to the client's key.
  const auto now = std::chrono::system_clock::now();
  const std::string token = jot::encoder{idp.key}
                                .sign(jot::claims::builder{}
                                          .issuer(grpc_test::issuer_name)
                                          .audience("orders")
                                          .subject("alice")
                                          .issued_at(now)
                                          .expires_at(now + std::chrono::minutes(5))
                                          .claim("cnf", {{"jkt", signer.thumbprint()}})
                                          .build()
                                          .value())
                                .value();

  const auto first = list_orders(target, {{"authorization", "DPoP " + token},
                                          {"dpop", signer.sign("POST", htu, token).value()}});
  // use_dpop_nonce: the nonce travels in the status message (grpc.hpp says why).
  const std::string nonce = proofs.current_nonce().value();
  CHECK(first.status.error_code() == grpc::StatusCode::UNAUTHENTICATED);
  REQUIRE(first.status.error_message() == "dpop_nonce_required dpop-nonce=" + nonce);
  REQUIRE(signer.remember_nonce(htu, nonce));

  const auto admitted = list_orders(target, {{"authorization", "DPoP " + token},
                                             {"dpop", signer.sign("POST", htu, token).value()}});
  CHECK(admitted.status.ok());
  CHECK(admitted.subject == "alice");

  struct row {
    const char* name;
    std::vector<std::pair<std::string, std::string>> metadata;
    const char* error;
  };
  REQUIRE(thief.remember_nonce(htu, nonce));
  const std::vector<row> rows = {
      {"as Bearer", {{"authorization", "Bearer " + token}}, "dpop_proof_required"},
      {"without a proof", {{"authorization", "DPoP " + token}}, "missing_dpop_proof"},
      {"a proof for another method",
       {{"authorization", "DPoP " + token},
        {"dpop", signer.sign("POST", "https://" + target + "/jot.examples.Orders/PlaceOrder", token)
                     .value()}},
       "dpop_uri_mismatch"},
      {"a proof by another key",
       {{"authorization", "DPoP " + token}, {"dpop", thief.sign("POST", htu, token).value()}},
       "dpop_key_mismatch"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.name);
    const auto refused = list_orders(target, r.metadata);
    CHECK(refused.status.error_code() == grpc::StatusCode::UNAUTHENTICATED);
    CHECK(refused.status.error_message() == r.error);
    CHECK(refused.subject.empty());
  }
  CHECK(server->service.handled == 1);
}
