// JWE both ways with Debian's python3-jwcrypto (jwcrypto_peer.py), every supported pair.

#include <string>

#include "jwe_interop.hpp"

namespace {

nlohmann::json call_jwcrypto(const nlohmann::json& request) {
  const std::string hint =
      "The JWE interop tests need /usr/bin/python3 with jwcrypto (Debian: apt-get install "
      "python3-jwcrypto), or configure with -DJOT_PYTHON3=/path/to/python3.";
  const std::string python = jot_interop::configured_program(JOT_PYTHON3, "JOT_PYTHON3", hint);
  const jot_test::process_result output =
      jot_test::run_program({python, JOT_JWCRYPTO_PEER}, request.dump(), hint);
  if (output.status == 3) FAIL(output.err << hint);
  return jot_interop::parse_reply(output, std::string("jwcrypto peer (") + JOT_JWCRYPTO_PEER + ")");
}

}  // namespace

TEST_CASE("JWE: jot and jwcrypto decrypt each other's tokens for every supported pair",
          "[interop][jwe][jwcrypto]") {
  jot_interop::check_jwe_interop(call_jwcrypto);
}
