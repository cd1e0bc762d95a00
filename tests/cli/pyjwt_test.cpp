// jot sign -> PyJWT verify and PyJWT sign -> jot verify, for every algorithm PyJWT supports, with
// keys made by jot keygen. PyJWT runs once (tests/cli/pyjwt_cli_peer.py) for the whole batch; a
// missing interpreter or PyJWT fails the test and says what to install.

#include <string>
#include <vector>

#include "cli_support.hpp"

using namespace jot_cli_test;

namespace {

// PyJWT 2.6's algorithm names; EdDSA covers Ed25519 and Ed448 keys.
struct algorithm_case {
  std::string keygen_alg;
  std::string jose_alg;
};
const std::vector<algorithm_case> algorithms = {
    {"HS256", "HS256"},   {"HS384", "HS384"},   {"HS512", "HS512"}, {"RS256", "RS256"},
    {"RS384", "RS384"},   {"RS512", "RS512"},   {"PS256", "PS256"}, {"PS384", "PS384"},
    {"PS512", "PS512"},   {"ES256", "ES256"},   {"ES384", "ES384"}, {"ES512", "ES512"},
    {"ES256K", "ES256K"}, {"Ed25519", "EdDSA"}, {"Ed448", "EdDSA"}};

const char* const install_hint =
    "The CLI interop test needs /usr/bin/python3 with PyJWT and cryptography (Debian: apt-get "
    "install python3-jwt python3-cryptography), or configure with -DJOT_PYTHON3=/path/to/python3.";

bool is_hmac(const std::string& alg) { return alg.rfind("HS", 0) == 0; }

// The key members of a peer request: a base64url secret, or a PEM.
json key_members(const algorithm_case& c, bool private_half) {
  const key_files& keys = generated_key(c.keygen_alg, "pem");
  if (is_hmac(c.keygen_alg)) return {{"secret", b64(read_file(keys.private_key))}};
  if (private_half) return {{"private_pem", read_file(keys.private_key)}};
  return {{"public_pem", read_file(keys.public_key)}};
}

json call_pyjwt(const json& request) {
  const std::string python = JOT_PYTHON3;
  if (python.empty() || python.find("NOTFOUND") != std::string::npos) {
    FAIL("CMake found no python3 (JOT_PYTHON3=" << python << "). " << install_hint);
  }
  const process_result r = run_program({python, JOT_CLI_PYJWT_PEER}, request.dump());
  INFO(python << " " << JOT_CLI_PYJWT_PEER << " exited with " << r.status << "; stderr:\n"
              << r.err << "\n"
              << install_hint);
  REQUIRE(r.status == 0);
  return parse_json(r.out);
}

}  // namespace

TEST_CASE(
    "tokens jot signs verify in PyJWT, and tokens PyJWT signs verify in jot, for every "
    "algorithm",
    "[pyjwt]") {
  // jot signs with the real clock: PyJWT checks exp and iat against it.
  json request = {{"verify", json::array()}, {"sign", json::array()}};
  std::vector<std::string> jot_tokens;
  for (const algorithm_case& c : algorithms) {
    const key_files& keys = generated_key(c.keygen_alg, "pem");
    const process_result r =
        run_jot({"sign", "--alg", c.jose_alg, key_option(c.keygen_alg, "pem"), keys.private_key,
                 "--claim", "sub=alice", "--claim", "scope=orders:read"});
    INFO(c.keygen_alg << ": " << r.err);
    REQUIRE(r.status == 0);
    jot_tokens.push_back(first_line(r.out));
    json verify = key_members(c, false);
    verify["alg"] = c.jose_alg;
    verify["token"] = jot_tokens.back();
    request["verify"].push_back(verify);
    json sign = key_members(c, true);
    sign["alg"] = c.jose_alg;
    sign["payload"] = {{"sub", "bob"}, {"peer", "pyjwt"}};
    request["sign"].push_back(sign);
  }

  const json reply = call_pyjwt(request);
  REQUIRE(reply["verified"].size() == algorithms.size());
  REQUIRE(reply["signed"].size() == algorithms.size());
  for (std::size_t i = 0; i < algorithms.size(); ++i) {
    const algorithm_case& c = algorithms[i];
    INFO(c.keygen_alg << " with PyJWT " << reply["pyjwt"]);
    const json& verified = reply["verified"][i];
    INFO("PyJWT's verdict on jot's token: " << verified.dump());
    REQUIRE(verified["ok"] == true);
    CHECK(verified["claims"] == decoded_payload(jot_tokens[i]));
    CHECK(verified["claims"]["sub"] == "alice");
    CHECK(verified["header"]["alg"] == c.jose_alg);

    const json& signed_token = reply["signed"][i];
    INFO("PyJWT signing: " << signed_token.dump());
    REQUIRE(signed_token["ok"] == true);
    const std::string token = signed_token["token"].get<std::string>();
    const key_files& keys = generated_key(c.keygen_alg, "pem");
    const process_result r =
        run_jot({"verify", "--alg", c.jose_alg, key_option(c.keygen_alg, "pem"), keys.public_key,
                 "--sub", "bob", "--claim", "peer=pyjwt"},
                token);
    check_success(r, decoded_payload(token).dump() + "\n");
  }
}
