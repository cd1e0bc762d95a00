#pragma once

// The subcommands of `jot`. Each takes the arguments after its name and returns the exit status
// (or throws cli_failure, see cli.hpp).

#include <string>
#include <vector>

namespace jot_cli {

using command_arguments = std::vector<std::string>;

int verify_command(const command_arguments& argv);
int sign_command(const command_arguments& argv);
int decode_command(const command_arguments& argv);
int keygen_command(const command_arguments& argv);
int jwks_command(const command_arguments& argv);
int thumbprint_command(const command_arguments& argv);
int audit_command(const command_arguments& argv);
int encrypt_command(const command_arguments& argv);
int decrypt_command(const command_arguments& argv);

// The token `jot sign` would print for `argv` (its options, without the command name); what
// `jot encrypt --sign-key` encrypts.
std::string signed_token(const command_arguments& argv);
int revoke_command(const command_arguments& argv);
int bump_version_command(const command_arguments& argv);

}  // namespace jot_cli
