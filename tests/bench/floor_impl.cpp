// The strict floor (floor.hpp) as a benchmarked implementation.

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "bench.hpp"
#include "floor.hpp"

namespace jot_bench {
namespace {

class floor_implementation final : public token_implementation {
 public:
  floor_implementation(const jws_algorithm& alg, strict_floor::prekeyed_signature signing_key,
                       strict_floor::prekeyed_signature verification_key)
      : signer_(alg, std::move(signing_key)), verifier_(alg, std::move(verification_key)) {}

  std::string sign(const token_claims& claims) const override {
    return signer_.sign(payload_json(claims)).value_or(std::string());
  }

  bool verify(const std::string& token, const token_claims& expected) const override {
    const auto payload = verifier_.verify(token);
    if (!payload) return false;
    const auto sub = payload->find("sub");
    const auto roles = payload->find("roles");
    return sub != payload->end() && sub->is_string() &&
           sub->get_ref<const std::string&>() == expected.subject && roles != payload->end() &&
           roles_equal(*roles, expected.roles);
  }

 private:
  strict_floor::strict_jwt signer_;
  strict_floor::strict_jwt verifier_;
};

}  // namespace

std::optional<signature_keys> make_signature_keys(const jws_algorithm& alg,
                                                  const key_material& key) {
  using strict_floor::prekeyed_signature;
  const bool is_hmac = alg.family == strict_floor::signature_family::hmac;
  auto signing = is_hmac ? prekeyed_signature::hmac(alg, key.secret)
                         : prekeyed_signature::from_pem(alg, key.private_pem, true);
  auto verification = is_hmac ? prekeyed_signature::hmac(alg, key.secret)
                              : prekeyed_signature::from_pem(alg, key.public_pem, false);
  if (!signing || !verification) return std::nullopt;
  return signature_keys{std::move(*signing), std::move(*verification)};
}

std::unique_ptr<token_implementation> make_floor(const jws_algorithm& alg,
                                                 const key_material& key) {
  auto keys = make_signature_keys(alg, key);
  if (!keys) return nullptr;
  return std::make_unique<floor_implementation>(alg, std::move(keys->signing),
                                                std::move(keys->verification));
}

}  // namespace jot_bench
