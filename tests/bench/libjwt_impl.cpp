// libjwt 1.x (Debian libjwt-dev) used as its jwt.h documents: jwt_new(), jwt_set_alg() with the
// key, jwt_add_grant*() and jwt_encode_str(); jwt_decode() with the key, then jwt_get_grant()
// and jwt_get_grants_json() for the array. libjwt 1.x takes the token's `alg` from its header and
// has no claim validation, so the `alg` pin and the `exp` check are written here, as its users
// must. Its RS256 and ES256 keys are PEM text, parsed by every call. It has no PS256 or EdDSA.

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <jwt.h>
#include <nlohmann/json.hpp>

#include "bench.hpp"

namespace jot_bench {
namespace {

struct jwt_free_deleter {
  void operator()(jwt_t* token) const { jwt_free(token); }
};
using jwt_ptr = std::unique_ptr<jwt_t, jwt_free_deleter>;

struct malloc_free_deleter {
  void operator()(char* text) const { std::free(text); }
};
using malloced_text = std::unique_ptr<char, malloc_free_deleter>;

// True when `json` is the compact JSON array of exactly the strings in `expected` (the form
// jwt_get_grants_json() writes), compared in place; `expected` holds no character JSON escapes.
bool is_compact_string_array(std::string_view json, const std::vector<std::string>& expected) {
  if (json.empty() || json.front() != '[') return false;
  json.remove_prefix(1);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const std::string_view item = expected[i];
    const char separator = i + 1 < expected.size() ? ',' : ']';
    if (json.size() < item.size() + 3 || json[0] != '"' || json.substr(1, item.size()) != item ||
        json[item.size() + 1] != '"' || json[item.size() + 2] != separator) {
      return false;
    }
    json.remove_prefix(item.size() + 3);
  }
  return expected.empty() ? json == "]" : json.empty();
}

class libjwt_implementation final : public token_implementation {
 public:
  libjwt_implementation(jwt_alg_t alg, std::string signing_key, std::string verification_key)
      : alg_(alg),
        signing_key_(std::move(signing_key)),
        verification_key_(std::move(verification_key)) {}

  std::string sign(const token_claims& claims) const override {
    jwt_t* raw = nullptr;
    if (jwt_new(&raw) != 0) return {};
    const jwt_ptr token(raw);
    const std::string roles = nlohmann::json{{"roles", claims.roles}}.dump();
    if (jwt_set_alg(token.get(), alg_, bytes(signing_key_), size(signing_key_)) != 0 ||
        jwt_add_grant(token.get(), "sub", claims.subject.c_str()) != 0 ||
        jwt_add_grant_int(token.get(), "iat", static_cast<long>(claims.issued_at)) != 0 ||
        jwt_add_grant_int(token.get(), "exp", static_cast<long>(claims.expires_at)) != 0 ||
        jwt_add_grant(token.get(), "type", "access") != 0 ||
        jwt_add_grants_json(token.get(), roles.c_str()) != 0) {
      return {};
    }
    const malloced_text encoded(jwt_encode_str(token.get()));
    return encoded ? std::string(encoded.get()) : std::string();
  }

  bool verify(const std::string& token, const token_claims& expected) const override {
    jwt_t* raw = nullptr;
    if (jwt_decode(&raw, token.c_str(), bytes(verification_key_), size(verification_key_)) != 0) {
      return false;
    }
    const jwt_ptr decoded(raw);
    if (jwt_get_alg(decoded.get()) != alg_) return false;
    errno = 0;
    const long expires_at = jwt_get_grant_int(decoded.get(), "exp");
    if (errno != 0 || expires_at <= static_cast<long>(std::time(nullptr))) return false;
    const char* subject = jwt_get_grant(decoded.get(), "sub");
    const malloced_text roles(jwt_get_grants_json(decoded.get(), "roles"));
    return subject != nullptr && subject == expected.subject && roles != nullptr &&
           is_compact_string_array(roles.get(), expected.roles);
  }

 private:
  static const unsigned char* bytes(const std::string& key) {
    return reinterpret_cast<const unsigned char*>(key.data());
  }
  static int size(const std::string& key) { return static_cast<int>(key.size()); }

  jwt_alg_t alg_;
  std::string signing_key_;
  std::string verification_key_;
};

}  // namespace

std::unique_ptr<token_implementation> make_libjwt(const jws_algorithm& alg,
                                                  const key_material& key) {
  const jwt_alg_t libjwt_alg = jwt_str_alg(alg.name);
  if (libjwt_alg == JWT_ALG_INVAL) return nullptr;
  if (alg.family == strict_floor::signature_family::hmac) {
    return std::make_unique<libjwt_implementation>(libjwt_alg, key.secret, key.secret);
  }
  return std::make_unique<libjwt_implementation>(libjwt_alg, key.private_pem, key.public_pem);
}

}  // namespace jot_bench
