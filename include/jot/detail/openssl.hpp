#pragma once

// Owning handles for the OpenSSL 3 objects jot keeps. The deleters are empty types, so a handle
// is exactly one pointer wide.

#include <memory>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

struct evp_mac_ctx_deleter {
  void operator()(EVP_MAC_CTX* ctx) const noexcept { EVP_MAC_CTX_free(ctx); }
};
struct evp_mac_deleter {
  void operator()(EVP_MAC* mac) const noexcept { EVP_MAC_free(mac); }
};
struct evp_pkey_deleter {
  void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};

using evp_mac_ctx_ptr = std::unique_ptr<EVP_MAC_CTX, evp_mac_ctx_deleter>;
using evp_mac_ptr = std::unique_ptr<EVP_MAC, evp_mac_deleter>;
using evp_pkey_ptr = std::unique_ptr<EVP_PKEY, evp_pkey_deleter>;

// OpenSSL keeps a per-thread error queue; jot reports failures through errc, so it drops what a
// failed call left behind rather than let it leak into the application's own error handling.
inline void clear_openssl_errors() noexcept { ERR_clear_error(); }

}  // namespace detail
JOT_END_NAMESPACE
