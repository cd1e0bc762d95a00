#pragma once

// Owning handles for the OpenSSL 3 objects jot keeps. The deleters are empty types, so a handle
// is exactly one pointer wide.

#include <memory>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "jot/algorithm.hpp"
#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

struct evp_md_ctx_deleter {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
struct evp_md_deleter {
  void operator()(EVP_MD* md) const noexcept { EVP_MD_free(md); }
};
struct evp_mac_ctx_deleter {
  void operator()(EVP_MAC_CTX* ctx) const noexcept { EVP_MAC_CTX_free(ctx); }
};
struct evp_mac_deleter {
  void operator()(EVP_MAC* mac) const noexcept { EVP_MAC_free(mac); }
};
struct evp_pkey_deleter {
  void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
struct bn_deleter {  // clears: the numbers may be private key material
  void operator()(BIGNUM* n) const noexcept { BN_clear_free(n); }
};
struct bn_ctx_deleter {
  void operator()(BN_CTX* ctx) const noexcept { BN_CTX_free(ctx); }
};

using evp_md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, evp_md_ctx_deleter>;
using evp_md_ptr = std::unique_ptr<EVP_MD, evp_md_deleter>;
using evp_mac_ctx_ptr = std::unique_ptr<EVP_MAC_CTX, evp_mac_ctx_deleter>;
using evp_mac_ptr = std::unique_ptr<EVP_MAC, evp_mac_deleter>;
using evp_pkey_ptr = std::unique_ptr<EVP_PKEY, evp_pkey_deleter>;
using bn_ptr = std::unique_ptr<BIGNUM, bn_deleter>;
using bn_ctx_ptr = std::unique_ptr<BN_CTX, bn_ctx_deleter>;

// OpenSSL keeps a per-thread error queue; jot reports failures through errc, so it drops what a
// failed call left behind rather than let it leak into the application's own error handling.
inline void clear_openssl_errors() noexcept { ERR_clear_error(); }

}  // namespace detail
JOT_END_NAMESPACE
