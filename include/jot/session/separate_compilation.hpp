#pragma once

// The session layer's part of jot's separately compiled mode (<jot/separate_compilation.hpp>):
// with JOT_SEPARATE_COMPILATION defined, the session manager's templates are compiled for
// nlohmann::json only in the file that includes <jot/session/compile_once.hpp>.
// Included by <jot/session.hpp>.

#include "jot/separate_compilation.hpp"
#include "jot/session/session_manager.hpp"

// The session layer's class templates that the separately compiled mode compiles once.
#define JOT_SEPARATELY_COMPILED_SESSION_TEMPLATES(X) \
  X(basic_session_manager)                           \
  X(basic_session_manager_builder)

#ifdef JOT_SEPARATE_COMPILATION
JOT_BEGIN_NAMESPACE
JOT_SEPARATELY_COMPILED_SESSION_TEMPLATES(JOT_DECLARE_COMPILED_ELSEWHERE)
JOT_END_NAMESPACE
#endif
