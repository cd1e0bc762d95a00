// jot jwks and jot thumbprint: publishing public keys (RFC 7517 §5) and naming them (RFC 7638).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <jot/jot.hpp>

#include "args.hpp"
#include "cli.hpp"
#include "commands.hpp"
#include "key_loading.hpp"

namespace jot_cli {

namespace {

// The usage text; the default algorithm of each kind of key comes from jot's table.
std::string jwks_help() {
  std::string text = R"(usage: jot jwks [--alg ALG[,ALG...]] KEYFILE...

Prints {"keys":[...]}: the public JWK of each key, ready to publish. A KEYFILE is a PEM or DER
public key, private key or certificate, a JWK or a JWKS; private members are never printed. A
key without a kid gets its RFC 7638 thumbprint as kid.

  --alg ALG[,...]  the algorithm of keys that do not name one (PEM, DER, JWKs without alg): the
                   first listed that fits the key. Default, by kind of key: )";
  append_words(text, default_algorithm_text() + ".", 19);
  text += R"(

Exit status: 0 printed, 2 usage or key error (an HMAC secret has no public form).
)";
  return text;
}

constexpr const char* thumbprint_help = R"(usage: jot thumbprint [--alg ALG[,ALG...]] KEYFILE

Prints the RFC 7638 JWK thumbprint (SHA-256, base64url) of one key: a PEM or DER public key,
private key or certificate, or a JWK (an "oct" JWK too). --alg as for jot jwks.

Exit status: 0 printed, 2 usage or key error.
)";

const std::vector<option_spec> options = {{"alg", true, true}};

std::optional<std::vector<jot::algorithm>> user_algorithms(std::string_view command,
                                                           const arguments& args) {
  if (!args.has("alg")) return std::nullopt;
  return parse_algorithms(command, args.values("alg"));
}

}  // namespace

int jwks_command(const command_arguments& argv) {
  constexpr const char* name = "jwks";
  if (wants_help(argv)) {
    print_text(jwks_help());
    return exit_ok;
  }
  const arguments args = parse_arguments(name, argv, options, 1, jot::key_set::max_keys);
  const auto algorithms = user_algorithms(name, args);
  std::vector<jot::verification_key> keys;
  std::map<std::string, std::string> kid_origin;
  for (const std::string& path : args.positional()) {
    for (jot::verification_key& key : load_public_key_file(name, path, algorithms, true).keys) {
      if (jot::is_hmac(key.alg())) {
        fail_key(jot::errc::invalid_key, path, "an HMAC secret has no public form to publish");
      }
      if (!key.key_id()) {
        auto thumbprint = jot::jwk_thumbprint(key);
        if (!thumbprint) fail_key(thumbprint.error(), path);
        key = key.with_key_id(*thumbprint).value();
      }
      const auto [it, inserted] = kid_origin.emplace(*key.key_id(), path);
      if (!inserted) fail_key(jot::errc::duplicate_key_id, path, "the same kid as " + it->second);
      keys.push_back(std::move(key));
    }
  }
  auto set = jot::key_set::from_keys(std::move(keys));
  if (!set) fail_key(set.error(), "KEYFILE");
  auto jwks = set->to_jwks();
  if (!jwks) fail_key(jwks.error(), "KEYFILE");
  print_line(json_text(*jwks));
  return exit_ok;
}

int thumbprint_command(const command_arguments& argv) {
  constexpr const char* name = "thumbprint";
  if (wants_help(argv)) {
    print_text(thumbprint_help);
    return exit_ok;
  }
  const arguments args = parse_arguments(name, argv, options, 1, 1);
  const std::string& path = args.positional().front();
  const public_key_file file = load_public_key_file(name, path, user_algorithms(name, args), false);
  // A JWK is hashed as given (an "oct" key has a thumbprint too); other keys via their JWK.
  auto thumbprint = file.jwk ? jot::jwk_thumbprint(*file.jwk) : jot::jwk_thumbprint(file.keys[0]);
  if (!thumbprint) fail_key(thumbprint.error(), path);
  print_line(*thumbprint);
  return exit_ok;
}

}  // namespace jot_cli
