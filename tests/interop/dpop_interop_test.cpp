// DPoP interoperability (RFC 9449) with panva's libraries on node (node/dpop_peer.mjs): proofs
// made by the npm `dpop` package verify in jot::dpop::verifier with the thumbprint that package
// computes, and proofs made by jot::dpop::proof_signer verify in the RFC 9449 §4.3 checks made
// with `jose` (the signature under the proof's own jwk, typ, iat window, htm, htu, ath) with the
// thumbprint jose computes. Proofs carry the real time (the npm package reads the clock itself),
// so both sides use the system clock here; each test case is one or two node processes.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <jot/dpop.hpp>
#include <jot/jot.hpp>

#include "catch.hpp"
#include "fixed_keys.hpp"
#include "node_peer.hpp"

namespace {

using nlohmann::json;

inline constexpr const char* dpop_peer_script = JOT_DPOP_PEER;

json call_dpop_peer(const json& request) {
  const std::string node = jot_interop::configured_program(jot_interop::node_path, "JOT_NODE",
                                                           jot_interop::jose_install_hint());
  const jot_test::process_result output = jot_test::run_program(
      {node, dpop_peer_script}, request.dump(), jot_interop::jose_install_hint());
  if (output.status == 3) FAIL(output.err << jot_interop::jose_install_hint());
  return jot_interop::parse_reply(output,
                                  std::string("dpop peer (") + node + " " + dpop_peer_script + ")");
}

std::int64_t dpop_interop_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const char* const interop_uri = "https://api.example/orders";

}  // namespace

TEST_CASE("dpop interop: proofs by the npm dpop package verify in jot", "[interop][dpop]") {
  const auto nonces =
      jot::dpop::hmac_nonce_source::create(jot::secret_bytes(std::string(32, 'i'))).value();
  const auto verifier = jot::dpop::verifier::builder{}
                            .allow_algorithm(jot::algorithm::ed25519)
                            .allow_algorithm(jot::algorithm::rs256)
                            .allow_algorithm(jot::algorithm::ps256)
                            .expect_nonce(nonces)
                            .build()
                            .value();
  const std::string nonce = verifier.current_nonce().value();
  const json cases = json::array({
      {{"alg", "ES256"},
       {"htm", "GET"},
       {"htu", interop_uri},
       {"nonce", nonce},
       {"access_token", "token-1"}},
      {{"alg", "ES256"},
       {"htm", "POST"},
       {"htu", interop_uri},
       {"nonce", nonce},
       {"access_token", nullptr}},
      // Written with RFC 9864's fully-specified name, "Ed25519".
      {{"alg", "Ed25519"},
       {"htm", "GET"},
       {"htu", interop_uri},
       {"nonce", nonce},
       {"access_token", "token-2"}},
      {{"alg", "RS256"},
       {"htm", "GET"},
       {"htu", interop_uri},
       {"nonce", nonce},
       {"access_token", "token-3"}},
      {{"alg", "PS256"},
       {"htm", "DELETE"},
       {"htu", interop_uri},
       {"nonce", nonce},
       {"access_token", "token-4"}},
      // Without the nonce the server asked for.
      {{"alg", "ES256"},
       {"htm", "GET"},
       {"htu", interop_uri},
       {"nonce", nullptr},
       {"access_token", "token-5"}},
  });
  const json reply = call_dpop_peer({{"op", "sign"}, {"cases", cases}});
  REQUIRE(jot_interop::member(reply, "ok") == true);
  const json& proofs = jot_interop::member(reply, "proofs");
  REQUIRE(proofs.size() == cases.size());
  for (std::size_t i = 0; i + 1 < cases.size(); ++i) {
    const json& c = cases[i];
    INFO(c.dump());
    const std::string proof = proofs[i]["proof"];
    const std::string method = c["htm"];
    std::optional<std::string> token;
    if (c["access_token"].is_string()) token = c["access_token"].get<std::string>();
    const auto verified =
        verifier.verify({method,
                         interop_uri,
                         {proof},
                         token ? std::optional<std::string_view>(*token) : std::nullopt});
    REQUIRE(verified.error() == std::error_code());
    CHECK(verified->key.thumbprint() == proofs[i]["thumbprint"]);
    CHECK(verified->claims["htm"] == method);
    // The same proof without its token, or presented again, is refused.
    CHECK(verifier.verify({method, interop_uri, {proof}, std::nullopt}).error() ==
          (token ? jot::errc::dpop_ath_mismatch : jot::errc::dpop_proof_replayed));
  }
  const std::string without_nonce = proofs.back()["proof"];
  CHECK(
      verifier.verify({"GET", interop_uri, {without_nonce}, std::string_view("token-5")}).error() ==
      jot::errc::dpop_nonce_required);
}

TEST_CASE("dpop interop: jot's proofs pass RFC 9449's checks made with jose", "[interop][dpop]") {
  const jot::algorithm algorithms[] = {jot::algorithm::es256, jot::algorithm::es384,
                                       jot::algorithm::ed25519, jot::algorithm::rs256,
                                       jot::algorithm::ps256};
  json cases = json::array();
  std::vector<std::string> thumbprints;
  for (const jot::algorithm alg : algorithms) {
    const auto signer = jot::dpop::proof_signer::create(jot_test::fixed_keys().signer(alg)).value();
    thumbprints.push_back(signer.thumbprint());
    const std::string proof =
        signer.sign("POST", "https://API.example:443/orders?x=1", std::string_view("the-token"))
            .value();
    const json expected = {{"algorithms", {"ES256", "ES384", "EdDSA", "RS256", "PS256"}},
                           {"htm", "POST"},
                           {"htu", interop_uri},
                           {"current_date", dpop_interop_now()}};
    json ok = expected;
    ok["proof"] = proof;
    ok["access_token"] = "the-token";
    cases.push_back(ok);
    // jose refuses it too for another method, without its token, or with another.
    json other_method = ok;
    other_method["htm"] = "GET";
    cases.push_back(other_method);
    json no_token = ok;
    no_token["access_token"] = nullptr;
    cases.push_back(no_token);
    json other_token = ok;
    other_token["access_token"] = "another-token";
    cases.push_back(other_token);
  }
  const json reply = call_dpop_peer({{"op", "verify"}, {"cases", cases}});
  REQUIRE(jot_interop::member(reply, "ok") == true);
  const json& results = jot_interop::member(reply, "results");
  REQUIRE(results.size() == cases.size());
  for (std::size_t i = 0; i < std::size(algorithms); ++i) {
    INFO(jot::fully_specified_name(algorithms[i]));
    const json& accepted = results[4 * i];
    INFO(accepted.dump());
    REQUIRE(accepted["ok"] == true);
    CHECK(accepted["thumbprint"] == thumbprints[i]);
    CHECK(accepted["claims"]["htu"] == interop_uri);
    CHECK(accepted["claims"]["ath"] == jot::dpop::access_token_hash("the-token").value());
    CHECK(results[4 * i + 1] == json({{"ok", false}, {"code", "DPOP_HTM"}}));
    CHECK(results[4 * i + 2] == json({{"ok", false}, {"code", "DPOP_ATH"}}));
    CHECK(results[4 * i + 3] == json({{"ok", false}, {"code", "DPOP_ATH"}}));
  }
}
