// Compile-cost twin of handwritten.cpp: the same job (sign an access token with HS256, verify it,
// read `sub` and `roles`) with jot's encoder and verifier, including <jot/jot.hpp> as the README
// tells users to. tools/bench-report.py compiles both with the bench build's flags and compares
// time and peak memory.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <jot/jot.hpp>

std::optional<std::string> issue_and_check(std::string_view secret, std::int64_t now) {
  const auto key = jot::signing_key::hs256(jot::secret_bytes(secret));
  if (!key) return std::nullopt;
  const jot::sys_seconds issued_at{std::chrono::seconds(now)};
  const auto claims = jot::claims::builder{}
                          .subject("user-42")
                          .issued_at(issued_at)
                          .expires_at(issued_at + std::chrono::seconds(900))
                          .claim("type", "access")
                          .claim("roles", {"admin", "billing"})
                          .build();
  if (!claims) return std::nullopt;
  const auto token = jot::encoder{*key}.sign(*claims);
  const auto public_key = key->verification_key();
  if (!token || !public_key) return std::nullopt;
  const auto verifier = jot::verifier::builder{}.add_key(*public_key).build();
  if (!verifier) return std::nullopt;
  const auto verified = verifier->verify(*token);
  if (!verified || !verified->claims().contains("roles")) return std::nullopt;
  const auto sub = verified->claims().subject();
  if (!sub) return std::nullopt;
  return std::string(*sub);
}
