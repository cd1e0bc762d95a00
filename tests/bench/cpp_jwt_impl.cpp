// cpp-jwt (Debian libcpp-jwt-dev) used as its README and examples show: a jwt_object built from
// params and add_claim(), signature(ec); jwt::decode(token, algorithms({...}), ec, secret(...))
// with its default checks (signature, `exp`), then payload().get_claim_value<>() and the payload
// JSON. For RS256 and ES256 its API takes the PEM text with every call and parses it each time;
// that cost is cpp-jwt's. It has no PS256 or EdDSA.

#include <exception>
#include <memory>
#include <string>
#include <system_error>

#include <jwt/jwt.hpp>

#include "bench.hpp"

namespace jot_bench {
namespace {

class cpp_jwt_implementation final : public token_implementation {
 public:
  cpp_jwt_implementation(const jws_algorithm& alg, std::string signing_key,
                         std::string verification_key)
      : alg_(&alg),
        signing_key_(std::move(signing_key)),
        verification_key_(std::move(verification_key)) {}

  std::string sign(const token_claims& claims) const override {
    using namespace jwt::params;
    // cpp-jwt throws for a key it cannot use and on allocation failure (signature(ec) reports
    // the rest); either is a failure of this implementation, which the checks then report.
    try {
      jwt::jwt_object token{algorithm(alg_->name), secret(signing_key_),
                            payload({{"sub", claims.subject}, {"type", "access"}})};
      token.add_claim("iat", claims.issued_at)
          .add_claim("exp", claims.expires_at)
          .add_claim("roles", claims.roles);
      std::error_code error;
      std::string signed_token = token.signature(error);
      return error ? std::string() : signed_token;
    } catch (const std::exception&) {
      return {};
    }
  }

  bool verify(const std::string& token, const token_claims& expected) const override {
    using namespace jwt::params;
    // The error-code overload still throws for some malformed tokens: a rejection all the same.
    try {
      std::error_code error;
      const auto decoded = jwt::decode(token, algorithms({alg_->name}), error,
                                       secret(verification_key_), jwt::params::verify(true));
      if (error) return false;
      const auto& claims = decoded.payload();
      const auto& claims_json = claims.create_json_obj();
      const auto roles = claims_json.find("roles");
      return claims.get_claim_value<std::string>("sub") == expected.subject &&
             roles != claims_json.end() && roles_equal(*roles, expected.roles);
    } catch (const std::exception&) {
      return false;
    }
  }

 private:
  const jws_algorithm* alg_;
  std::string signing_key_;
  std::string verification_key_;
};

}  // namespace

std::unique_ptr<token_implementation> make_cpp_jwt(const jws_algorithm& alg,
                                                   const key_material& key) {
  switch (alg.family) {
    case strict_floor::signature_family::hmac:
      return std::make_unique<cpp_jwt_implementation>(alg, key.secret, key.secret);
    case strict_floor::signature_family::rsa_pkcs1:
    case strict_floor::signature_family::ecdsa:
      return std::make_unique<cpp_jwt_implementation>(alg, key.private_pem, key.public_pem);
    case strict_floor::signature_family::rsa_pss:
    case strict_floor::signature_family::eddsa:
      break;
  }
  return nullptr;
}

}  // namespace jot_bench
