// JWE both ways with panva/jose (node/jose_peer.mjs), every supported pair.

#include "jwe_interop.hpp"
#include "node_peer.hpp"

TEST_CASE("JWE: jot and jose decrypt each other's tokens for every supported pair",
          "[interop][jwe][jose]") {
  jot_interop::check_jwe_interop(jot_interop::call_jose);
}
