#pragma once

// The C++ side of the PyJWT peer (pyjwt_peer.py): runs the script once per request (or per batch
// of requests), hands it the request on stdin and returns its JSON reply. A peer that cannot be
// started, exits non-zero or answers with something that is not JSON fails the current test with
// the peer's stderr: CI installs python3-jwt, so a missing interpreter or PyJWT is an error, never
// a skip.
//
// Secrets: the request (which carries the HMAC secret) goes through a pipe, so it is never
// written to disk, to argv or to a test log. Only the peer's stdout and stderr go to files, in a
// private temporary folder that is removed afterwards.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <jot/jot.hpp>
#include <nlohmann/json.hpp>

#include "catch.hpp"
#include "peer_process.hpp"

namespace jot_interop {

// The interpreter CMake found and the peer script, both fixed at configure time.
inline constexpr const char* python_path = JOT_PYTHON3;
inline constexpr const char* peer_script = JOT_PYJWT_PEER;

inline const std::string& pyjwt_install_hint() {
  static const std::string hint =
      "The interop tests need /usr/bin/python3 with PyJWT and cryptography (Debian: apt-get "
      "install python3 python3-jwt python3-cryptography), or configure with "
      "-DJOT_PYTHON3=/path/to/python3.";
  return hint;
}

// Runs the peer with `request` on its stdin and returns what it did, without judging it.
inline jot_test::process_result run_peer(const std::string& request) {
  const std::string python = configured_program(python_path, "JOT_PYTHON3", pyjwt_install_hint());
  return jot_test::run_program({python, peer_script}, request, pyjwt_install_hint());
}

// Runs the peer and insists that it carried the request out: exit status 0 and a JSON object on
// stdout. The request is never printed (it holds the secret); the peer's stderr is.
inline nlohmann::json call_peer(const nlohmann::json& request) {
  return parse_reply(run_peer(request.dump()),
                     std::string("PyJWT peer (") + python_path + " " + peer_script + ")");
}

// Several requests in one Python process (each start costs ~80 ms, more than the work itself).
// Keys that a "generate" request names stay usable by the later requests of the same batch.
// Returns one reply per request, in order.
inline std::vector<nlohmann::json> call_peer_batch(const std::vector<nlohmann::json>& requests) {
  const nlohmann::json reply = call_peer({{"op", "batch"}, {"requests", requests}});
  REQUIRE(member(reply, "ok") == true);
  const nlohmann::json replies = member(reply, "replies");
  REQUIRE(replies.is_array());
  REQUIRE(replies.size() == requests.size());
  return std::vector<nlohmann::json>(replies.begin(), replies.end());
}

inline std::string b64url(std::string_view bytes) { return jot::base64url_encode(bytes); }

// The token of a successful "encode" reply; otherwise the test fails with PyJWT's exception.
inline std::string token_of(const nlohmann::json& reply) {
  INFO("PyJWT raised " << text(reply, "error") << ": " << text(reply, "message"));
  REQUIRE(member(reply, "ok") == true);
  REQUIRE(member(reply, "token").is_string());
  return reply.at("token").get<std::string>();
}

// An "encode" request for call_peer_batch: PyJWT signs `payload` as `algorithm` with the key that
// an earlier "generate" request of the same batch named `key_name`. A null `kid` writes no kid
// header at all.
inline nlohmann::json encode_with_key(const std::string& key_name, const std::string& algorithm,
                                      const nlohmann::json& kid, const nlohmann::json& payload) {
  nlohmann::json headers = nlohmann::json::object();
  if (!kid.is_null()) headers["kid"] = kid;
  return {{"op", "encode"},
          {"key", key_name},
          {"algorithm", algorithm},
          {"headers", headers},
          {"payload", payload}};
}

// PyJWT's jwt.decode() of a jot token: the reply is {"ok": true, "claims", "header"} or
// {"ok": false, "error": "<exception class>"}.
struct decode_request {
  std::string token;
  std::string secret;  // raw bytes
  std::string algorithm;
  std::optional<std::string> audience;
  std::optional<std::string> issuer;
};

inline nlohmann::json pyjwt_decode(const decode_request& r) {
  nlohmann::json request = {{"op", "decode"},
                            {"token", r.token},
                            {"secret", b64url(r.secret)},
                            {"algorithms", {r.algorithm}}};
  request["audience"] = r.audience ? nlohmann::json(*r.audience) : nlohmann::json(nullptr);
  request["issuer"] = r.issuer ? nlohmann::json(*r.issuer) : nlohmann::json(nullptr);
  return call_peer(request);
}

// PyJWT's jwt.encode(); an absent secret is PyJWT's key=None (alg "none").
struct encode_request {
  std::string algorithm;
  std::optional<std::string> secret;  // raw bytes
  nlohmann::json headers = nlohmann::json::object();
  nlohmann::json payload = nlohmann::json::object();
};

inline std::string pyjwt_encode(const encode_request& r) {
  nlohmann::json request = {
      {"op", "encode"}, {"algorithm", r.algorithm}, {"headers", r.headers}, {"payload", r.payload}};
  request["secret"] = r.secret ? nlohmann::json(b64url(*r.secret)) : nlohmann::json(nullptr);
  return token_of(call_peer(request));
}

// HS256 -> HS384 -> HS512 -> HS256: a different algorithm that a 64-byte secret also suits.
// Not a switch: jot::algorithm grows asymmetric members these tests never use.
inline jot::algorithm next_hmac_algorithm(jot::algorithm alg) {
  if (alg == jot::algorithm::hs256) return jot::algorithm::hs384;
  if (alg == jot::algorithm::hs384) return jot::algorithm::hs512;
  return jot::algorithm::hs256;
}

inline std::string algorithm_label(jot::algorithm alg) {
  return std::string(jot::algorithm_name(alg));
}

}  // namespace jot_interop
