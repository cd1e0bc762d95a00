// Compile-cost twin of include_jot.cpp: nlohmann/json and the OpenSSL headers that the
// hand-written unit (handwritten.cpp, through ../floor.hpp) includes, and nothing else.

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <nlohmann/json.hpp>
