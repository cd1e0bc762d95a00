// One service calling another with a DPoP-bound token (RFC 9449): the caller keeps a P-256 key
// and signs a proof for every request with jot::dpop::proof_signer; the token endpoint binds the
// token it issues to that key (cnf.jkt); the orders API, a jot-protected cpp-httplib server,
// takes the token only with a fresh proof by that key and asks for a server nonce first.
// A copy of the token is useless to whoever lacks the key. Both servers run here on loopback
// ports, so the example runs anywhere.
#include <openssl/rand.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include <jot/dpop.hpp>
#include <jot/http/httplib.hpp>
#include <jot/jot.hpp>
#include <jot/session.hpp>
#include <jot/unverified.hpp>

namespace {

using namespace std::chrono_literals;

// A cpp-httplib server on a free loopback port, on its own thread until destroyed.
class local_server {
 public:
  local_server() {
    port_ = server.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(1ms);
  }
  ~local_server() {
    server.stop();
    thread_.join();
  }
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }

  httplib::Server server;

 private:
  int port_ = 0;
  std::thread thread_;
};

std::string error_of(const httplib::Result& answer) {
  if (!answer) return "no answer";
  return std::to_string(answer->status) + " " + answer->body;
}

}  // namespace

int main() {
  // The token endpoint's session manager and its DPoP verifier (no nonce at the token endpoint
  // here; the orders API asks for one).
  const auto sessions = jot::session_manager::builder{}
                            .issuer("https://auth.example.com")
                            .access_audience("https://orders.example.com")
                            .client_id("billing-service")
                            .access_key(jot::signing_key::generate(jot::algorithm::es256).value())
                            .build()
                            .value();
  const auto token_proofs = jot::dpop::verifier::builder{}.build().value();
  local_server auth;
  auth.server.Post("/token", [&](const httplib::Request& request, httplib::Response& response) {
    const std::string uri = auth.origin() + request.path;
    const auto fields = request.headers.equal_range("DPoP");
    jot::dpop::request checked{request.method, uri, {}};
    for (auto it = fields.first; it != fields.second; ++it)
      checked.dpop_headers.push_back(it->second);
    auto proof = token_proofs.verify(checked);
    if (!proof) {
      response.status = 400;
      response.set_content(R"({"error":"invalid_dpop_proof"})", "application/json");
      return;
    }
    // A client credentials grant, RFC 6749 §4.4 (the client's own authentication is left out).
    auto pair = sessions.issue_pair("billing-service", nlohmann::json::object(), proof->key);
    if (!pair) {
      response.status = 500;
      return;
    }
    response.set_content(
        nlohmann::json{{"access_token", pair->access_token}, {"token_type", "DPoP"}}.dump(),
        "application/json");
  });

  // The orders API: DPoP only, with server nonces (RFC 9449 §9).
  // Nonces derived from a secret every instance of the API shares (here, random bytes).
  unsigned char secret[32];
  if (RAND_bytes(secret, sizeof secret) != 1) return 1;
  const auto nonces =
      jot::dpop::hmac_nonce_source::create(
          jot::secret_bytes(std::string_view(reinterpret_cast<char*>(secret), sizeof secret)))
          .value();
  const auto api_proofs = jot::dpop::verifier::builder{}.expect_nonce(nonces).build().value();
  local_server api;
  api.server.Get(
      "/orders",
      jot::httplib::protect(
          sessions,
          [](const httplib::Request&, httplib::Response& response,
             const jot::verified_token& caller) {
            response.set_content(std::string(*caller.claims().subject()), "text/plain");
          },
          jot::access_requirement{}.realm("orders").require_dpop(api_proofs), api.origin()));

  // The calling service: its key never leaves it.
  const auto key = jot::signing_key::generate(jot::algorithm::es256).value();
  auto signer = jot::dpop::proof_signer::create(key).value();
  httplib::Client auth_client(auth.origin());
  httplib::Client api_client(api.origin());

  const std::string token_uri = auth.origin() + "/token";
  const auto issued =
      auth_client.Post("/token", {{"DPoP", signer.sign("POST", token_uri).value()}}, "", "");
  if (!issued || issued->status != 200) {
    std::cerr << "token: " << error_of(issued) << "\n";
    return 1;
  }
  const std::string token = nlohmann::json::parse(issued->body).at("access_token");
  const auto bound = jot::unverified::decode(token).value().payload.at("cnf").at("jkt");
  std::cout << "token bound to the caller's key: " << (bound == signer.thumbprint()) << "\n";

  // First call: the API asks for its nonce; the signer remembers it and the call is repeated.
  const std::string orders_uri = api.origin() + "/orders";
  const auto call = [&](jot::dpop::proof_signer& by) {
    return api_client.Get("/orders", {{"Authorization", "DPoP " + token},
                                      {"DPoP", by.sign("GET", orders_uri, token).value()}});
  };
  auto answer = call(signer);
  std::cout << "first call: " << error_of(answer)
            << (answer->has_header("DPoP-Nonce") ? ", with a DPoP-Nonce" : "") << "\n";
  if (answer->status == 401 && answer->has_header("DPoP-Nonce")) {
    if (!signer.remember_nonce(orders_uri, answer->get_header_value("DPoP-Nonce"))) return 1;
    answer = call(signer);
  }
  std::cout << "with the nonce: " << answer->status << " " << answer->body << "\n";

  // A copy of the token: as a Bearer token (this route takes DPoP alone), and with a proof by
  // another key.
  const auto as_bearer = api_client.Get("/orders", {{"Authorization", "Bearer " + token}});
  std::cout << "stolen token as Bearer: " << error_of(as_bearer) << "\n";
  auto thief =
      jot::dpop::proof_signer::create(jot::signing_key::generate(jot::algorithm::es256).value())
          .value();
  if (!thief.remember_nonce(orders_uri, api_proofs.current_nonce().value())) return 1;
  std::cout << "stolen token, thief's key: " << error_of(call(thief)) << "\n";
  return 0;
}
