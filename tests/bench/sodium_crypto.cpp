// sodium_crypto.hpp: libsodium's crypto_sign_detached and crypto_sign_verify_detached on the key's
// seed, which OpenSSL reads from the PKCS#8 PEM once.

#include "sodium_crypto.hpp"

#include <optional>
#include <string>

#include "floor.hpp"

#ifdef JOT_ED25519_LIBSODIUM
#include <sodium.h>

#include <memory>
#include <vector>
#endif

namespace jot_bench {

#ifdef JOT_ED25519_LIBSODIUM

std::optional<sodium_signature> make_sodium_signature(const key_material& key,
                                                      const std::string& token) {
  if (sodium_init() < 0) return std::nullopt;
  const auto segments = strict_floor::split(token);
  if (!segments) return std::nullopt;
  const auto signature = strict_floor::base64url_decode(segments->signature);
  if (!signature || signature->size() != crypto_sign_BYTES) return std::nullopt;
  BIO* bio = BIO_new_mem_buf(key.private_pem.data(), static_cast<int>(key.private_pem.size()));
  EVP_PKEY* pkey = bio ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  unsigned char seed[crypto_sign_SEEDBYTES];
  std::size_t seed_size = sizeof seed;
  const bool read =
      pkey && EVP_PKEY_get_raw_private_key(pkey, seed, &seed_size) == 1 && seed_size == sizeof seed;
  EVP_PKEY_free(pkey);
  if (!read) return std::nullopt;
  struct keys {
    unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
    unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
  };
  const auto pair = std::make_shared<keys>();
  crypto_sign_seed_keypair(pair->public_key, pair->secret_key, seed);
  const auto input = std::make_shared<const std::string>(segments->signing_input);
  const auto sig = std::make_shared<const std::string>(*signature);
  const auto as_bytes = [](const std::string& s) {
    return reinterpret_cast<const unsigned char*>(s.data());
  };
  sodium_signature out{[pair, input, as_bytes] {
                         unsigned char out_signature[crypto_sign_BYTES];
                         return crypto_sign_detached(out_signature, nullptr, as_bytes(*input),
                                                     input->size(), pair->secret_key) == 0;
                       },
                       [pair, input, sig, as_bytes] {
                         return crypto_sign_verify_detached(as_bytes(*sig), as_bytes(*input),
                                                            input->size(), pair->public_key) == 0;
                       }};
  if (!out.verify()) return std::nullopt;
  return out;
}

#else

std::optional<sodium_signature> make_sodium_signature(const key_material&, const std::string&) {
  return std::nullopt;
}

#endif

}  // namespace jot_bench
