#pragma once

// Owning handles for every OpenSSL 3 object jot creates, and the provider algorithms it fetches
// once per process. jot never calls a *_free function by hand: each object lives in a handle
// from the moment it is made, so every early return releases it.

#include <atomic>
#include <cstddef>
#include <iterator>
#include <memory>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "jot/algorithm.hpp"
#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

// The deleter is an empty type, so a handle is exactly one pointer wide.
template <auto Free>
struct openssl_deleter {
  template <typename T>
  void operator()(T* object) const noexcept {
    Free(object);
  }
};
template <typename T, auto Free>
using openssl_ptr = std::unique_ptr<T, openssl_deleter<Free>>;

using evp_md_ptr = openssl_ptr<EVP_MD, &EVP_MD_free>;
using evp_md_ctx_ptr = openssl_ptr<EVP_MD_CTX, &EVP_MD_CTX_free>;
using evp_mac_ptr = openssl_ptr<EVP_MAC, &EVP_MAC_free>;
using evp_mac_ctx_ptr = openssl_ptr<EVP_MAC_CTX, &EVP_MAC_CTX_free>;
using evp_kdf_ctx_ptr = openssl_ptr<EVP_KDF_CTX, &EVP_KDF_CTX_free>;
using evp_pkey_ptr = openssl_ptr<EVP_PKEY, &EVP_PKEY_free>;
using evp_pkey_ctx_ptr = openssl_ptr<EVP_PKEY_CTX, &EVP_PKEY_CTX_free>;
using bn_ptr = openssl_ptr<BIGNUM, &BN_clear_free>;  // cleared: may hold private key material
using bn_ctx_ptr = openssl_ptr<BN_CTX, &BN_CTX_free>;
using bio_ptr = openssl_ptr<BIO, &BIO_free>;
using x509_ptr = openssl_ptr<X509, &X509_free>;
using decoder_ctx_ptr = openssl_ptr<OSSL_DECODER_CTX, &OSSL_DECODER_CTX_free>;
using encoder_ctx_ptr = openssl_ptr<OSSL_ENCODER_CTX, &OSSL_ENCODER_CTX_free>;
using param_bld_ptr = openssl_ptr<OSSL_PARAM_BLD, &OSSL_PARAM_BLD_free>;
using params_ptr = openssl_ptr<OSSL_PARAM, &OSSL_PARAM_free>;

// A buffer OpenSSL allocated for the caller (i2d_*, OSSL_ENCODER_to_data). OPENSSL_free is a
// macro, so it has a deleter of its own.
struct openssl_memory_deleter {
  void operator()(unsigned char* bytes) const noexcept { OPENSSL_free(bytes); }
};
using openssl_bytes = std::unique_ptr<unsigned char, openssl_memory_deleter>;

// OpenSSL keeps a per-thread error queue; jot reports failures through errc, so it drops what a
// failed call left behind rather than let it leak into the application's own error handling.
inline void clear_openssl_errors() noexcept { ERR_clear_error(); }

// A provider algorithm (EVP_MD, EVP_MAC), fetched on first use and kept for the process: a fetch
// costs more than most signatures. Only a success is kept, so a fetch that failed (a provider not
// loaded yet, memory short) is tried again by the next call. Safe to use from many threads.
template <typename T, T* (*Fetch)(OSSL_LIB_CTX*, const char*, const char*), void (*Free)(T*)>
class fetched_algorithm {
 public:
  fetched_algorithm() = default;
  fetched_algorithm(const fetched_algorithm&) = delete;
  fetched_algorithm& operator=(const fetched_algorithm&) = delete;
  ~fetched_algorithm() { Free(object_.load()); }

  T* get(const char* name) noexcept {
    T* object = object_.load(std::memory_order_acquire);
    if (object != nullptr) return object;
    T* fresh = Fetch(nullptr, name, nullptr);
    if (fresh == nullptr) {
      clear_openssl_errors();
      return nullptr;
    }
    if (object_.compare_exchange_strong(object, fresh, std::memory_order_acq_rel)) return fresh;
    Free(fresh);  // another thread kept its fetch first
    return object;
  }

 private:
  std::atomic<T*> object_{nullptr};
};

// The hash of `alg` (RFC 7518 §3.1), fetched once; nullptr for EdDSA or when the fetch fails.
inline EVP_MD* digest_of(algorithm alg) noexcept {
  static fetched_algorithm<EVP_MD, &EVP_MD_fetch, &EVP_MD_free> digests[std::size(algorithm_table)];
  const char* name = info(alg).digest;
  return name != nullptr ? digests[static_cast<std::size_t>(alg)].get(name) : nullptr;
}

}  // namespace detail
JOT_END_NAMESPACE
