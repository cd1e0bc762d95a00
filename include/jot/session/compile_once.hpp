#pragma once

// Beside <jot/compile_once.hpp>, in the one source file of a program built in jot's separately
// compiled mode that uses sessions: compiles the session manager's templates for nlohmann::json.

#include "jot/compile_once.hpp"
#include "jot/session.hpp"

JOT_BEGIN_NAMESPACE
JOT_SEPARATELY_COMPILED_SESSION_TEMPLATES(JOT_COMPILE_HERE)
JOT_END_NAMESPACE
