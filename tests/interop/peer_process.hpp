#pragma once

// Runs another JWT implementation (a PyJWT or a node jose script) as a child process: one request
// on its stdin, one JSON reply on its stdout. Shared by the PyJWT peer (pyjwt_peer.hpp) and the
// jose peer (node_peer.hpp). The request goes through a pipe (child_process.hpp), never argv or
// a file, because it can carry secrets (HMAC keys).

#include <chrono>
#include <cstdint>
#include <string>

#include <jot/jot.hpp>
#include <nlohmann/json.hpp>

#include "catch.hpp"
#include "child_process.hpp"

namespace jot_interop {

// The world the interop tests share: one issuer, one API audience (and a billing service's, for
// tokens addressed to both), and the fixed time of the tokens a peer issues for jot to verify
// (2023-11-14T22:13:20Z). Tokens for PyJWT to verify are issued at the real time instead: PyJWT
// checks exp against its own clock.
inline constexpr const char* issuer = "https://issuer.example";
inline constexpr const char* audience = "https://api.example.com";
inline constexpr const char* billing_audience = "https://billing.example.com";
inline constexpr std::int64_t now = 1'700'000'000;
inline std::chrono::system_clock::time_point fixed_clock() {
  return std::chrono::system_clock::time_point(std::chrono::seconds(now));
}

// A path CMake fixed at configure time, or a failed test that says what to install when CMake
// found nothing (an empty or *-NOTFOUND value).
inline std::string configured_program(const char* path, const char* variable,
                                      const std::string& install_hint) {
  const std::string program = path;
  if (program.empty() || program.find("NOTFOUND") != std::string::npos) {
    FAIL("CMake found no program for " << variable << " (" << program << "). " << install_hint);
  }
  return program;
}

// Insists that the peer carried the request out: exit status 0 and a JSON object with an `ok`
// member on stdout. The request is never printed (it may hold a secret); the peer's stderr is.
inline nlohmann::json parse_reply(const jot_test::process_result& output,
                                  const std::string& peer_name) {
  INFO(peer_name << " exited with " << output.status << "; its stderr:\n" << output.err);
  REQUIRE(output.status == 0);
  const auto reply = nlohmann::json::parse(output.out, nullptr, /*allow_exceptions=*/false);
  INFO("peer stdout was not one JSON object: " << output.out);
  REQUIRE(reply.is_object());
  REQUIRE(reply.contains("ok"));
  return reply;
}

// `object[name]`, or null when there is no such member. operator[] on a const nlohmann::json
// asserts (aborts the whole run) on a missing member; a test should fail one check instead.
inline nlohmann::json member(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(name);
  return it == object.end() ? nlohmann::json() : *it;
}

// The string member `name`, or "<absent>" (for messages and equality checks that should fail
// readably rather than throw).
inline std::string text(const nlohmann::json& object, const char* name) {
  const nlohmann::json value = member(object, name);
  return value.is_string() ? value.get<std::string>() : std::string("<absent>");
}

// "accepted", or the name of the errc jot rejected a token with, for INFO messages.
template <typename Result>
std::string verdict(const Result& result) {
  return result ? "accepted" : jot::errc_name(result.error());
}

}  // namespace jot_interop
