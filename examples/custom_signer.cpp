// A private key that jot never sees: tokens are signed by a key-management service (here an
// in-process stand-in for an HSM or a cloud KMS) through jot's pluggable signer interface.
#include <atomic>
#include <iostream>
#include <memory>
#include <string>

#include <jot/jot.hpp>

namespace {

// Stand-in for a remote KMS: it holds the private key and exposes only "sign" and "public key".
class key_management_service {
 public:
  key_management_service() : key_(jot::signing_key::generate(jot::algorithm::es256).value()) {}

  std::string sign(std::string_view message) {
    ++sign_calls_;
    return key_.implementation().sign(message).value();
  }
  jot::verification_key public_key() const { return key_.verification_key().value(); }
  int sign_calls() const { return sign_calls_; }

 private:
  jot::signing_key key_;
  std::atomic<int> sign_calls_{0};
};

// The adapter jot calls. Errors from the service become jot errors, never exceptions.
class kms_signer final : public jot::signer {
 public:
  explicit kms_signer(std::shared_ptr<key_management_service> kms) : kms_(std::move(kms)) {}
  jot::algorithm alg() const noexcept override { return jot::algorithm::es256; }
  jot::result<std::string> sign(std::string_view signing_input) const override {
    try {
      return kms_->sign(signing_input);
    } catch (...) {
      return jot::errc::crypto_failure;
    }
  }

 private:
  std::shared_ptr<key_management_service> kms_;
};

}  // namespace

int main() {
  using namespace std::chrono_literals;
  auto kms = std::make_shared<key_management_service>();
  auto key = jot::signing_key::from_signer(std::make_shared<kms_signer>(kms))
                 .value()
                 .with_key_id("kms-key-1")
                 .value();

  auto claims = jot::claims::builder{}.subject("service-a").expires_in(5min).build().value();
  auto token = jot::encoder{key}.sign(claims);
  if (!token) {
    std::cerr << "sign: " << token.error().message() << "\n";
    return 1;
  }

  // Verifiers only ever get the public key.
  auto verifier = jot::verifier::builder{}
                      .add_key(kms->public_key().with_key_id("kms-key-1").value())
                      .build()
                      .value();
  auto verified = verifier.verify(*token);
  if (!verified) {
    std::cerr << "rejected: " << verified.error().message() << "\n";
    return 1;
  }
  std::cout << "signed by the KMS (" << kms->sign_calls()
            << " call), verified: alg=" << jot::algorithm_name(verified->alg())
            << " kid=" << *verified->key_id() << " sub=" << *verified->claims().subject() << "\n";
  return 0;
}
