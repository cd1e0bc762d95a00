#pragma once

// Include this in exactly one source file of a program built in jot's separately compiled mode
// (see <jot/separate_compilation.hpp>): it compiles jot's templates for nlohmann::json there, and
// the functions the headers declare with JOT_INLINE (config.hpp), for every other translation
// unit to link against. Nothing else belongs in that file, except
// <jot/session/compile_once.hpp> in a program that uses sessions.

#include "jot/jot.hpp"

#include "jot/detail/jwk_export_impl.hpp"
#include "jot/detail/jwk_impl.hpp"
#include "jot/detail/jwk_import_impl.hpp"
#include "jot/detail/key_set_impl.hpp"
#include "jot/detail/pkey_impl.hpp"
#include "jot/detail/public_key_screen_impl.hpp"

JOT_BEGIN_NAMESPACE
JOT_SEPARATELY_COMPILED_TEMPLATES(JOT_COMPILE_HERE)
JOT_END_NAMESPACE
