// DPoP over HTTP (RFC 9449 §7, §9) against a real cpp-httplib server on a loopback port:
// `Authorization: DPoP` beside Bearer, the challenges of both schemes, a bound token refused as
// Bearer, the nonce round trip, and each refusal's exact status, challenge and errc.
#include <jot/http/httplib.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <jot/dpop.hpp>
#include <jot/jot.hpp>
#include <jot/session.hpp>

#include "catch.hpp"

namespace {

using namespace std::chrono_literals;

const jot::signing_key& issuer_key() {
  static const auto key = jot::signing_key::generate(jot::algorithm::es256).value();
  return key;
}
const jot::signing_key& client_key() {
  static const auto key = jot::signing_key::generate(jot::algorithm::es256).value();
  return key;
}
const jot::signing_key& thief_key() {
  static const auto key = jot::signing_key::generate(jot::algorithm::es256).value();
  return key;
}

// The description each refusal's challenge carries: the code's fixed message.
std::string described(jot::errc code) { return jot::errc_message(code); }

// A session manager, a proof verifier per route, and a server with two routes:
// /orders accepts Bearer and DPoP, /admin DPoP alone with server nonces.
struct dpop_server {
  jot::session_manager sessions = jot::session_manager::builder{}
                                      .issuer("https://auth.example.com")
                                      .access_audience("https://api.example.com")
                                      .client_id("orders-app")
                                      .access_key(issuer_key())
                                      .build()
                                      .value();
  jot::dpop::verifier proofs = jot::dpop::verifier::builder{}.build().value();
  jot::dpop::verifier nonce_proofs =
      jot::dpop::verifier::builder{}
          .expect_nonce(
              jot::dpop::hmac_nonce_source::create(jot::secret_bytes(std::string(32, 'n'))).value())
          .build()
          .value();
  httplib::Server server;
  std::thread thread;
  std::string origin;

  dpop_server() {
    const int port = server.bind_to_any_port("127.0.0.1");
    REQUIRE(port > 0);
    origin = "http://127.0.0.1:" + std::to_string(port);
    const auto hello = [](const httplib::Request&, httplib::Response& res,
                          const jot::verified_token& token) {
      res.set_content("hello " + std::string(*token.claims().subject()), "text/plain");
    };
    server.Get("/orders", jot::httplib::protect(
                              sessions, hello,
                              jot::access_requirement{}.realm("api").accept_dpop(proofs), origin));
    server.Get("/admin",
               jot::httplib::protect(
                   sessions, hello,
                   jot::access_requirement{}.realm("api").require_dpop(nonce_proofs), origin));
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(1ms);
  }
  ~dpop_server() {
    server.stop();
    thread.join();
  }

  // A session bound to `key`, as a token endpoint makes one from the login's proof.
  std::string bound_token(const jot::signing_key& key) {
    auto signer = jot::dpop::proof_signer::create(key).value();
    const std::string token_uri = "https://auth.example.com/token";
    auto proof = proofs.verify({"POST", token_uri, {signer.sign("POST", token_uri).value()}});
    REQUIRE(proof);
    return sessions.issue_pair("user-42", nlohmann::json::object(), proof->key)
        .value()
        .access_token;
  }

  httplib::Result get(const std::string& path, const httplib::Headers& headers) {
    httplib::Client client(origin);
    return client.Get(path.c_str(), headers);
  }
};

std::string body_error(jot::errc code) {
  return std::string(R"({"error":")") + jot::errc_name(code) + R"("})";
}

}  // namespace

TEST_CASE("DPoP over HTTP: a bound token with its proof is admitted, as Bearer it is refused") {
  dpop_server api;
  auto signer = jot::dpop::proof_signer::create(client_key()).value();
  const std::string token = api.bound_token(client_key());
  const std::string uri = api.origin + "/orders";

  const auto admitted = api.get(
      "/orders?page=2",
      {{"Authorization", "DPoP " + token}, {"DPoP", signer.sign("GET", uri, token).value()}});
  REQUIRE(admitted);
  CHECK(admitted->status == 200);
  CHECK(admitted->body == "hello user-42");
  // The scheme is case-insensitive (RFC 9110 §11.1).
  const auto lower = api.get("/orders", {{"Authorization", "dpop " + token},
                                         {"DPoP", signer.sign("GET", uri, token).value()}});
  REQUIRE(lower);
  CHECK(lower->status == 200);

  // The same token as a Bearer token: refused, the error in the Bearer challenge, DPoP offered.
  const auto as_bearer = api.get("/orders", {{"Authorization", "Bearer " + token}});
  REQUIRE(as_bearer);
  CHECK(as_bearer->status == 401);
  CHECK(as_bearer->body == body_error(jot::errc::dpop_proof_required));
  CHECK(as_bearer->get_header_value("WWW-Authenticate") ==
        R"(Bearer realm="api", error="invalid_token", error_description=")" +
            described(jot::errc::dpop_proof_required) + R"(", DPoP realm="api", algs="ES256")");
  CHECK(as_bearer->get_header_value("Cache-Control") == "no-store");
}

TEST_CASE("DPoP over HTTP: each refused proof has its status, challenge and errc") {
  dpop_server api;
  auto signer = jot::dpop::proof_signer::create(client_key()).value();
  auto thief = jot::dpop::proof_signer::create(thief_key()).value();
  const std::string token = api.bound_token(client_key());
  const std::string uri = api.origin + "/orders";
  const std::string replayed = signer.sign("GET", uri, token).value();
  REQUIRE(api.get("/orders", {{"Authorization", "DPoP " + token}, {"DPoP", replayed}})->status ==
          200);

  struct row {
    const char* name;
    httplib::Headers headers;
    jot::errc error;
    const char* oauth_error;
  };
  const row rows[] = {
      {"no DPoP header",
       {{"Authorization", "DPoP " + token}},
       jot::errc::missing_dpop_proof,
       "invalid_dpop_proof"},
      {"two DPoP headers",
       {{"Authorization", "DPoP " + token},
        {"DPoP", signer.sign("GET", uri, token).value()},
        {"DPoP", signer.sign("GET", uri, token).value()}},
       jot::errc::multiple_dpop_proofs,
       "invalid_dpop_proof"},
      {"a replayed proof",
       {{"Authorization", "DPoP " + token}, {"DPoP", replayed}},
       jot::errc::dpop_proof_replayed,
       "invalid_dpop_proof"},
      {"a proof for another URI",
       {{"Authorization", "DPoP " + token},
        {"DPoP", signer.sign("GET", api.origin + "/admin", token).value()}},
       jot::errc::dpop_uri_mismatch,
       "invalid_dpop_proof"},
      {"a proof for another method",
       {{"Authorization", "DPoP " + token}, {"DPoP", signer.sign("POST", uri, token).value()}},
       jot::errc::dpop_method_mismatch,
       "invalid_dpop_proof"},
      {"a proof for another token",
       {{"Authorization", "DPoP " + token}, {"DPoP", signer.sign("GET", uri, "other").value()}},
       jot::errc::dpop_ath_mismatch,
       "invalid_dpop_proof"},
      {"the token with a proof by another key",
       {{"Authorization", "DPoP " + token}, {"DPoP", thief.sign("GET", uri, token).value()}},
       jot::errc::dpop_key_mismatch,
       "invalid_token"},
  };
  for (const row& r : rows) {
    CAPTURE(r.name);
    const auto answer = api.get("/orders", r.headers);
    REQUIRE(answer);
    CHECK(answer->status == 401);
    CHECK(answer->body == body_error(r.error));
    // Both schemes are offered; the error is in the DPoP challenge, the scheme used.
    CHECK(answer->get_header_value("WWW-Authenticate") ==
          std::string(R"(Bearer realm="api", DPoP realm="api", error=")") + r.oauth_error +
              R"(", error_description=")" + described(r.error) + R"(", algs="ES256")");
  }

  // An unbound token with a proof: not bound to the proof's key. As Bearer: admitted.
  const std::string unbound = api.sessions.issue_pair("user-7").value().access_token;
  const auto unbound_dpop = api.get(
      "/orders",
      {{"Authorization", "DPoP " + unbound}, {"DPoP", signer.sign("GET", uri, unbound).value()}});
  CHECK(unbound_dpop->status == 401);
  CHECK(unbound_dpop->body == body_error(jot::errc::dpop_key_mismatch));
  const auto unbound_bearer = api.get("/orders", {{"Authorization", "Bearer " + unbound}});
  CHECK(unbound_bearer->status == 200);
  CHECK(unbound_bearer->body == "hello user-7");

  // Two Authorization headers: one set of credentials per request.
  const auto two = api.get("/orders", {{"Authorization", "DPoP " + token},
                                       {"Authorization", "Bearer " + unbound},
                                       {"DPoP", signer.sign("GET", uri, token).value()}});
  CHECK(two->status == 400);
  CHECK(two->body == body_error(jot::errc::malformed_credentials));
  CHECK(two->get_header_value("WWW-Authenticate") ==
        R"(Bearer realm="api", error="invalid_request", error_description=")" +
            described(jot::errc::malformed_credentials) + R"(", DPoP realm="api", algs="ES256")");

  // No credentials: both challenges, no error.
  const auto none = api.get("/orders", {});
  CHECK(none->status == 401);
  CHECK(none->body == body_error(jot::errc::missing_credentials));
  CHECK(none->get_header_value("WWW-Authenticate") ==
        R"(Bearer realm="api", DPoP realm="api", algs="ES256")");
}

TEST_CASE("DPoP over HTTP: a DPoP-only route asks for a nonce, and the retry with it passes") {
  dpop_server api;
  auto signer = jot::dpop::proof_signer::create(client_key()).value();
  const std::string token = api.bound_token(client_key());
  const std::string uri = api.origin + "/admin";

  // Bearer is not accepted here at all: only the DPoP challenge, without an error code.
  const auto bearer = api.get("/admin", {{"Authorization", "Bearer " + token}});
  CHECK(bearer->status == 401);
  CHECK(bearer->body == body_error(jot::errc::unsupported_auth_scheme));
  CHECK(bearer->get_header_value("WWW-Authenticate") == R"(DPoP realm="api", algs="ES256")");

  // A proof without a nonce: use_dpop_nonce and the nonce to use (RFC 9449 §9).
  const auto first = api.get("/admin", {{"Authorization", "DPoP " + token},
                                        {"DPoP", signer.sign("GET", uri, token).value()}});
  REQUIRE(first);
  CHECK(first->status == 401);
  CHECK(first->body == body_error(jot::errc::dpop_nonce_required));
  CHECK(first->get_header_value("WWW-Authenticate") ==
        R"(DPoP realm="api", error="use_dpop_nonce", error_description=")" +
            described(jot::errc::dpop_nonce_required) + R"(", algs="ES256")");
  const std::string nonce = first->get_header_value("DPoP-Nonce");
  REQUIRE_FALSE(nonce.empty());
  CHECK(nonce == api.nonce_proofs.current_nonce().value());

  REQUIRE(signer.remember_nonce(uri, nonce));
  const auto retried = api.get("/admin", {{"Authorization", "DPoP " + token},
                                          {"DPoP", signer.sign("GET", uri, token).value()}});
  REQUIRE(retried);
  CHECK(retried->status == 200);
  CHECK(retried->body == "hello user-42");
  // The current nonce: nothing new to send.
  CHECK(retried->get_header_value("DPoP-Nonce").empty());
}
