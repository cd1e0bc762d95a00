#pragma once

// jot's session layer, on top of the token core (<jot/jot.hpp>): the session manager (access and
// refresh token pairs, rotation with reuse detection, revocation) and its builder, the three store
// interfaces, their memory implementations, the revocation cache, and the validator checks that
// consult the stores. The Redis stores are <jot/redis/redis.hpp>.

#include "jot/session/dpop_binding.hpp"
#include "jot/session/memory_refresh_family_store.hpp"
#include "jot/session/memory_stores.hpp"
#include "jot/session/revocation_cache.hpp"
#include "jot/session/separate_compilation.hpp"
#include "jot/session/session_checks.hpp"
#include "jot/session/session_manager.hpp"
#include "jot/session/session_manager_builder.hpp"
#include "jot/session/stores.hpp"
#include "jot/session/token_pair.hpp"
