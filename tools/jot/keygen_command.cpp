// jot keygen: a fresh key from jot's generator, written so that the private half is readable by
// its owner only (mode 0600) and never overwrites an existing file.

#include <unistd.h>

#include <string>
#include <utility>

#include <openssl/crypto.h>

#include <jot/jot.hpp>
#include <jot/jwe.hpp>

#include "args.hpp"
#include "cli.hpp"
#include "commands.hpp"
#include "io.hpp"
#include "key_loading.hpp"

namespace jot_cli {

namespace {

constexpr const char* name = "keygen";

// RSA keys are generated at the smallest size jot accepts (RFC 7518 §3.3).
constexpr auto rsa_bits = static_cast<std::size_t>(jot::detail::min_rsa_bits);

// The usage text; the algorithm names and the RSA size come from the library.
std::string help() {
  std::string text =
      "usage: jot keygen --alg ALG --out FILE [--public-out FILE] [--format pem|jwk] [--kid KID]\n"
      "                  [--enc ENC]\n"
      "\n"
      "Generates a key for ALG with jot (RSA: " +
      std::to_string(rsa_bits) +
      " bits; EC and Edwards keys on the algorithm's curve;\n"
      "HS*: a random secret of the hash length) and writes it to --out with mode 0600.\n"
      "\n"
      "  --alg ALG          ";
  append_words(text, algorithm_names(" ", " ", false) + " (EdDSA names two curves: pick one)", 21);
  text += "\n";
  text +=
      R"(  --out FILE         the private key: PKCS#8 PEM, or a private JWK with --format jwk. For HS*
                     the raw secret bytes (ready for --secret-file), or an "oct" JWK with
                     --format jwk
  --public-out FILE  the public key: SubjectPublicKeyInfo PEM, or a public JWK (not for HS*)
  --format pem|jwk   default pem
  --kid KID          the JWK's kid (jwk format only: a PEM file has nowhere to keep it)

Encryption keys (jot encrypt / jot decrypt): --alg dir, A128KW, A256KW, RSA-OAEP-256,
RSA-OAEP, ECDH-ES, ECDH-ES+A128KW or ECDH-ES+A256KW. dir needs --enc ENC, whose key length it
takes; ECDH-ES* needs --crv P-256, P-384, P-521 or X25519. A shared key is written as raw bytes
(for --secret-file) or an "oct" JWK; an RSA, EC or X25519 key only as JWK (--format jwk), with
use "enc".

Existing files are never overwritten. Exit status: 0 written, 2 usage or I/O error.
)";
  return text;
}

const std::vector<option_spec> options = {{"alg", true, false},        {"out", true, false},
                                          {"public-out", true, false}, {"format", true, false},
                                          {"kid", true, false},        {"enc", true, false},
                                          {"crv", true, false}};

// The private file's content, wiped when it goes out of scope.
class private_text {
 public:
  private_text() = default;
  private_text(const private_text&) = delete;
  private_text& operator=(const private_text&) = delete;
  ~private_text() { OPENSSL_cleanse(text_.data(), text_.size()); }
  std::string& get() { return text_; }

 private:
  std::string text_;
};

template <typename T>
T checked(jot::result<T> result, const char* step) {
  if (!result) fail_key(result.error(), step);
  return std::move(*result);
}

// An encryption key: the private file (raw bytes or a JWK) and, for RSA, EC or X25519, the
// public JWK.
void generate_encryption_key(const arguments& args, jot::jwe::key_management alg, bool jwk,
                             private_text& private_file, std::string& public_file) {
  const bool direct = alg == jot::jwe::key_management::dir;
  const auto enc_name = args.value("enc");
  if (direct != enc_name.has_value()) {
    fail_usage(name, direct ? "--alg dir needs --enc ENC" : "--enc is only for --alg dir");
  }
  const bool agreement = jot::jwe::detail::is_key_agreement(jot::jwe::detail::info(alg).family);
  const auto crv = args.value("crv");
  if (agreement != crv.has_value()) {
    fail_usage(name, agreement ? "--alg ECDH-ES* needs --crv P-256, P-384, P-521 or X25519"
                               : "--crv is only for --alg ECDH-ES*");
  }
  jot::jwe::decryption_key key = [&] {
    if (direct) {
      const auto enc = jot::jwe::content_encryption_from_name(*enc_name);
      if (!enc) fail_usage(name, "--enc takes A128GCM, A256GCM, A128CBC-HS256 or A256CBC-HS512");
      return checked(jot::jwe::decryption_key::generate_direct(*enc), "generating a key");
    }
    if (agreement) {
      const auto& curves = jot::jwe::detail::agreement_curves;
      for (std::size_t i = 0; i < std::size(curves); ++i) {
        if (curves[i].crv != *crv) continue;
        return checked(
            jot::jwe::decryption_key::generate_agreement(alg, static_cast<jot::jwe::ecdh_curve>(i)),
            "generating a key");
      }
      fail_usage(name, "--crv takes P-256, P-384, P-521 or X25519");
    }
    return checked(jot::jwe::decryption_key::generate(alg, rsa_bits), "generating a key");
  }();
  if (const auto kid = args.value("kid")) key = checked(key.with_key_id(*kid), "--kid");
  const bool secret = key.material().secret.has_value();
  if (!secret && !jwk) {
    fail_usage(name, "an RSA, EC or X25519 encryption key is written as a JWK: --format jwk");
  }
  if (secret && args.has("public-out")) {
    fail_usage(name, "a shared key has no public part: drop --public-out");
  }
  if (secret && !jwk) {
    private_file.get() = std::string(key.material().secret->unsafe_bytes());
    return;
  }
  private_file.get() = json_text(checked(jot::jwe::unsafe_to_private_jwk(key), "export")) + "\n";
  if (!secret) {
    const auto public_key = checked(key.encryption_key(), "export");
    public_file = json_text(checked(jot::jwe::to_public_jwk(public_key), "export")) + "\n";
  }
}

}  // namespace

int keygen_command(const command_arguments& argv) {
  if (wants_help(argv)) {
    print_text(help());
    return exit_ok;
  }
  const arguments args = parse_arguments(name, argv, options, 0, 0);
  const auto alg_name = args.value("alg");
  if (!alg_name) fail_usage(name, "--alg is required");
  // An encryption key (jot encrypt / decrypt) when --alg names a key management algorithm.
  const auto encryption_alg = jot::jwe::key_management_from_name(*alg_name);
  const bool encryption = encryption_alg.has_value();
  if (!encryption && args.has("enc")) fail_usage(name, "--enc is only for --alg dir");
  if (!encryption && args.has("crv")) fail_usage(name, "--crv is only for --alg ECDH-ES*");
  const std::vector<jot::algorithm> algorithms =
      encryption ? std::vector<jot::algorithm>{jot::algorithm::hs256}  // no JWS algorithm: unused
                 : parse_algorithms(name, {*alg_name});
  if (algorithms.size() != 1 && alg_name->find(',') == std::string::npos) {
    // A polymorphic name ("EdDSA") fixes no curve; a key needs one.
    std::string choices;
    for (jot::algorithm alg : algorithms) {
      choices += (choices.empty() ? "" : " or ") + std::string(jot::fully_specified_name(alg));
    }
    fail_usage(name, *alg_name + " names two curves: use --alg " + choices);
  }
  if (algorithms.size() != 1) fail_usage(name, "--alg takes one algorithm");
  const jot::algorithm alg = algorithms.front();
  const auto out = args.value("out");
  if (!out) fail_usage(name, "--out FILE is required");
  const auto public_out = args.value("public-out");
  const std::string format = args.value("format").value_or("pem");
  if (format != "pem" && format != "jwk") fail_usage(name, "--format takes pem or jwk");
  const bool jwk = format == "jwk";
  const auto kid = args.value("kid");
  if (kid && !jwk) fail_usage(name, "--kid needs --format jwk: a PEM file cannot carry a kid");
  if (kid && kid->empty()) fail_usage(name, "--kid must not be empty");
  if (public_out && jot::is_hmac(alg) && !encryption) {
    fail_usage(name, "an HMAC secret has no public part: drop --public-out");
  }
  if (public_out && *public_out == *out) fail_usage(name, "--out and --public-out are one file");
  // Checked before generating anything, so that nothing is half written.
  for (const auto& [option, path] :
       {std::pair{"--out", out}, std::pair{"--public-out", public_out}}) {
    if (path && path_exists(*path)) {
      fail_io(std::string(option) + " " + *path +
              " already exists; jot never overwrites a key file");
    }
  }

  private_text private_file;
  std::string public_file;
  if (encryption) {
    generate_encryption_key(args, *encryption_alg, jwk, private_file, public_file);
  } else if (jot::is_hmac(alg)) {
    const jot::secret_bytes secret = checked(jot::generate_secret(alg), "generating a secret");
    if (jwk) {
      jot::signing_key key = checked(jot::signing_key::hmac(alg, secret.clone()), "the secret");
      if (kid) key = checked(key.with_key_id(*kid), "--kid");
      private_file.get() = json_text(checked(jot::unsafe_to_private_jwk(key), "export")) + "\n";
    } else {
      private_file.get() = std::string(secret.unsafe_bytes());
    }
  } else {
    jot::signing_key key = checked(jot::signing_key::generate(alg, rsa_bits), "generating a key");
    if (kid) key = checked(key.with_key_id(*kid), "--kid");
    if (jwk) {
      private_file.get() = json_text(checked(jot::unsafe_to_private_jwk(key), "export")) + "\n";
      public_file = json_text(checked(jot::to_public_jwk(key), "export")) + "\n";
    } else {
      private_file.get() = checked(jot::unsafe_to_private_pem(key), "export");
      public_file = checked(jot::to_public_pem(key), "export");
    }
  }

  write_new_file("--out", *out, private_file.get(), 0600);
  if (public_out) {
    try {
      write_new_file("--public-out", *public_out, public_file, 0644);
    } catch (const cli_failure&) {
      ::unlink(out->c_str());  // no private key without the public half that was asked for
      throw;
    }
  }
  return exit_ok;
}

}  // namespace jot_cli
