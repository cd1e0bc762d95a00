// Encrypted tokens in jot_bench: decrypting a nested token (an HS256 JWS inside) with jot's
// decrypter steps, against a strict floor written here without jot's JWE code, and jot's
// decrypt_and_verify against that floor plus jot's own verify. Rows:
//   decrypt/dir+A256GCM/<jot|floor>, decrypt/RSA-OAEP-256+A256GCM/<jot|floor>,
//   decrypt/ECDH-ES+A256KW-P-256+A256GCM/<jot|floor>, decrypt/ECDH-ES+A256KW-X25519+A256GCM/...
//   decrypt_and_verify/dir+A256GCM+HS256/<jot|floor+jot-verify>
// The floor: exactly five segments, strict base64url (floor.hpp), nlohmann::json::parse of the
// header with the alg / enc / no-zip / no-crit checks, the lengths of IV, tag and encrypted key,
// RSA-OAEP-256 with a pre-initialised key, or ECDH-ES+A256KW (the epk's curve and type checked,
// the point imported by OpenSSL, ECDH with OpenSSL's full peer validation, the Concat KDF with
// SSKDF fetched once, AES-256 key unwrap), then AES-256-GCM with the header segment as AAD.

#include "jwe_bench.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rsa.h>

#include <jot/jot.hpp>
#include <jot/jwe.hpp>

#include "fixed_keys.hpp"
#include "floor.hpp"

namespace jot_bench {
namespace {

using jot::jwe::content_encryption;
using jot::jwe::key_management;

// The floor's ECDH-ES+A256KW: the CEK from the epk and the wrapped key, or nullopt.
class ecdh_floor {
 public:
  ecdh_floor(EVP_PKEY* own, std::string crv)
      : own_(own),
        crv_(std::move(crv)),
        kdf_(EVP_KDF_fetch(nullptr, "SSKDF", nullptr)),
        wrap_(EVP_CIPHER_fetch(nullptr, "AES-256-WRAP", nullptr)) {}
  ~ecdh_floor() {
    EVP_KDF_free(kdf_);
    EVP_CIPHER_free(wrap_);
  }
  ecdh_floor(const ecdh_floor&) = delete;
  ecdh_floor& operator=(const ecdh_floor&) = delete;

  std::optional<std::string> cek(const nlohmann::json& epk, const std::string& wrapped) const {
    if (!epk.is_object() || epk.value("crv", "") != crv_ || epk.contains("d")) return std::nullopt;
    const auto x = strict_floor::base64url_decode(epk.value("x", ""));
    if (!x) return std::nullopt;
    EVP_PKEY* peer = nullptr;
    if (crv_ == "X25519") {
      if (epk.value("kty", "") != "OKP" || x->size() != 32) return std::nullopt;
      peer = EVP_PKEY_new_raw_public_key_ex(nullptr, "X25519", nullptr, strict_floor::bytes_of(*x),
                                            32);
    } else {
      const auto y = strict_floor::base64url_decode(epk.value("y", ""));
      if (epk.value("kty", "") != "EC" || !y || x->size() != 32 || y->size() != 32) {
        return std::nullopt;
      }
      std::string point = "\x04" + *x + *y;
      char group[] = "prime256v1";
      const OSSL_PARAM params[] = {
          OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
          OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
          OSSL_PARAM_construct_end()};
      EVP_PKEY_CTX* from = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
      if (from == nullptr || EVP_PKEY_fromdata_init(from) != 1 ||
          EVP_PKEY_fromdata(from, &peer, EVP_PKEY_PUBLIC_KEY, const_cast<OSSL_PARAM*>(params)) !=
              1) {
        peer = nullptr;
      }
      EVP_PKEY_CTX_free(from);
    }
    if (peer == nullptr) return std::nullopt;
    unsigned char z[32];
    std::size_t z_size = sizeof z;
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, own_, nullptr);
    const bool agreed = ctx && EVP_PKEY_derive_init(ctx) == 1 &&
                        EVP_PKEY_derive_set_peer_ex(ctx, peer, 1) == 1 &&
                        EVP_PKEY_derive(ctx, z, &z_size) == 1 && z_size == sizeof z;
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(peer);
    if (!agreed) return std::nullopt;
    // Concat KDF (RFC 7518 §4.6.2): AlgorithmID "ECDH-ES+A256KW", empty apu and apv, 256 bits.
    static const std::string other_info = std::string("\0\0\0\x0e", 4) + "ECDH-ES+A256KW" +
                                          std::string(8, '\0') + std::string("\0\0\x01\0", 4);
    char digest[] = "SHA256";
    const OSSL_PARAM kdf_params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, z, z_size),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(other_info.data()),
                                          other_info.size()),
        OSSL_PARAM_construct_end()};
    unsigned char kek[32];
    EVP_KDF_CTX* kdf = EVP_KDF_CTX_new(kdf_);
    const bool derived = kdf && EVP_KDF_derive(kdf, kek, sizeof kek, kdf_params) == 1;
    EVP_KDF_CTX_free(kdf);
    OPENSSL_cleanse(z, sizeof z);
    if (!derived || wrapped.size() != 40) return std::nullopt;
    std::string cek(wrapped.size(), '\0');
    int written = 0, final_written = 0;
    EVP_CIPHER_CTX* unwrap = EVP_CIPHER_CTX_new();
    const bool ok =
        unwrap && EVP_DecryptInit_ex2(unwrap, wrap_, kek, nullptr, nullptr) == 1 &&
        EVP_DecryptUpdate(unwrap, reinterpret_cast<unsigned char*>(cek.data()), &written,
                          strict_floor::bytes_of(wrapped), static_cast<int>(wrapped.size())) == 1 &&
        EVP_DecryptFinal_ex(unwrap, reinterpret_cast<unsigned char*>(cek.data()) + written,
                            &final_written) == 1;
    EVP_CIPHER_CTX_free(unwrap);
    OPENSSL_cleanse(kek, sizeof kek);
    if (!ok || written + final_written != 32) return std::nullopt;
    cek.resize(32);
    return cek;
  }

 private:
  EVP_PKEY* own_;
  std::string crv_;
  EVP_KDF* kdf_;
  EVP_CIPHER* wrap_;
};

// The floor's decryption of one token: the plaintext, or nullopt.
class jwe_floor {
 public:
  jwe_floor(std::string_view alg, std::string secret, EVP_PKEY* rsa)
      : alg_(alg), secret_(std::move(secret)), rsa_(rsa) {}
  jwe_floor(EVP_PKEY* own, std::string crv)
      : alg_("ECDH-ES+A256KW"), rsa_(nullptr), ecdh_(std::make_unique<ecdh_floor>(own, crv)) {}

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
    if (ecdh_) {
      auto agreed = ecdh_->cek(header.contains("epk") ? header["epk"] : nlohmann::json(), *wrapped);
      if (!agreed) return std::nullopt;
      cek = std::move(*agreed);
    } else if (rsa_ != nullptr) {
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
  std::unique_ptr<ecdh_floor> ecdh_;
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
EVP_PKEY* p256_key() {
  static const auto key = jot::detail::decode_key(jot_test::pem::p256_pem, "PEM", EVP_PKEY_KEYPAIR);
  return key ? key->get() : nullptr;
}
EVP_PKEY* x25519_key() {
  static const auto key =
      jot::detail::decode_key(jot_test::pem::x25519_pem, "PEM", EVP_PKEY_KEYPAIR);
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
  auto p256 =
      jot::jwe::decryption_key::from_pem(key_management::ecdh_es_a256kw, jot_test::pem::p256_pem);
  auto x25519 =
      jot::jwe::decryption_key::from_pem(key_management::ecdh_es_a256kw, jot_test::pem::x25519_pem);
  if (!dir || !rsa || !p256 || !x25519 || rsa_key() == nullptr || p256_key() == nullptr ||
      x25519_key() == nullptr) {
    return false;
  }
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
           std::make_unique<jwe_floor>("RSA-OAEP-256", "", rsa_key())) ||
      !add("ECDH-ES+A256KW-P-256+A256GCM", *p256,
           std::make_unique<jwe_floor>(p256_key(), "P-256")) ||
      !add("ECDH-ES+A256KW-X25519+A256GCM", *x25519,
           std::make_unique<jwe_floor>(x25519_key(), "X25519"))) {
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
