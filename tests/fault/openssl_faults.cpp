// The interposed OpenSSL functions (see openssl_faults.hpp). Each definition has exactly the
// prototype of the OpenSSL 3 header it replaces, which the compiler checks since the headers are
// included, and returns that function's own error value when its fault fires. This file must stay
// a separate translation unit: an interposer inlined into its caller would see the wrong return
// address.

#include "openssl_faults.hpp"

#include <dlfcn.h>
#include <link.h>

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

namespace jot_fault {
namespace {

counts call_counts{};
bool is_armed = false;
call armed_call = call::EVP_MAC_CTX_new;
std::size_t calls_until_fault = 0;
bool has_fired = false;

// The address range of the executable's loaded segments. jot's inline code lives there; libcrypto
// and every other shared library are mapped elsewhere.
struct address_range {
  std::uintptr_t begin = UINTPTR_MAX;
  std::uintptr_t end = 0;
};

int find_executable(dl_phdr_info* info, std::size_t /*size*/, void* data) {
  auto* range = static_cast<address_range*>(data);
  // The first object dl_iterate_phdr reports is the executable itself.
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const auto& segment = info->dlpi_phdr[i];
    if (segment.p_type != PT_LOAD) continue;
    const std::uintptr_t start = info->dlpi_addr + segment.p_vaddr;
    if (start < range->begin) range->begin = start;
    if (start + segment.p_memsz > range->end) range->end = start + segment.p_memsz;
  }
  return 1;  // stop after the first object
}

bool from_executable(const void* caller) {
  static const address_range executable = [] {
    address_range range;
    dl_iterate_phdr(find_executable, &range);
    return range;
  }();
  const auto address = reinterpret_cast<std::uintptr_t>(caller);
  return address >= executable.begin && address < executable.end;
}

// Counts a call from jot and says whether it must fail.
bool intercept(call c, const void* caller) noexcept {
  if (!from_executable(caller)) return false;
  ++call_counts[static_cast<std::size_t>(c)];
  if (!is_armed || armed_call != c || --calls_until_fault != 0) return false;
  is_armed = false;
  has_fired = true;
  return true;
}

// The next definition of `name` after this executable's: libcrypto's.
template <typename Function>
Function next(const char* name) {
  void* address = dlsym(RTLD_NEXT, name);
  if (address == nullptr) {
    std::fprintf(stderr, "openssl_faults: dlsym(RTLD_NEXT, %s) failed\n", name);
    std::abort();
  }
  Function function = nullptr;
  static_assert(sizeof function == sizeof address, "function and data pointers differ in size");
  std::memcpy(&function, &address, sizeof function);
  return function;
}

}  // namespace

const char* name(call c) noexcept {
  static constexpr const char* names[] = {
#define JOT_FAULT_NAME(function) #function,
      JOT_FAULT_CALLS(JOT_FAULT_NAME)
#undef JOT_FAULT_NAME
  };
  return names[static_cast<std::size_t>(c)];
}

void reset_counts() noexcept { call_counts = {}; }
const counts& current_counts() noexcept { return call_counts; }

void arm(call c, std::size_t nth) noexcept {
  is_armed = nth > 0;
  armed_call = c;
  calls_until_fault = nth;
  has_fired = false;
}
void disarm() noexcept { is_armed = false; }
bool fired() noexcept { return has_fired; }

}  // namespace jot_fault

// FAIL_OR_FORWARD(function, failure value, arguments...): the body of every interposer.
#define FAIL_OR_FORWARD(function, failure, ...)                                         \
  do {                                                                                  \
    static const auto real = jot_fault::next<decltype(&function)>(#function);           \
    if (jot_fault::intercept(jot_fault::call::function, __builtin_return_address(0))) { \
      return failure;                                                                   \
    }                                                                                   \
    return real(__VA_ARGS__);                                                           \
  } while (false)

extern "C" {

// --- HMAC (jot/detail/hmac.hpp) -------------------------------------------------------------

EVP_MAC_CTX* EVP_MAC_CTX_new(EVP_MAC* mac) { FAIL_OR_FORWARD(EVP_MAC_CTX_new, nullptr, mac); }

int EVP_MAC_init(EVP_MAC_CTX* ctx, const unsigned char* key, size_t keylen,
                 const OSSL_PARAM params[]) {
  FAIL_OR_FORWARD(EVP_MAC_init, 0, ctx, key, keylen, params);
}

size_t EVP_MAC_CTX_get_mac_size(EVP_MAC_CTX* ctx) {
  FAIL_OR_FORWARD(EVP_MAC_CTX_get_mac_size, 0, ctx);
}

EVP_MAC_CTX* EVP_MAC_CTX_dup(const EVP_MAC_CTX* src) {
  FAIL_OR_FORWARD(EVP_MAC_CTX_dup, nullptr, src);
}

int EVP_MAC_update(EVP_MAC_CTX* ctx, const unsigned char* data, size_t datalen) {
  FAIL_OR_FORWARD(EVP_MAC_update, 0, ctx, data, datalen);
}

int EVP_MAC_final(EVP_MAC_CTX* ctx, unsigned char* out, size_t* outl, size_t outsize) {
  FAIL_OR_FORWARD(EVP_MAC_final, 0, ctx, out, outl, outsize);
}

// --- Randomness (jot/secret.hpp) -------------------------------------------------------------

int RAND_bytes(unsigned char* buf, int num) { FAIL_OR_FORWARD(RAND_bytes, 0, buf, num); }

// --- Signatures (jot/detail/evp_signature.hpp) and digests (jot/jwk.hpp) ---------------------

EVP_MD_CTX* EVP_MD_CTX_new(void) { FAIL_OR_FORWARD(EVP_MD_CTX_new, nullptr, ); }

int EVP_MD_CTX_copy_ex(EVP_MD_CTX* out, const EVP_MD_CTX* in) {
  FAIL_OR_FORWARD(EVP_MD_CTX_copy_ex, 0, out, in);
}

int EVP_DigestSignInit_ex(EVP_MD_CTX* ctx, EVP_PKEY_CTX** pctx, const char* mdname,
                          OSSL_LIB_CTX* libctx, const char* props, EVP_PKEY* pkey,
                          const OSSL_PARAM params[]) {
  FAIL_OR_FORWARD(EVP_DigestSignInit_ex, 0, ctx, pctx, mdname, libctx, props, pkey, params);
}

int EVP_DigestVerifyInit_ex(EVP_MD_CTX* ctx, EVP_PKEY_CTX** pctx, const char* mdname,
                            OSSL_LIB_CTX* libctx, const char* props, EVP_PKEY* pkey,
                            const OSSL_PARAM params[]) {
  FAIL_OR_FORWARD(EVP_DigestVerifyInit_ex, 0, ctx, pctx, mdname, libctx, props, pkey, params);
}

int EVP_DigestSign(EVP_MD_CTX* ctx, unsigned char* sigret, size_t* siglen, const unsigned char* tbs,
                   size_t tbslen) {
  FAIL_OR_FORWARD(EVP_DigestSign, 0, ctx, sigret, siglen, tbs, tbslen);
}

// 0 would be the verdict "does not verify"; a negative value is OpenSSL's "an error occurred".
int EVP_DigestVerify(EVP_MD_CTX* ctx, const unsigned char* sigret, size_t siglen,
                     const unsigned char* tbs, size_t tbslen) {
  FAIL_OR_FORWARD(EVP_DigestVerify, -1, ctx, sigret, siglen, tbs, tbslen);
}

int EVP_Digest(const void* data, size_t count, unsigned char* md, unsigned int* size,
               const EVP_MD* type, ENGINE* impl) {
  FAIL_OR_FORWARD(EVP_Digest, 0, data, count, md, size, type, impl);
}

// --- Key parameters and checks (jot/detail/pkey.hpp, jwk_export.hpp) -------------------------

int EVP_PKEY_get_bn_param(const EVP_PKEY* pkey, const char* key_name, BIGNUM** bn) {
  FAIL_OR_FORWARD(EVP_PKEY_get_bn_param, 0, pkey, key_name, bn);
}

int EVP_PKEY_get_utf8_string_param(const EVP_PKEY* pkey, const char* key_name, char* str,
                                   size_t max_buf_sz, size_t* out_sz) {
  FAIL_OR_FORWARD(EVP_PKEY_get_utf8_string_param, 0, pkey, key_name, str, max_buf_sz, out_sz);
}

int EVP_PKEY_get_int_param(const EVP_PKEY* pkey, const char* key_name, int* out) {
  FAIL_OR_FORWARD(EVP_PKEY_get_int_param, 0, pkey, key_name, out);
}

int EVP_PKEY_get_default_digest_name(EVP_PKEY* pkey, char* mdname, size_t mdname_sz) {
  FAIL_OR_FORWARD(EVP_PKEY_get_default_digest_name, 0, pkey, mdname, mdname_sz);
}

int BN_bn2binpad(const BIGNUM* a, unsigned char* to, int tolen) {
  FAIL_OR_FORWARD(BN_bn2binpad, -1, a, to, tolen);
}

BIGNUM* BN_bin2bn(const unsigned char* s, int len, BIGNUM* ret) {
  FAIL_OR_FORWARD(BN_bin2bn, nullptr, s, len, ret);
}

// --- RSA private key consistency (jot/detail/pkey.hpp check_rsa_private) -------------------

BN_CTX* BN_CTX_new(void) { FAIL_OR_FORWARD(BN_CTX_new, nullptr, ); }

BIGNUM* BN_new(void) { FAIL_OR_FORWARD(BN_new, nullptr, ); }

BIGNUM* BN_dup(const BIGNUM* a) { FAIL_OR_FORWARD(BN_dup, nullptr, a); }

int BN_set_word(BIGNUM* a, BN_ULONG w) { FAIL_OR_FORWARD(BN_set_word, 0, a, w); }

int BN_sub_word(BIGNUM* a, BN_ULONG w) { FAIL_OR_FORWARD(BN_sub_word, 0, a, w); }

int BN_mod_exp(BIGNUM* r, const BIGNUM* a, const BIGNUM* p, const BIGNUM* m, BN_CTX* ctx) {
  FAIL_OR_FORWARD(BN_mod_exp, 0, r, a, p, m, ctx);
}

int BN_mul(BIGNUM* r, const BIGNUM* a, const BIGNUM* b, BN_CTX* ctx) {
  FAIL_OR_FORWARD(BN_mul, 0, r, a, b, ctx);
}

int BN_div(BIGNUM* dv, BIGNUM* rem, const BIGNUM* m, const BIGNUM* d, BN_CTX* ctx) {
  FAIL_OR_FORWARD(BN_div, 0, dv, rem, m, d, ctx);
}

int BN_mod_mul(BIGNUM* r, const BIGNUM* a, const BIGNUM* b, const BIGNUM* m, BN_CTX* ctx) {
  FAIL_OR_FORWARD(BN_mod_mul, 0, r, a, b, m, ctx);
}

EVP_PKEY_CTX* EVP_PKEY_CTX_new_from_pkey(OSSL_LIB_CTX* libctx, EVP_PKEY* pkey,
                                         const char* propquery) {
  FAIL_OR_FORWARD(EVP_PKEY_CTX_new_from_pkey, nullptr, libctx, pkey, propquery);
}

int EVP_PKEY_public_check(EVP_PKEY_CTX* ctx) { FAIL_OR_FORWARD(EVP_PKEY_public_check, 0, ctx); }

int EVP_PKEY_pairwise_check(EVP_PKEY_CTX* ctx) { FAIL_OR_FORWARD(EVP_PKEY_pairwise_check, 0, ctx); }

// Variadic, so it cannot forward its arguments blindly: the extra argument depends on the key
// type (a size_t bit count for "RSA", a curve name for "EC", nothing for the Edwards curves), and
// those are the only forms jot uses.
EVP_PKEY* EVP_PKEY_Q_keygen(OSSL_LIB_CTX* libctx, const char* propq, const char* type, ...) {
  static const auto real = jot_fault::next<decltype(&EVP_PKEY_Q_keygen)>("EVP_PKEY_Q_keygen");
  if (jot_fault::intercept(jot_fault::call::EVP_PKEY_Q_keygen, __builtin_return_address(0))) {
    return nullptr;
  }
  std::va_list arguments;
  va_start(arguments, type);
  EVP_PKEY* key = nullptr;
  if (std::strcmp(type, "RSA") == 0) {
    const size_t bits = va_arg(arguments, size_t);
    key = real(libctx, propq, type, bits);
  } else if (std::strcmp(type, "EC") == 0) {
    const char* curve = va_arg(arguments, const char*);
    key = real(libctx, propq, type, curve);
  } else {
    key = real(libctx, propq, type);
  }
  va_end(arguments);
  return key;
}

// --- Decoding keys and certificates (jot/detail/pkey.hpp, public_key_screen.hpp) ------------

OSSL_DECODER_CTX* OSSL_DECODER_CTX_new_for_pkey(EVP_PKEY** pkey, const char* input_type,
                                                const char* input_struct, const char* keytype,
                                                int selection, OSSL_LIB_CTX* libctx,
                                                const char* propquery) {
  FAIL_OR_FORWARD(OSSL_DECODER_CTX_new_for_pkey, nullptr, pkey, input_type, input_struct, keytype,
                  selection, libctx, propquery);
}

int OSSL_DECODER_from_data(OSSL_DECODER_CTX* ctx, const unsigned char** pdata, size_t* pdata_len) {
  FAIL_OR_FORWARD(OSSL_DECODER_from_data, 0, ctx, pdata, pdata_len);
}

BIO* BIO_new_mem_buf(const void* buf, int len) {
  FAIL_OR_FORWARD(BIO_new_mem_buf, nullptr, buf, len);
}

X509* PEM_read_bio_X509(BIO* out, X509** x, pem_password_cb* cb, void* u) {
  FAIL_OR_FORWARD(PEM_read_bio_X509, nullptr, out, x, cb, u);
}

X509* d2i_X509(X509** a, const unsigned char** in, long len) {
  FAIL_OR_FORWARD(d2i_X509, nullptr, a, in, len);
}

EVP_PKEY* X509_get_pubkey(X509* x) { FAIL_OR_FORWARD(X509_get_pubkey, nullptr, x); }

int i2d_PUBKEY(const EVP_PKEY* a, unsigned char** out) { FAIL_OR_FORWARD(i2d_PUBKEY, -1, a, out); }

EVP_PKEY* d2i_PUBKEY(EVP_PKEY** a, const unsigned char** in, long len) {
  FAIL_OR_FORWARD(d2i_PUBKEY, nullptr, a, in, len);
}

// --- Building keys from JWK members (jot/detail/jwk_import.hpp) ------------------------------

OSSL_PARAM_BLD* OSSL_PARAM_BLD_new(void) { FAIL_OR_FORWARD(OSSL_PARAM_BLD_new, nullptr, ); }

int OSSL_PARAM_BLD_push_BN(OSSL_PARAM_BLD* bld, const char* key, const BIGNUM* bn) {
  FAIL_OR_FORWARD(OSSL_PARAM_BLD_push_BN, 0, bld, key, bn);
}

int OSSL_PARAM_BLD_push_utf8_string(OSSL_PARAM_BLD* bld, const char* key, const char* buf,
                                    size_t bsize) {
  FAIL_OR_FORWARD(OSSL_PARAM_BLD_push_utf8_string, 0, bld, key, buf, bsize);
}

int OSSL_PARAM_BLD_push_octet_string(OSSL_PARAM_BLD* bld, const char* key, const void* buf,
                                     size_t bsize) {
  FAIL_OR_FORWARD(OSSL_PARAM_BLD_push_octet_string, 0, bld, key, buf, bsize);
}

OSSL_PARAM* OSSL_PARAM_BLD_to_param(OSSL_PARAM_BLD* bld) {
  FAIL_OR_FORWARD(OSSL_PARAM_BLD_to_param, nullptr, bld);
}

EVP_PKEY_CTX* EVP_PKEY_CTX_new_from_name(OSSL_LIB_CTX* libctx, const char* name,
                                         const char* propquery) {
  FAIL_OR_FORWARD(EVP_PKEY_CTX_new_from_name, nullptr, libctx, name, propquery);
}

int EVP_PKEY_fromdata_init(EVP_PKEY_CTX* ctx) { FAIL_OR_FORWARD(EVP_PKEY_fromdata_init, 0, ctx); }

int EVP_PKEY_fromdata(EVP_PKEY_CTX* ctx, EVP_PKEY** ppkey, int selection, OSSL_PARAM param[]) {
  FAIL_OR_FORWARD(EVP_PKEY_fromdata, 0, ctx, ppkey, selection, param);
}

EVP_PKEY* EVP_PKEY_new_raw_private_key_ex(OSSL_LIB_CTX* libctx, const char* keytype,
                                          const char* propq, const unsigned char* priv,
                                          size_t len) {
  FAIL_OR_FORWARD(EVP_PKEY_new_raw_private_key_ex, nullptr, libctx, keytype, propq, priv, len);
}

EVP_PKEY* EVP_PKEY_new_raw_public_key_ex(OSSL_LIB_CTX* libctx, const char* keytype,
                                         const char* propq, const unsigned char* pub, size_t len) {
  FAIL_OR_FORWARD(EVP_PKEY_new_raw_public_key_ex, nullptr, libctx, keytype, propq, pub, len);
}

int EVP_PKEY_get_raw_public_key(const EVP_PKEY* pkey, unsigned char* pub, size_t* len) {
  FAIL_OR_FORWARD(EVP_PKEY_get_raw_public_key, 0, pkey, pub, len);
}

int EVP_PKEY_get_raw_private_key(const EVP_PKEY* pkey, unsigned char* priv, size_t* len) {
  FAIL_OR_FORWARD(EVP_PKEY_get_raw_private_key, 0, pkey, priv, len);
}

// --- PEM export (jot/pem.hpp) ------------------------------------------------------------------

OSSL_ENCODER_CTX* OSSL_ENCODER_CTX_new_for_pkey(const EVP_PKEY* pkey, int selection,
                                                const char* output_type, const char* output_struct,
                                                const char* propquery) {
  FAIL_OR_FORWARD(OSSL_ENCODER_CTX_new_for_pkey, nullptr, pkey, selection, output_type,
                  output_struct, propquery);
}

int OSSL_ENCODER_to_data(OSSL_ENCODER_CTX* ctx, unsigned char** pdata, size_t* pdata_len) {
  FAIL_OR_FORWARD(OSSL_ENCODER_to_data, 0, ctx, pdata, pdata_len);
}

// --- ECDH-ES key agreement and the Concat KDF (jot/jwe/detail/) -------------------------------

int EVP_PKEY_public_check_quick(EVP_PKEY_CTX* ctx) {
  FAIL_OR_FORWARD(EVP_PKEY_public_check_quick, 0, ctx);
}

int EVP_PKEY_get_octet_string_param(const EVP_PKEY* pkey, const char* key_name, unsigned char* buf,
                                    size_t max_buf_sz, size_t* out_sz) {
  FAIL_OR_FORWARD(EVP_PKEY_get_octet_string_param, 0, pkey, key_name, buf, max_buf_sz, out_sz);
}

int EVP_PKEY_derive_init(EVP_PKEY_CTX* ctx) { FAIL_OR_FORWARD(EVP_PKEY_derive_init, 0, ctx); }

int EVP_PKEY_derive_set_peer_ex(EVP_PKEY_CTX* ctx, EVP_PKEY* peer, int validate_peer) {
  FAIL_OR_FORWARD(EVP_PKEY_derive_set_peer_ex, 0, ctx, peer, validate_peer);
}

int EVP_PKEY_derive(EVP_PKEY_CTX* ctx, unsigned char* key, size_t* keylen) {
  FAIL_OR_FORWARD(EVP_PKEY_derive, 0, ctx, key, keylen);
}

EVP_KDF_CTX* EVP_KDF_CTX_new(EVP_KDF* kdf) { FAIL_OR_FORWARD(EVP_KDF_CTX_new, nullptr, kdf); }

int EVP_KDF_derive(EVP_KDF_CTX* ctx, unsigned char* key, size_t keylen, const OSSL_PARAM params[]) {
  FAIL_OR_FORWARD(EVP_KDF_derive, 0, ctx, key, keylen, params);
}

}  // extern "C"
