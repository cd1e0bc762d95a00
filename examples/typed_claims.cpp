// Typed claims: an application's own claims struct goes into a token through the builder and
// comes back out of a verified token as the same struct, through nlohmann's to_json / from_json.
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include <jot/jot.hpp>

namespace shop {

// What the order service needs to know about a caller, as it wants to read it.
struct access {
  std::vector<std::string> roles;
  std::string scope;
};

void to_json(nlohmann::json& j, const access& a) { j = {{"roles", a.roles}, {"scope", a.scope}}; }
// at() and get_to() throw on a missing member or another type; claims().as<access>() turns that
// into errc::invalid_claim_type, so nothing escapes to the request handler.
void from_json(const nlohmann::json& j, access& a) {
  j.at("roles").get_to(a.roles);
  j.at("scope").get_to(a.scope);
}

// The same shape with a member the builder must refuse.
struct leaky_access {
  std::string scope;
  std::string password;
};
void to_json(nlohmann::json& j, const leaky_access& a) {
  j = {{"scope", a.scope}, {"debug", {{"password", a.password}}}};
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

}  // namespace shop

int main() {
  using namespace std::chrono_literals;

  auto key = jot::signing_key::generate(jot::algorithm::es256);
  if (!key) {
    std::cerr << "key: " << key.error().message() << "\n";
    return 1;
  }

  // 1. Into the token: claims() merges the struct's members, each checked as claim() checks one
  //    (registered names, sensitive names at any depth, NaN, UTF-8).
  const shop::access granted{{"admin", "dev"}, "orders:read orders:write"};
  auto claims = jot::claims::builder{}.subject("user-42").claims(granted).expires_in(15min).build();
  if (!claims) {
    std::cerr << "claims: " << claims.error().message() << "\n";
    return 1;
  }
  auto token = jot::encoder{*key}.sign(*claims);
  if (!token) {
    std::cerr << "sign: " << token.error().message() << "\n";
    return 1;
  }

  // 2. Out of a verified token, as the struct.
  auto verifier = jot::verifier::builder{}.add_key(key->verification_key().value()).build();
  if (!verifier) {
    std::cerr << "verifier: " << verifier.error().message() << "\n";
    return 1;
  }
  auto verified = verifier->verify(*token);
  if (!verified) {
    std::cerr << "rejected: " << verified.error().message() << "\n";
    return 1;
  }
  auto access = verified->claims().as<shop::access>();
  if (!access) {
    std::cerr << "claims: " << access.error().message() << "\n";
    return 1;
  }
  std::cout << "read back: sub=" << *verified->claims().subject()
            << " roles=" << shop::joined(access->roles) << " scope=" << access->scope << "\n";

  // 3. A token whose claims do not have the struct's shape is an error, not an exception.
  auto other = jot::claims::builder{}.claim("roles", "admin").expires_in(15min).build();
  if (!other) return 1;
  std::cout << "another shape: " << jot::errc_name(other->as<shop::access>().error()) << "\n";

  // 4. A struct that would put a password into the token is refused when it is built.
  auto leaky =
      jot::claims::builder{}.claims(shop::leaky_access{"orders:read", "hunter2"}).expires_in(15min);
  std::cout << "a nested password: " << jot::errc_name(leaky.build().error()) << "\n";
  return 0;
}
