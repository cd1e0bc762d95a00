#pragma once

// Fault injection for the OpenSSL calls jot makes. openssl_faults.cpp defines functions with the
// names of these OpenSSL functions in the test executable. Because jot is header-only, its code is
// compiled into that executable, and the static linker binds its calls to those definitions
// rather than to libcrypto's (no -rdynamic or LD_PRELOAD needed). Each definition forwards to the
// real function, found with dlsym(RTLD_NEXT, ...), unless a test armed a fault for it.
//
// Only calls made from the executable (jot's inline code) are counted and failed; calls that
// libcrypto makes internally to the same exported functions pass through untouched, so a fault
// always lands on one specific call in jot's own code.
//
// Not thread-safe: the fault tests are single-threaded.

#include <array>
#include <cstddef>

// X(function): every OpenSSL function interposed. openssl_faults.cpp defines each one and says what
// it returns when made to fail.
#define JOT_FAULT_CALLS(X)            \
  X(EVP_MAC_CTX_new)                  \
  X(EVP_MAC_init)                     \
  X(EVP_MAC_CTX_get_mac_size)         \
  X(EVP_MAC_CTX_dup)                  \
  X(EVP_MAC_update)                   \
  X(EVP_MAC_final)                    \
  X(RAND_bytes)                       \
  X(EVP_MD_CTX_new)                   \
  X(EVP_MD_CTX_copy_ex)               \
  X(EVP_DigestSignInit_ex)            \
  X(EVP_DigestVerifyInit_ex)          \
  X(EVP_DigestSign)                   \
  X(EVP_DigestVerify)                 \
  X(EVP_Digest)                       \
  X(EVP_PKEY_get_bn_param)            \
  X(EVP_PKEY_get_utf8_string_param)   \
  X(EVP_PKEY_get_int_param)           \
  X(EVP_PKEY_get_default_digest_name) \
  X(BN_bn2binpad)                     \
  X(BN_bin2bn)                        \
  X(BN_CTX_new)                       \
  X(BN_new)                           \
  X(BN_dup)                           \
  X(BN_set_word)                      \
  X(BN_sub_word)                      \
  X(BN_mod_exp)                       \
  X(BN_mul)                           \
  X(BN_div)                           \
  X(BN_mod_mul)                       \
  X(EVP_PKEY_CTX_new_from_pkey)       \
  X(EVP_PKEY_public_check)            \
  X(EVP_PKEY_pairwise_check)          \
  X(EVP_PKEY_Q_keygen)                \
  X(OSSL_DECODER_CTX_new_for_pkey)    \
  X(OSSL_DECODER_from_data)           \
  X(BIO_new_mem_buf)                  \
  X(PEM_read_bio_X509)                \
  X(d2i_X509)                         \
  X(X509_get_pubkey)                  \
  X(i2d_PUBKEY)                       \
  X(d2i_PUBKEY)                       \
  X(OSSL_PARAM_BLD_new)               \
  X(OSSL_PARAM_BLD_push_BN)           \
  X(OSSL_PARAM_BLD_push_utf8_string)  \
  X(OSSL_PARAM_BLD_push_octet_string) \
  X(OSSL_PARAM_BLD_to_param)          \
  X(EVP_PKEY_CTX_new_from_name)       \
  X(EVP_PKEY_fromdata_init)           \
  X(EVP_PKEY_fromdata)                \
  X(EVP_PKEY_new_raw_private_key_ex)  \
  X(EVP_PKEY_new_raw_public_key_ex)   \
  X(EVP_PKEY_get_raw_public_key)      \
  X(EVP_PKEY_get_raw_private_key)     \
  X(OSSL_ENCODER_CTX_new_for_pkey)    \
  X(OSSL_ENCODER_to_data)             \
  X(EVP_PKEY_public_check_quick)      \
  X(EVP_PKEY_get_octet_string_param)  \
  X(EVP_PKEY_derive_init)             \
  X(EVP_PKEY_derive_set_peer_ex)      \
  X(EVP_PKEY_derive)                  \
  X(EVP_KDF_CTX_new)                  \
  X(EVP_KDF_derive)

namespace jot_fault {

enum class call : std::size_t {
#define JOT_FAULT_ENUM(function) function,
  JOT_FAULT_CALLS(JOT_FAULT_ENUM)
#undef JOT_FAULT_ENUM
};

#define JOT_FAULT_COUNT(function) +1
inline constexpr std::size_t call_count = 0 JOT_FAULT_CALLS(JOT_FAULT_COUNT);
#undef JOT_FAULT_COUNT

const char* name(call c) noexcept;

// How many times jot called each function since the last reset_counts().
using counts = std::array<std::size_t, call_count>;
void reset_counts() noexcept;
const counts& current_counts() noexcept;

// Makes the `nth` (1-based) call of `c` from now on fail, once. disarm() cancels; fired() says
// whether the armed call was reached.
void arm(call c, std::size_t nth) noexcept;
void disarm() noexcept;
bool fired() noexcept;

}  // namespace jot_fault
