#include <jot/compile_once.hpp>
