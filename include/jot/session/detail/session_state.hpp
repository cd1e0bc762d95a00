#pragma once

// What a session manager holds (session_manager.hpp), made once by its builder
// (session_manager_builder.hpp) and shared, immutable, by every copy of the manager.

#include <chrono>
#include <functional>
#include <memory>

#include "jot/numeric_date.hpp"
#include "jot/session/detail/session_tokens.hpp"
#include "jot/session/stores.hpp"
#include "jot/verifier.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {

template <typename Json>
struct session_state {
  session_token_writer<Json> writer;
  basic_verifier<Json> access_verifier;
  basic_verifier<Json> refresh_verifier;
  // The same without the store checks: what revoke and end_session accept.
  basic_verifier<Json> access_inspector;
  basic_verifier<Json> refresh_inspector;
  std::shared_ptr<revocation_store> revocations;
  std::shared_ptr<token_version_store> versions;
  std::shared_ptr<refresh_family_store> families;
  std::chrono::seconds idle_timeout;
  std::chrono::seconds reuse_interval;
  std::function<std::chrono::system_clock::time_point()> clock;

  sys_seconds now() const {
    return std::chrono::time_point_cast<std::chrono::seconds>(
        clock ? clock() : std::chrono::system_clock::now());
  }
};

}  // namespace detail

JOT_END_NAMESPACE
