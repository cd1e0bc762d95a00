#pragma once

// The C++ side of the jose peer (node/jose_peer.mjs, copied into the build tree beside the
// node_modules that `npm ci` fills): one node process per request. A missing node, a jose that was
// not installed, a non-zero exit or a reply that is not JSON fails the current test with the
// peer's stderr and what to install: CI installs node and npm, so none of that is a skip.

#include <string>

#include <nlohmann/json.hpp>

#include "catch.hpp"
#include "peer_process.hpp"

namespace jot_interop {

// Fixed at configure time: node's path, the peer script's copy, the jose version package-lock.json
// pins.
inline constexpr const char* node_path = JOT_NODE;
inline constexpr const char* jose_peer_script = JOT_JOSE_PEER;
inline constexpr const char* pinned_jose_version = JOT_JOSE_VERSION;

inline const std::string& jose_install_hint() {
  static const std::string hint =
      "The jose interop tests need node and npm (Debian 12: apt-get install nodejs npm), and "
      "jose installed beside the peer script: `ctest` does that first, in the "
      "jot_interop_node_setup test (`npm ci`, which needs the npm registry). Running this "
      "executable directly? Run `ctest -R jot_interop_node` once.";
  return hint;
}

inline nlohmann::json call_jose(const nlohmann::json& request) {
  const std::string node = configured_program(node_path, "JOT_NODE", jose_install_hint());
  const jot_test::process_result output =
      jot_test::run_program({node, jose_peer_script}, request.dump(), jose_install_hint());
  if (output.status == 3) FAIL(output.err << jose_install_hint());
  return parse_reply(output, std::string("jose peer (") + node + " " + jose_peer_script + ")");
}

}  // namespace jot_interop
