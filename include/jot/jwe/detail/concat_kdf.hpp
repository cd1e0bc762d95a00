#pragma once

// The Concat KDF of JWE's ECDH-ES (RFC 7518 §4.6.2): the key derived from the shared secret Z.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "jot/config.hpp"
#include "jot/detail/openssl.hpp"
#include "jot/result.hpp"
#include "jot/secret.hpp"

JOT_BEGIN_NAMESPACE
namespace jwe::detail {

// The largest key concat_kdf() derives: 512 bits, the CEK of A256CBC-HS512 under direct ECDH-ES
// (RFC 7518 §5.2.5).
inline constexpr std::size_t max_derived_key_bytes = 64;

inline void append_uint32(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

// The Concat KDF of RFC 7518 §4.6.2 (NIST SP 800-56A §5.8.1) with SHA-256: `key_bytes` bytes from
// Z. `algorithm_id` is the "enc" value for direct ECDH-ES and the "alg" value for ECDH-ES+A*KW;
// `apu` and `apv` are the decoded "apu" and "apv" (empty when absent). The OtherInfo is
// AlgorithmID || PartyUInfo || PartyVInfo || SuppPubInfo, the first three each prefixed by its
// 32-bit big-endian length, SuppPubInfo the key length in bits as 32 bits big-endian. OpenSSL's
// SSKDF with a digest computes the same: H(counter || Z || OtherInfo), counter from 1, 32 bits.
// invalid_argument for a key of 0 or more than max_derived_key_bytes bytes, or an input longer
// than 2^32 - 1 bytes.
inline result<secret_bytes> concat_kdf(const secret_bytes& shared_secret,
                                       std::string_view algorithm_id, std::size_t key_bytes,
                                       std::string_view apu, std::string_view apv) {
  JOT_TRY {
    constexpr std::size_t max_length = 0xffffffffu;
    if (key_bytes == 0 || key_bytes > max_derived_key_bytes || algorithm_id.size() > max_length ||
        apu.size() > max_length || apv.size() > max_length || shared_secret.empty()) {
      return errc::invalid_argument;
    }
    static jot::detail::fetched_algorithm<EVP_KDF, &EVP_KDF_fetch, &EVP_KDF_free> sskdf;
    EVP_KDF* kdf = sskdf.get(OSSL_KDF_NAME_SSKDF);
    if (kdf == nullptr) return errc::crypto_failure;
    std::string other_info;
    for (const std::string_view field : {algorithm_id, apu, apv}) {
      append_uint32(other_info, static_cast<std::uint32_t>(field.size()));
      other_info.append(field);
    }
    append_uint32(other_info, static_cast<std::uint32_t>(key_bytes * 8));  // SuppPubInfo

    const jot::detail::evp_kdf_ctx_ptr ctx(EVP_KDF_CTX_new(kdf));
    char digest[] = "SHA256";
    const std::string_view z = shared_secret.unsafe_bytes();
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, const_cast<char*>(z.data()),
                                          z.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, other_info.data(),
                                          other_info.size()),
        OSSL_PARAM_construct_end(),
    };
    unsigned char key[max_derived_key_bytes];
    const bool ok = ctx && EVP_KDF_derive(ctx.get(), key, key_bytes, params) == 1;
    jot::detail::clear_openssl_errors();
    secret_bytes derived(ok ? std::string_view(reinterpret_cast<const char*>(key), key_bytes)
                            : std::string_view());
    OPENSSL_cleanse(key, sizeof key);
    if (!ok) return errc::crypto_failure;
    return derived;
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }
}

}  // namespace jwe::detail
JOT_END_NAMESPACE
