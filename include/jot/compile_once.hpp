#pragma once

// Include this in exactly one source file of a program built in jot's separately compiled mode
// (see <jot/separate_compilation.hpp>): it compiles jot's templates for nlohmann::json there,
// for every other translation unit to link against. Nothing else belongs in that file, except
// <jot/session/compile_once.hpp> in a program that uses sessions.

#include "jot/jot.hpp"

JOT_BEGIN_NAMESPACE
JOT_SEPARATELY_COMPILED_TEMPLATES(JOT_COMPILE_HERE)
JOT_END_NAMESPACE
