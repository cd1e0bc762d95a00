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

// The token: the single positional argument, or standard input when it is `-` or absent. From
// standard input one trailing newline ("\n" or "\r\n") is removed, since `echo` and most editors
// add one. Standard input is read up to 16 MiB + 3 bytes, more than any size cap of jot, so an
// oversized token reaches jot and is rejected as token_too_large rather than by the tool.
std::string read_token(const arguments& args);

// Creates `path` with `mode` (less the umask, which can only remove bits: a 0600 file stays
// private) and writes `content`. An existing file is never replaced (O_EXCL, and O_NOFOLLOW
// against a planted symlink): a typo must not overwrite a key in use.
void write_new_file(std::string_view option, const std::string& path, std::string_view content,
                    mode_t mode);

// True when something (a file, a directory, a dangling symlink) already exists at `path`.
bool path_exists(const std::string& path);

}  // namespace jot_cli
