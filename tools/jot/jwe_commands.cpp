// jot encrypt / jot decrypt: encrypted tokens (JWE, <jot/jwe.hpp>), compact serialization only.
// The main path is the nested JWT: `jot encrypt --sign-key` signs claims as `jot sign` does and
// encrypts the token (cty JWT); `jot decrypt --verify-key` decrypts and hands the inner token to
// `jot verify`, so the claims are checked exactly as that command checks them.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <openssl/crypto.h>

#include <jot/jot.hpp>
#include <jot/jwe.hpp>

#include "args.hpp"
#include "cli.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace jot_cli {

namespace {

// Every key management and content encryption name jot implements, for help texts.
std::string key_management_names() {
  std::string out;
  for (const auto& row : jot::jwe::detail::key_management_table) {
    out += (out.empty() ? "" : " ") + std::string(row.name);
  }
  return out;
}
std::string content_encryption_names() {
  std::string out;
  for (const auto& row : jot::jwe::detail::content_encryption_table) {
    out += (out.empty() ? "" : " ") + std::string(row.name);
  }
  return out;
}

std::optional<jot::jwe::key_management> parse_key_management(std::string_view command,
                                                             const arguments& args) {
  const auto name = args.value("alg");
  if (!name) return std::nullopt;
  const auto alg = jot::jwe::key_management_from_name(*name);
  if (!alg) {
    fail_usage(command, "--alg takes one of " + key_management_names());
  }
  return alg;
}

std::vector<jot::jwe::content_encryption> parse_encs(std::string_view command,
                                                     const arguments& args) {
  std::vector<jot::jwe::content_encryption> out;
  for (const std::string& value : args.values("enc")) {
    std::size_t start = 0;
    while (start <= value.size()) {
      const std::size_t comma = std::min(value.find(',', start), value.size());
      const auto enc = jot::jwe::content_encryption_from_name(value.substr(start, comma - start));
      if (!enc) fail_usage(command, "--enc takes " + content_encryption_names());
      out.push_back(*enc);
      start = comma + 1;
    }
  }
  if (out.empty()) fail_usage(command, "--enc is required");
  return out;
}

// The recipient's key: --key (a JWK, or an RSA, EC or X25519 PEM) or --secret-file (the exact bytes
// of a dir or A*KW key), bound to --alg (a JWK may name its own).
template <typename Key>
Key load_jwe_key(std::string_view command, const arguments& args) {
  const auto alg = parse_key_management(command, args);
  const auto key_path = args.value("key");
  const auto secret_path = args.value("secret-file");
  if (key_path.has_value() == secret_path.has_value()) {
    fail_usage(command, "give exactly one of --key FILE and --secret-file FILE");
  }
  const std::string option = key_path ? "--key" : "--secret-file";
  const std::string path = key_path ? *key_path : *secret_path;
  const std::string where = option + " " + path;
  std::string text = read_file(option, path);
  jot::result<Key> key = jot::errc::invalid_key;
  if (secret_path) {
    if (!alg) fail_usage(command, "--secret-file needs --alg (dir, A128KW or A256KW)");
    key = Key::from_secret(*alg, jot::secret_bytes(text));
  } else if (text.find_first_not_of(" \t\r\n") != std::string::npos &&
             text[text.find_first_not_of(" \t\r\n")] == '{') {
    auto jwk = jot::parse_json_object(text);
    if (!jwk) fail_key(jwk.error(), where, "not a JWK");
    key = Key::from_jwk(*jwk, alg);
  } else {
    if (!alg) fail_usage(command, "a PEM key needs --alg (RSA-OAEP*, or ECDH-ES*)");
    key = Key::from_pem(*alg, text);
  }
  OPENSSL_cleanse(text.data(), text.size());
  if (!key) fail_key(key.error(), where);
  if (const auto kid = args.value("kid")) {
    if (kid->empty()) fail_usage(command, "--kid must not be empty");
    key = key->with_key_id(*kid);
  }
  return std::move(*key);
}

// The options of `owner` given to this command as --<prefix>NAME (or as NAME, for `shared`),
// turned back into the argv of `owner`.
command_arguments forwarded(const arguments& args, const std::vector<std::string>& own,
                            std::string_view prefix) {
  command_arguments out;
  for (const auto& [name, value] : args.options()) {
    if (std::find(own.begin(), own.end(), name) != own.end()) continue;
    const bool prefixed = name.compare(0, prefix.size(), prefix) == 0;
    out.push_back("--" + (prefixed ? name.substr(prefix.size()) : name));
    if (!value.empty()) out.push_back(value);
  }
  return out;
}

constexpr const char* encrypt_name = "encrypt";

std::string encrypt_help() {
  std::string text =
      "usage: jot encrypt (--key FILE | --secret-file FILE) [--alg ALG] --enc ENC [--kid KID]\n"
      "                   [--apu TEXT] [--apv TEXT]\n"
      "                   [--sign-key FILE | --sign-secret-file FILE --sign-alg ALG [jot sign "
      "options]] [TOKEN | FILE | -]\n"
      "\n"
      "Encrypts a signed token (a nested JWT, cty JWT) for the holder of --key and prints the "
      "compact JWE.\n"
      "\n"
      "  --key FILE          the recipient's key: a JWK (use enc), or an RSA, EC or X25519 public\n"
      "                      key in PEM\n"
      "  --secret-file FILE  the exact bytes of a shared dir or A*KW key\n"
      "  --alg ALG           ";
  append_words(text, key_management_names() + " (a JWK may name its own)", 22);
  text += "\n  --enc ENC           ";
  append_words(text, content_encryption_names(), 22);
  text += R"(
  --kid KID           the kid header (overrides a JWK's kid)
  --apu TEXT, --apv TEXT
                      ECDH-ES* only: the party information bound into the key derivation and
                      written base64url-encoded to the header (RFC 7518 §4.6.1.2)
  --sign-key FILE, --sign-secret-file FILE, --sign-alg ALG, --sign-kid KID
                      sign first, as `jot sign --key/--secret-file/--alg/--kid` would, with
                      jot sign's claim options (--claims, --claim, --expires-in, --typ ...);
                      without them the input TOKEN is the signed token to encrypt
)";
  text += token_input_help;
  text += "\nExit status: 0 encrypted, 2 usage, key or claims error.\n";
  return text;
}

const std::vector<std::string> encrypt_own = {"key", "secret-file", "alg", "enc",
                                              "kid", "apu",         "apv"};
const std::vector<option_spec> encrypt_options =
    with_sign_claim_options({{"key", true, false},
                             {"secret-file", true, false},
                             {"alg", true, false},
                             {"enc", true, false},
                             {"kid", true, false},
                             {"apu", true, false},
                             {"apv", true, false},
                             {"sign-key", true, false},
                             {"sign-secret-file", true, false},
                             {"sign-alg", true, false},
                             {"sign-kid", true, false}});

constexpr const char* decrypt_name = "decrypt";

std::string decrypt_help() {
  std::string text =
      "usage: jot decrypt (--key FILE | --secret-file FILE) [--alg ALG] --enc ENC[,ENC...]\n"
      "                   [--verify-key FILE | --verify-secret-file FILE --verify-alg ALG [jot "
      "verify options]] [TOKEN | FILE | -]\n"
      "\n"
      "Decrypts a compact JWE. With --verify-key, the token must be a nested JWT (cty JWT): its\n"
      "signed token is verified as `jot verify --key/--secret-file/--alg` would, with jot\n"
      "verify's claim options (--iss, --aud, --now ...), and jot verify's output and exit status\n"
      "are the result. Without it, the decrypted content is printed UNVERIFIED (stderr says so).\n"
      "\n"
      "  --key FILE          the recipient's private key: a private JWK, or an RSA, EC or X25519\n"
      "                      private key in PEM\n"
      "  --secret-file FILE  the exact bytes of a shared dir or A*KW key\n"
      "  --alg ALG           ";
  append_words(text, key_management_names() + " (a JWK may name its own)", 22);
  text += "\n  --enc ENC[,ENC...]  the content encryption accepted: ";
  append_words(text, content_encryption_names(), 22);
  text += "\n  --max-size BYTES    the size cap (default " +
          size_text(jot::jwe::default_max_encrypted_token_size) + ")\n";
  text += token_input_help;
  text += "\nExit status: 0 decrypted (and verified), 1 token rejected, 2 usage or key error.\n";
  return text;
}

const std::vector<std::string> decrypt_own = {"key", "secret-file", "alg",
                                              "enc", "max-size",    "kid"};
const std::vector<option_spec> decrypt_options =
    with_verify_claim_options({{"key", true, false},
                               {"secret-file", true, false},
                               {"alg", true, false},
                               {"enc", true, true},
                               {"max-size", true, false},
                               {"kid", true, false},
                               {"verify-key", true, true},
                               {"verify-secret-file", true, true},
                               {"verify-alg", true, true}});

}  // namespace

int encrypt_command(const command_arguments& argv) {
  if (wants_help(argv)) {
    print_text(encrypt_help());
    return exit_ok;
  }
  const arguments args = parse_arguments(encrypt_name, argv, encrypt_options, 0, 1);
  const auto encs = parse_encs(encrypt_name, args);
  if (encs.size() != 1) fail_usage(encrypt_name, "--enc takes one algorithm");
  const auto key = load_jwe_key<jot::jwe::encryption_key>(encrypt_name, args);
  auto encrypter = jot::jwe::encrypter::create(key, encs.front());
  if (!encrypter) fail_key(encrypter.error(), "--enc");
  if (args.has("apu") || args.has("apv")) {
    encrypter =
        encrypter->with_party_info(args.value("apu").value_or(""), args.value("apv").value_or(""));
    if (!encrypter)
      fail_usage(encrypt_name, "--apu and --apv are for ECDH-ES* keys, 512 bytes each");
  }
  const bool sign = args.has("sign-key") || args.has("sign-secret-file");
  if (!sign && args.options().size() != 0) {
    for (const auto& [option, value] : args.options()) {
      if (std::find(encrypt_own.begin(), encrypt_own.end(), option) == encrypt_own.end()) {
        fail_usage(encrypt_name, "--" + option + " needs --sign-key or --sign-secret-file");
      }
    }
  }
  if (sign && !args.positional().empty()) {
    fail_usage(encrypt_name, "with --sign-key the claims come from the options, not TOKEN");
  }
  const std::string jws = sign ? signed_token(forwarded(args, encrypt_own, "sign-"))
                               : read_token(args, jot::validator::builder::max_token_size_limit);
  auto token = encrypter->encrypt_signed(jws);
  if (!token) fail_token(token.error());
  print_line(*token);
  return exit_ok;
}

int decrypt_command(const command_arguments& argv) {
  if (wants_help(argv)) {
    print_text(decrypt_help());
    return exit_ok;
  }
  const arguments args = parse_arguments(decrypt_name, argv, decrypt_options, 0, 1);
  const auto key = load_jwe_key<jot::jwe::decryption_key>(decrypt_name, args);
  const auto encs = parse_encs(decrypt_name, args);
  const std::size_t max_size = args.value("max-size")
                                   ? static_cast<std::size_t>(parse_integer(
                                         decrypt_name, "max-size", *args.value("max-size"), 1,
                                         jot::validator::builder::max_token_size_limit))
                                   : jot::jwe::default_max_encrypted_token_size;
  auto built = jot::jwe::decrypter::builder{}.add_key(key, encs).max_token_size(max_size).build();
  if (!built) fail_key(built.error(), "--enc");
  const std::string token = read_token(args, max_size);
  // The decrypter's own steps up to the plaintext; then the inner token goes to `jot verify`.
  std::vector<jot::jwe::detail::decrypter_entry> entries;
  std::uint32_t mask = 0;
  for (const auto enc : encs) mask |= jot::jwe::detail::enc_bit(enc);
  entries.push_back({key, mask});
  auto opened = jot::jwe::detail::open_token(entries, max_size, jot::default_max_json_depth, token);
  if (!opened) fail_token(opened.error());
  const bool verify = args.has("verify-key") || args.has("verify-secret-file");
  if (verify) {
    if (!opened->nested) fail_token(jot::errc::missing_nested_token);
    command_arguments verify_argv = forwarded(args, decrypt_own, "verify-");
    verify_argv.push_back(opened->plaintext);
    return verify_command(verify_argv);
  }
  print_line(opened->plaintext);
  std::fputs(opened->nested
                 ? "warning: UNVERIFIED: decrypted, but the inner token's signature was not "
                   "checked (use --verify-key)\n"
                 : "warning: UNVERIFIED: an unsigned claim set proves only that its sender could "
                   "encrypt to this key\n",
             stderr);
  return exit_ok;
}

}  // namespace jot_cli
