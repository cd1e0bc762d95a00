// Context: the includes and names of a program that encrypts and decrypts tokens (docs/jwe.md).
#include <chrono>
#include <string>

#include <jot/jot.hpp>
#include <jot/jwe.hpp>

using jot::jwe::content_encryption;
using jot::jwe::key_management;

void fragment() {
  // doc-test: fragment
}
