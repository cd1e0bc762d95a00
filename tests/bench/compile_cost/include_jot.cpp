// Compile-cost unit: <jot/jot.hpp> alone, as every file using jot includes it; compared with
// include_handwritten.cpp (nlohmann/json and the OpenSSL headers a hand-written JWT needs).
// tools/bench-report.py compiles both with the bench build's flags, in both of jot's modes.

#include <jot/jot.hpp>
