// Quick start: sign an access token, then verify it the way a service does on every request.
#include <chrono>
#include <iostream>

#include <jot/jot.hpp>

int main() {
  using namespace std::chrono_literals;

  // 1. A key bound to one algorithm. generate() draws a hash-length secret from the CSPRNG;
  //    load yours with jot::signing_key::hs256(jot::secret_bytes(bytes)) (32+ bytes, or weak_key).
  auto key = jot::signing_key::generate(jot::algorithm::hs256);
  if (!key) {
    std::cerr << "key: " << key.error().message() << "\n";
    return 1;
  }

  // 2. Claims. build() refuses a token without an expiry decision and sensitive claim names.
  auto claims = jot::claims::builder{}
                    .issuer("https://auth.example.com")
                    .subject("user-42")
                    .audience("https://api.example.com")
                    .expires_in(15min)
                    .claim("scope", "orders:read")
                    .build();
  if (!claims) {
    std::cerr << "claims: " << claims.error().message() << "\n";
    return 1;
  }
  auto token = jot::encoder{*key}.sign(*claims);
  if (!token) {
    std::cerr << "sign: " << token.error().message() << "\n";
    return 1;
  }
  std::cout << "token: " << *token << "\n";

  // 3. A verifier: its allowlist is exactly the keys it holds; its validator, the claims it
  //    expects. Build it once at start-up and share it between threads.
  auto verifier = jot::verifier::builder{}
                      .add_key(key->verification_key().value())
                      .validator(jot::validator::builder{}
                                     .expect_issuer("https://auth.example.com")
                                     .expect_audience("https://api.example.com")
                                     .build())
                      .build();
  if (!verifier) {
    std::cerr << "verifier: " << verifier.error().message() << "\n";
    return 1;
  }

  // 4. Verify. A result is checked before use; the error names the exact reason.
  auto verified = verifier->verify(*token);
  if (!verified) {
    std::cerr << "rejected: " << verified.error().message() << "\n";
    return 1;
  }
  std::cout << "verified: sub=" << *verified->claims().subject()
            << " scope=" << verified->claims().find("scope")->get<std::string>() << "\n";

  // A tampered token is rejected with a specific reason, never with a crash or an exception.
  std::string tampered = *token;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  auto rejected = verifier->verify(tampered);
  std::cout << "tampered: " << jot::errc_name(rejected.error()) << " ("
            << rejected.error().message() << ")\n";
  return rejected.error() == jot::errc::invalid_signature ? 0 : 1;
}
