// The one source file of this program that compiles jot's templates (core and session) for
// nlohmann::json: the suite is built with JOT_SEPARATE_COMPILATION, so the test sources only
// declare them.

#include <jot/compile_once.hpp>
#include <jot/session/compile_once.hpp>
