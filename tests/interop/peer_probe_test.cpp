// The peer itself: if these fail, every other interop test fails for the same reason, and this
// one says why (no interpreter, no PyJWT, a PyJWT too old to mean the same thing).

#include <algorithm>
#include <string>

#include "asymmetric_support.hpp"
#include "catch.hpp"
#include "pyjwt_peer.hpp"

TEST_CASE("the PyJWT peer runs under the configured python3 and reports PyJWT 2.x", "[interop]") {
  const nlohmann::json reply = jot_interop::call_peer({{"op", "probe"}});
  REQUIRE(jot_interop::member(reply, "ok") == true);
  REQUIRE(jot_interop::member(reply, "pyjwt").is_string());
  const std::string version = reply.at("pyjwt").get<std::string>();
  INFO("PyJWT " << version << " from " << jot_interop::member(reply, "pyjwt_path").dump());
  CHECK(version.rfind("2.", 0) == 0);
}

TEST_CASE("the PyJWT peer refuses a request it does not understand with exit status 2",
          "[interop]") {
  // The C++ side trusts a reply only after exit status 0; this proves the status means something.
  const auto output = jot_interop::run_peer(R"({"op": "sign-everything"})");
  CHECK(output.status == 2);
  CHECK(output.out.empty());
  CHECK(output.err.find("bad request") != std::string::npos);
}

TEST_CASE("the PyJWT peer's PyJWT offers every asymmetric algorithm jot implements", "[interop]") {
  // PyJWT registers RS*, PS*, ES* and EdDSA only when `cryptography` imports; without it every
  // asymmetric test would fail with a less helpful message.
  const nlohmann::json reply = jot_interop::call_peer({{"op", "probe"}});
  REQUIRE(jot_interop::member(reply, "algorithms").is_array());
  INFO("PyJWT algorithms: " << reply.at("algorithms").dump() << ", cryptography "
                            << jot_interop::text(reply, "cryptography"));
  for (jot::algorithm alg : jot_interop::asymmetric_algorithms) {
    INFO(jot_interop::label(alg));
    CHECK(std::count(reply.at("algorithms").begin(), reply.at("algorithms").end(),
                     jot_interop::header_alg(alg)) == 1);
  }
}
