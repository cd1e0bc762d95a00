// Encrypted tokens in jot_bench: decrypting a nested token (an HS256 JWS inside) with jot's
// decrypter steps, against a strict floor written here without jot's JWE code, and jot's
// decrypt_and_verify against that floor plus jot's own verify. Rows:
//   decrypt/dir+A256GCM/<jot|floor>, decrypt/RSA-OAEP-256+A256GCM/<jot|floor>
//   decrypt_and_verify/dir+A256GCM+HS256/<jot|floor+jot-verify>
// The floor: exactly five segments, strict base64url (floor.hpp), nlohmann::json::parse of the
// header with the alg / enc / no-zip / no-crit checks, the lengths of IV, tag and encrypted key,
// RSA-OAEP-256 with a pre-initialised key, then AES-256-GCM with the header segment as AAD.
// ECDH-ES rows come with the ECDH-ES primitives.

#include "jwe_bench.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <jot/jot.hpp>
#include <jot/jwe.hpp>

#include "fixed_keys.hpp"
#include "floor.hpp"

namespace jot_bench {
namespace {

using jot::jwe::content_encryption;
using jot::jwe::key_management;

// The floor's decryption of one token: the plaintext, or nullopt.
class jwe_floor {
 public:
  jwe_floor(std::string_view alg, std::string secret, EVP_PKEY* rsa)
      : alg_(alg), secret_(std::move(secret)), rsa_(rsa) {}

  std::optional<std::string> decrypt(std::string_view token) const {
    std::string_view parts[5];
    for (int i = 0; i < 4; ++i) {
      const std::size_t dot = token.find('.');
      if (dot == std::string_view::npos) return std::nullopt;
      parts[i] = token.substr(0, dot);
      token.remove_prefix(dot + 1);
    }
    if (token.find('.') != std::string_view::npos) return std::nullopt;
    parts[4] = token;
    const auto header_text = strict_floor::base64url_decode(parts[0]);
    if (!header_text) return std::nullopt;
    const auto header = nlohmann::json::parse(*header_text, nullptr, false);
    if (!header.is_object() || header.value("alg", "") != alg_ ||
        header.value("enc", "") != "A256GCM" || header.contains("zip") || header.contains("crit")) {
      return std::nullopt;
    }
    const auto wrapped = strict_floor::base64url_decode(parts[1]);
    const auto iv = strict_floor::base64url_decode(parts[2]);
    const auto ciphertext = strict_floor::base64url_decode(parts[3]);
    const auto tag = strict_floor::base64url_decode(parts[4]);
    if (!wrapped || !iv || !ciphertext || !tag || iv->size() != 12 || tag->size() != 16) {
      return std::nullopt;
    }
    std::string cek = secret_;
    if (rsa_ != nullptr) {
      if (wrapped->size() != static_cast<std::size_t>(EVP_PKEY_get_size(rsa_))) return std::nullopt;
      EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, rsa_, nullptr);
      cek.assign(wrapped->size(), '\0');
      std::size_t size = cek.size();
      const bool ok = ctx && EVP_PKEY_decrypt_init(ctx) == 1 &&
                      EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) == 1 &&
                      EVP_PKEY_CTX_set_rsa_oaep_md_name(ctx, "SHA256", nullptr) == 1 &&
                      EVP_PKEY_CTX_set_rsa_mgf1_md_name(ctx, "SHA256", nullptr) == 1 &&
                      EVP_PKEY_decrypt(ctx, reinterpret_cast<unsigned char*>(cek.data()), &size,
                                       strict_floor::bytes_of(*wrapped), wrapped->size()) == 1;
      EVP_PKEY_CTX_free(ctx);
      if (!ok || size != 32) return std::nullopt;
      cek.resize(size);
    } else if (!wrapped->empty()) {
      return std::nullopt;
    }
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    std::string plaintext(ciphertext->size(), '\0');
    int written = 0, ignored = 0;
    std::string expected(*tag);
    const bool ok = ctx &&
                    EVP_DecryptInit_ex2(ctx, EVP_aes_256_gcm(), strict_floor::bytes_of(cek),
                                        strict_floor::bytes_of(*iv), nullptr) == 1 &&
                    EVP_DecryptUpdate(ctx, nullptr, &ignored, strict_floor::bytes_of(parts[0]),
                                      static_cast<int>(parts[0].size())) == 1 &&
                    EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char*>(plaintext.data()),
                                      &written, strict_floor::bytes_of(*ciphertext),
                                      static_cast<int>(ciphertext->size())) == 1 &&
                    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, 16, expected.data()) == 1 &&
                    EVP_DecryptFinal_ex(ctx, nullptr, &ignored) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok) return std::nullopt;
    plaintext.resize(static_cast<std::size_t>(written));
    return plaintext;
  }

 private:
  std::string alg_;
  std::string secret_;
  EVP_PKEY* rsa_;
};

struct jwe_case {
  std::string name;  // "dir+A256GCM"
  jot::jwe::decryption_key key;
  std::string token;
  std::string jws;
  std::unique_ptr<jwe_floor> floor;
};

std::vector<jwe_case>& cases() {
  static std::vector<jwe_case> all;
  return all;
}
EVP_PKEY* rsa_key() {
  static const auto key =
      jot::detail::decode_key(jot_test::pem::rsa_2048_pem, "PEM", EVP_PKEY_KEYPAIR);
  return key ? key->get() : nullptr;
}
const jot::signing_key& inner_key() {
  static const auto key = jot::signing_key::hs256(jot::secret_bytes(std::string(32, 'h'))).value();
  return key;
}
const jot::verifier& inner_verifier() {
  static const auto verifier =
      jot::verifier::builder{}.add_key(inner_key().verification_key().value()).build().value();
  return verifier;
}

std::optional<std::string> jot_decrypt(const jwe_case& c) {
  const std::vector<jot::jwe::detail::decrypter_entry> entries{
      {c.key, jot::jwe::detail::enc_bit(content_encryption::a256gcm)}};
  auto opened = jot::jwe::detail::open_token(entries, jot::jwe::default_max_encrypted_token_size,
                                             jot::default_max_json_depth, c.token);
  if (!opened) return std::nullopt;
  return std::move(opened->plaintext);
}

}  // namespace

bool set_up_jwe() {
  const std::string secret(32, 'd');
  const std::string jws = jot::encoder{inner_key()}
                              .sign(jot::claims::builder{}
                                        .subject("user-42")
                                        .expires_in(std::chrono::hours(1))
                                        .build()
                                        .value())
                              .value();
  auto dir = jot::jwe::decryption_key::from_secret(key_management::dir, jot::secret_bytes(secret));
  auto rsa =
      jot::jwe::decryption_key::from_pem(key_management::rsa_oaep_256, jot_test::pem::rsa_2048_pem);
  if (!dir || !rsa || rsa_key() == nullptr) return false;
  const auto add = [&jws](std::string name, const jot::jwe::decryption_key& key,
                          std::unique_ptr<jwe_floor> floor) {
    auto encrypter =
        jot::jwe::encrypter::create(key.encryption_key().value(), content_encryption::a256gcm);
    auto token =
        encrypter ? encrypter->encrypt_signed(jws) : jot::result<std::string>(encrypter.error());
    if (!token) return false;
    cases().push_back(jwe_case{std::move(name), key, *token, jws, std::move(floor)});
    return true;
  };
  if (!add("dir+A256GCM", *dir, std::make_unique<jwe_floor>("dir", secret, nullptr)) ||
      !add("RSA-OAEP-256+A256GCM", *rsa,
           std::make_unique<jwe_floor>("RSA-OAEP-256", "", rsa_key()))) {
    return false;
  }
  // Both must read the token, and the same plaintext, before anything is timed.
  for (const auto& c : cases()) {
    const auto ours = jot_decrypt(c);
    const auto floors = c.floor->decrypt(c.token);
    if (!ours || !floors || *ours != c.jws || *floors != c.jws) {
      std::fprintf(stderr, "jwe check failed: %s\n", c.name.c_str());
      return false;
    }
  }
  const auto decrypter =
      jot::jwe::decrypter::builder{}.add_key(cases()[0].key, {content_encryption::a256gcm}).build();
  return decrypter && decrypter->decrypt_and_verify(cases()[0].token, inner_verifier());
}

void register_jwe_benchmarks() {
  for (const auto& c : cases()) {
    benchmark::RegisterBenchmark(("decrypt/" + c.name + "/jot").c_str(), [&c](benchmark::State& s) {
      for (auto _ : s) benchmark::DoNotOptimize(jot_decrypt(c));
    });
    benchmark::RegisterBenchmark(("decrypt/" + c.name + "/floor").c_str(),
                                 [&c](benchmark::State& s) {
                                   for (auto _ : s)
                                     benchmark::DoNotOptimize(c.floor->decrypt(c.token));
                                 });
  }
  const jwe_case& dir = cases()[0];
  static const auto decrypter = jot::jwe::decrypter::builder{}
                                    .add_key(dir.key, {content_encryption::a256gcm})
                                    .build()
                                    .value();
  benchmark::RegisterBenchmark(
      "decrypt_and_verify/dir+A256GCM+HS256/jot", [&dir](benchmark::State& s) {
        for (auto _ : s) {
          benchmark::DoNotOptimize(decrypter.decrypt_and_verify(dir.token, inner_verifier()));
        }
      });
  benchmark::RegisterBenchmark("decrypt_and_verify/dir+A256GCM+HS256/floor+jot-verify",
                               [&dir](benchmark::State& s) {
                                 for (auto _ : s) {
                                   auto jws = dir.floor->decrypt(dir.token);
                                   benchmark::DoNotOptimize(inner_verifier().verify(*jws));
                                 }
                               });
}

}  // namespace jot_bench
