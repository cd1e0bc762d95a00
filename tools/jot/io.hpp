#pragma once

// Files and standard input for the jot tool. Every failure is an `error: io:` line (exit 2) that
// names the option and the path, never the content.

#include <cstddef>
#include <string>
#include <string_view>

#include <sys/types.h>

#include "args.hpp"

namespace jot_cli {

// Keys, JWKS and claims files are small; anything bigger is refused before it is read whole.
inline constexpr std::size_t max_input_file_size = 1024 * 1024;

// The whole file, byte for byte, for `option` (named in failures with the path).
std::string read_file(std::string_view option, const std::string& path,
                      std::size_t max_size = max_input_file_size);

// The token of verify, decode, audit and revoke: standard input when the positional argument is
// absent or `-` (one trailing "\n" or "\r\n" removed, as `echo` and editors add one); the file
// the argument names when it exists (surrounding whitespace removed); otherwise the argument
// itself when it has the shape of a compact JWS or JWE (two or four dots, base64url between them).
// Any other argument is an I/O failure (exit 2) that does not repeat it: it may be a mangled token.
// No more than `max_size` bytes and a little whitespace are read: a longer input is
// token_too_large (exit 1) without reading the rest; jot checks `max_size` itself.
std::string read_token(const arguments& args, std::size_t max_size);

// How the token is found, for the help texts of the commands that read one.
inline constexpr const char* token_input_help =
    R"(The token is read from standard input when TOKEN is absent or "-" (one trailing newline is
ignored), and from FILE when the argument names an existing file (surrounding whitespace is
ignored; a file wins over a token of the same name). Otherwise the argument must be the token
itself, three (or, encrypted, five) base64url segments (it then stays in the shell's history: prefer a file or
standard input); any other argument is an I/O error (exit 2). A script should pass a token it
was handed on standard input: as an argument, a path in its place would be read as a file.
)";

// Creates `path` with `mode` (less the umask, which can only remove bits: a 0600 file stays
// private) and writes `content`. An existing file is never replaced (O_EXCL, and O_NOFOLLOW
// against a planted symlink): a typo must not overwrite a key in use.
void write_new_file(std::string_view option, const std::string& path, std::string_view content,
                    mode_t mode);

// True when something (a file, a directory, a dangling symlink) already exists at `path`.
bool path_exists(const std::string& path);

}  // namespace jot_cli
