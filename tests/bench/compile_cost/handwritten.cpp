// Compile-cost twin of with_jot.cpp: the same job (sign an access token with HS256, verify it,
// read `sub` and `roles`) hand-written on nlohmann/json and OpenSSL 3: the benchmark's strict
// floor. tools/bench-report.py compiles both with the bench build's flags and compares time and
// peak memory.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "../floor.hpp"

namespace strict_floor = jot_bench::strict_floor;

std::optional<std::string> issue_and_check(std::string_view secret, std::int64_t now) {
  const strict_floor::jws_algorithm& hs256 = strict_floor::jws_algorithms[0];
  auto signing = strict_floor::prekeyed_signature::hmac(hs256, secret);
  auto verification = strict_floor::prekeyed_signature::hmac(hs256, secret);
  if (!signing || !verification) return std::nullopt;
  const strict_floor::strict_jwt signer(hs256, std::move(*signing));
  const strict_floor::strict_jwt verifier(hs256, std::move(*verification));
  const auto token = signer.sign({{"sub", "user-42"},
                                  {"iat", now},
                                  {"exp", now + 900},
                                  {"type", "access"},
                                  {"roles", {"admin", "billing"}}});
  if (!token) return std::nullopt;
  const auto payload = verifier.verify(*token);
  if (!payload || !payload->contains("roles")) return std::nullopt;
  const auto sub = payload->find("sub");
  if (sub == payload->end() || !sub->is_string()) return std::nullopt;
  return sub->get<std::string>();
}
