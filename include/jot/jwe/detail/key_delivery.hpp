#pragma once

// Key management (RFC 7516 §5.1 steps 1-6, §5.2 steps 9-10): how the sender picks the content
// encryption key (CEK) and delivers it in the JWE Encrypted Key, and how the recipient recovers it.
// One function per direction, dispatching on the algorithm's family from the table.
//
// RFC 7516 §11.5: when unwrapping fails (an RSA-OAEP decryption error, an AES-KW integrity
// failure, a CEK of the wrong length), the recipient goes on with a random CEK of the right
// length, so that the content decryption fails the same way, with the same error
// (errc::decryption_failed) and much the same timing, whichever step went wrong.
//
// ECDH-ES (RFC 7518 §4.6): the sender's agree_as_sender gives Z and the `epk` that goes into
// header_members; concat_kdf(Z, the enc name for ECDH-ES or the alg name for ECDH-ES+A*KW, that
// algorithm's key size, apu, apv) gives the CEK itself, or the KEK that AES-KW-wraps a random CEK.
// The recipient reads `epk`, `apu` and `apv` from the protected header before any derivation:
// their refusals (errc::invalid_ephemeral_key for an epk, invalid_header or invalid_base64 for
// apu/apv) are verdicts on the token's header, returned as such, not §11.5 failures.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "jot/base64url.hpp"
#include "jot/jwe/algorithms.hpp"
#include "jot/jwe/detail/ecdh_es.hpp"
#include "jot/jwe/detail/key_material.hpp"
#include "jot/jwe/detail/key_wrap.hpp"
#include "jot/result.hpp"
#include "jot/secret.hpp"

JOT_BEGIN_NAMESPACE
namespace jwe {
namespace detail {

// What the sender puts in the token: the CEK it encrypts with and the JWE Encrypted Key.
struct delivered_key {
  secret_bytes cek;
  std::string encrypted_key;
  // Protected header members the key management adds (ECDH-ES: `epk`); none otherwise.
  nlohmann::json header_members = nlohmann::json::object();
};

// The largest `apu` or `apv` jot writes or reads, decoded: party information is a name or a
// nonce (RFC 7518 §4.6.1.2), and the cap bounds the work an attacker's header causes.
inline constexpr std::size_t max_party_info_size = 512;

// The decoded PartyUInfo and PartyVInfo of the Concat KDF (RFC 7518 §4.6.1.2-3); empty when
// absent.
struct agreement_parties {
  std::string apu;
  std::string apv;
};

// The inputs that published examples fix and tests inject to reproduce them byte for byte: the
// CEK and the ephemeral key pair. Never set outside tests; a fresh random value otherwise.
struct injected_inputs {
  std::optional<secret_bytes> cek;
  EVP_PKEY* ephemeral = nullptr;
};

// The CEK as a secret; the temporary holding it is wiped.
inline secret_bytes into_secret(std::string& bytes) {
  secret_bytes secret(bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return secret;
}

// The length of the JWE Encrypted Key that `key` produces for `enc`: part of the token's shape,
// checked before any cryptography (a `dir` token carries none, RFC 7516 §5.2 step 10).
inline std::size_t encrypted_key_size(const key_material& key, content_encryption enc) noexcept {
  switch (info(key.alg).family) {
    case key_management_family::aes_kw:
    case key_management_family::ecdh_es_kw:
      return info(enc).key_size + aes_kw_overhead;
    case key_management_family::rsa_oaep:
      return static_cast<std::size_t>(EVP_PKEY_get_size(key.pkey.get()));
    default:
      return 0;
  }
}

// The key derived from Z by the Concat KDF: for ECDH-ES the CEK (AlgorithmID the enc name, its
// key length), for ECDH-ES+A*KW the key wrapping key (the alg name, the AES key length).
inline result<secret_bytes> derive_agreed_key(const key_management_info& row,
                                              content_encryption enc, const secret_bytes& z,
                                              const agreement_parties& parties) {
  const bool direct = row.family == key_management_family::ecdh_es;
  return concat_kdf(z, direct ? info(enc).name : row.name,
                    direct ? info(enc).key_size : row.key_size, parties.apu, parties.apv);
}

// Sender: the CEK (a fresh random one, the key itself for `dir`, the derived key for ECDH-ES) and
// its encryption under `key`; for ECDH-ES*, `parties` enter the derivation and the header.
inline result<delivered_key> deliver_key(const key_material& key, content_encryption enc,
                                         const agreement_parties& parties = {},
                                         injected_inputs injected = {}) {
  const key_management_info& row = info(key.alg);
  if (row.family == key_management_family::direct) {
    if (key.secret->size() != info(enc).key_size) return errc::content_key_size_mismatch;
    return delivered_key{key.secret->clone(), {}, nlohmann::json::object()};
  }
  delivered_key out{{}, {}, nlohmann::json::object()};
  std::optional<secret_bytes> kek;
  if (is_key_agreement(row.family)) {
    auto agreed = injected.ephemeral ? agree_with_ephemeral(injected.ephemeral, key.pkey.get())
                                     : agree_as_sender(key.pkey.get());
    if (!agreed) return agreed.error();
    auto derived = derive_agreed_key(row, enc, agreed->shared_secret, parties);
    if (!derived) return derived.error();
    JOT_TRY {
      out.header_members["epk"] = std::move(agreed->epk);
      if (!parties.apu.empty()) out.header_members["apu"] = base64url_encode(parties.apu);
      if (!parties.apv.empty()) out.header_members["apv"] = base64url_encode(parties.apv);
    }
    JOT_CATCH_ALL { return errc::out_of_memory; }
    if (row.family == key_management_family::ecdh_es) {
      out.cek = std::move(*derived);
      return out;
    }
    kek = std::move(*derived);
  }
  result<secret_bytes> cek = injected.cek ? result<secret_bytes>(std::move(*injected.cek))
                                          : generate_secret(info(enc).key_size);
  if (!cek) return cek.error();
  result<std::string> encrypted =
      row.family == key_management_family::rsa_oaep
          ? rsa_oaep(key.pkey.get(), row.cipher, cek->unsafe_bytes(), true)
          : aes_key_wrap(row.cipher, kek ? *kek : *key.secret, cek->unsafe_bytes(), true);
  if (!encrypted) return encrypted.error();
  out.cek = std::move(*cek);
  out.encrypted_key = std::move(*encrypted);
  return out;
}

// The decoded `apu` or `apv` of a protected header: a base64url string of at most
// max_party_info_size bytes (errc::invalid_header otherwise, checked before decoding;
// invalid_base64 when not canonical).
inline result<void> read_party_info(const nlohmann::json& header, const char* name,
                                    std::string& out) {
  const auto it = header.find(name);
  if (it == header.end()) return {};
  if (!it->is_string() ||
      it->get_ref<const std::string&>().size() > base64url_length(max_party_info_size)) {
    return errc::invalid_header;
  }
  if (!jot::detail::base64url_decode_append(it->get_ref<const std::string&>(), out)) {
    return errc::invalid_base64;
  }
  return {};
}

// Recipient, ECDH-ES*: `apu`, `apv` and `epk` read and checked (agree_as_recipient) before any
// derivation, then the derived key (derive_agreed_key).
inline result<secret_bytes> agree_from_header(const key_material& key, content_encryption enc,
                                              const nlohmann::json& header) {
  agreement_parties parties;
  if (auto apu = read_party_info(header, "apu", parties.apu); !apu) return apu.error();
  if (auto apv = read_party_info(header, "apv", parties.apv); !apv) return apv.error();
  const auto epk = header.find("epk");
  if (epk == header.end()) return errc::invalid_ephemeral_key;
  auto z = agree_as_recipient(key.pkey.get(), *epk);
  if (!z) return z.error();
  return derive_agreed_key(info(key.alg), enc, *z, parties);
}

// Recipient: the CEK for `enc` from the JWE Encrypted Key, whose length the caller has checked
// (encrypted_key_size), and the protected `header`. For ECDH-ES*, a header whose `epk`, `apu` or
// `apv` is refused is a verdict on the token (agree_from_header). Past that, any failure yields a
// random CEK (§11.5); only OpenSSL failing to run is an error (errc::crypto_failure).
inline result<secret_bytes> recover_key(const key_material& key, content_encryption enc,
                                        const nlohmann::json& header,
                                        std::string_view encrypted_key) {
  const key_management_info& row = info(key.alg);
  const std::size_t size = info(enc).key_size;
  if (row.family == key_management_family::direct) return key.secret->clone();
  std::optional<secret_bytes> kek;
  if (is_key_agreement(row.family)) {
    auto derived = agree_from_header(key, enc, header);
    if (!derived || row.family == key_management_family::ecdh_es) return derived;
    kek = std::move(*derived);
  }
  result<std::string> cek =
      row.family == key_management_family::rsa_oaep
          ? rsa_oaep(key.pkey.get(), row.cipher, encrypted_key, false)
          : aes_key_wrap(row.cipher, kek ? *kek : *key.secret, encrypted_key, false);
  if (cek && cek->size() == size) return into_secret(*cek);
  if (cek) OPENSSL_cleanse(cek->data(), cek->size());
  if (!cek && cek.error() != errc::decryption_failed) return cek.error();
  return generate_secret(size);
}

}  // namespace detail
}  // namespace jwe
JOT_END_NAMESPACE
