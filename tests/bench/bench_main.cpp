// jot_bench: jot against the strict floor, the bare signature and the peer libraries found at
// configure time, on one token per algorithm (tools/bench-report.py runs it and writes the
// report). Benchmarks are named <op>/<ALG>/<impl>:
//   sign/<ALG>/<impl>, verify/<ALG>/<impl>   impl: jot, floor, crypto, and cpp-jwt, libjwt; and
//                                            for EdDSA on libsodium, sodium (sodium_crypto.hpp)
//   verify_jwks<N>/<ALG>/jot                 jot choosing the key by kid in an N-key JWKS
//   verify_throughput/<ALG>/<impl>/real_time/threads:<1|2>   items/s, jot and floor
//   verify_jti/HS256/jot                     jot on the same claims plus a jti
//   verify_revocation/HS256/<impl>           that token against a blocklist (revocation.hpp):
//                                            jot-memory; with --redis, jot-redis, jot-redis-cached
//   session_<issue_pair|refresh|authenticate>/HS256/<stores>   jot::session_manager (session.hpp):
//                                            memory; with --redis, redis, redis-cached
//   session_baseline_<verify|sign_pair>/HS256/jot   their yardsticks
//   verify_dpop/ES256/<impl>                 a DPoP proof with its replay check (dpop.hpp): the
//                                            floor (its signature alone), jot-memory; with
//                                            --redis, jot-redis
//   decrypt/<alg+enc>/<jot|floor>, decrypt_and_verify/dir+A256GCM+HS256/<jot|floor+jot-verify>
//                                            encrypted tokens (jwe_bench.cpp)
// Each reports `allocs` (operator new) and `openssl_allocs` per operation.
// Every implementation is checked before anything is timed; a failing check ends the run with
// exit status 1. `--check-only` runs the checks alone (the CTest jot_bench_check).
// The cross-language harnesses (tests/bench/<language>/) share its keys and tokens through a
// fixture file (fixture.hpp): `--write-fixture=PATH` writes this run's after the checks and stops;
// `--fixture=PATH` checks and times on that file's; `--check-tokens=PATH` (a JSON object of
// "<ALG>": token, the tokens a harness signed) has the strict floor verify each token with the
// canonical claims, says on stderr which it rejects and stops, with exit status 1 if any.
// `--redis=HOST:PORT` adds the Redis blocklist, on that server (tools/run-bench.sh starts one);
// only in a build that links jot::redis.

#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "allocation_counter.hpp"
#include "bench.hpp"
#include "checks.hpp"
#include "dpop.hpp"
#include "fixture.hpp"
#include "floor.hpp"
#include "jwe_bench.hpp"
#include "revocation.hpp"
#include "session.hpp"
#include "sodium_crypto.hpp"

namespace jot_bench {
namespace {

struct library {
  const char* name;
  implementation_factory make;
  bool implements_every_algorithm;  // else a missing algorithm is a cell left out, not a failure
  // Verify throughput with one and two threads: jot's, and the floor's as the measure of what
  // this machine gives a second thread.
  bool throughput_measured;
};

constexpr library libraries[] = {
    {"jot", make_jot, true, true},
    {"floor", make_floor, true, true},
#ifdef JOT_BENCH_HAVE_CPP_JWT
    {"cpp-jwt", make_cpp_jwt, false, false},
#endif
#ifdef JOT_BENCH_HAVE_LIBJWT
    {"libjwt", make_libjwt, false, false},
#endif
};

struct library_implementation {
  const library* of;
  std::unique_ptr<token_implementation> implementation;
};

struct key_set_implementation {
  std::size_t size;
  std::unique_ptr<token_implementation> implementation;
};

// The one algorithm with revocation benchmarks (revocation.hpp says why).
constexpr std::string_view revocation_algorithm = "HS256";

// Everything measured for one algorithm; made once, then only read (also by two threads).
struct measured_algorithm {
  algorithm_fixture fixture;
  std::vector<library_implementation> implementations;
  std::vector<key_set_implementation> jot_key_sets;
  std::optional<signature_keys> crypto;
  // revocation_algorithm only: jot's plain verifier on the jti token, the yardstick of the
  // blocklists, and jot with each blocklist.
  std::unique_ptr<token_implementation> jot_jti;
  revocation_setup revocations;
  session_setup sessions;                  // revocation_algorithm only, too
  std::optional<sodium_signature> sodium;  // EdDSA on libsodium only
};

// The outcome of the checks, printed as they are recorded.
class check_log {
 public:
  void record(const std::string& name, const std::vector<std::string>& failures) {
    ++checked_;
    for (const auto& failure : failures) {
      std::fprintf(stderr, "FAILED %s: %s\n", name.c_str(), failure.c_str());
      passed_ = false;
    }
  }
  void left_out(const std::string& name) { left_out_ += (left_out_.empty() ? "" : ", ") + name; }
  bool passed() const { return passed_; }
  std::size_t checked() const { return checked_; }
  // The implementations a peer does not have ("cpp-jwt/PS256, ..."), or "none".
  std::string left_out() const { return left_out_.empty() ? "none" : left_out_; }

 private:
  bool passed_ = true;
  std::size_t checked_ = 0;
  std::string left_out_;
};

const std::vector<std::string> cannot_be_made = {"cannot be made"};

// The revocation benchmarks' implementations of the algorithm `measured` is about, checked: each
// on the jti token like every implementation, and its twin, whose blocklist holds that token's
// jti, must reject it.
void set_up_revocations(measured_algorithm& measured, const token_implementation& reference,
                        const std::optional<redis_address>& redis, check_log& log) {
  const algorithm_fixture& fix = measured.fixture;
  const std::string prefix = std::string(fix.alg->name) + "/";
  measured.jot_jti = make_jot(*fix.alg, fix.key);
  log.record(prefix + "jot (jti token)",
             measured.jot_jti ? check_implementation(*measured.jot_jti, fix.jti_tokens, reference)
                              : cannot_be_made);
  measured.revocations = make_jot_revocations(*fix.alg, fix.key, redis);
  for (const auto& entry : measured.revocations.implementations) {
    std::vector<std::string> failures = entry.failures;
    if (failures.empty()) {
      failures = check_implementation(*entry.timed, fix.jti_tokens, reference);
      for (auto& failure : check_revoked(*entry.revoked, fix.jti_tokens)) {
        failures.push_back(std::move(failure));
      }
    }
    log.record(prefix + entry.name, failures);
  }
  measured.sessions = make_session_benchmarks(*fix.alg, fix.key, redis);
  log.record(prefix + "session yardsticks", measured.sessions.failures);
  for (const auto& stores : measured.sessions.stores) {
    log.record(prefix + "session manager on " + stores.name, stores.failures);
  }
}

// Makes every implementation of `alg` and checks it; nullopt when not even the fixture or the
// reference (the floor) can be made.
std::optional<measured_algorithm> set_up(const jws_algorithm& alg,
                                         const std::optional<redis_address>& redis,
                                         check_log& log) {
  const std::string prefix = std::string(alg.name) + "/";
  auto fixture = make_fixture(alg);
  auto reference = fixture ? make_floor(alg, fixture->key) : nullptr;
  if (!reference) {
    log.record(prefix + "fixture", cannot_be_made);
    return std::nullopt;
  }
  measured_algorithm measured{std::move(*fixture), {}, {}, std::nullopt, nullptr, {}, {}, {}};
  const algorithm_fixture& fix = measured.fixture;
  for (const library& lib : libraries) {
    auto implementation = lib.make(alg, fix.key);
    if (implementation) {
      log.record(prefix + lib.name, check_implementation(*implementation, fix.tokens, *reference));
      measured.implementations.push_back({&lib, std::move(implementation)});
    } else if (lib.implements_every_algorithm) {
      log.record(prefix + lib.name, cannot_be_made);
    } else {
      log.left_out(std::string(lib.name) + "/" + alg.name);
    }
  }
  for (const std::size_t size : jwks_sizes) {
    auto implementation = make_jot_jwks(alg, fix.key, size);
    const std::string name = prefix + "jot-jwks" + std::to_string(size);
    if (!implementation) {
      log.record(name, cannot_be_made);
      continue;
    }
    log.record(name, check_implementation(*implementation, fix.kid_tokens, *reference));
    measured.jot_key_sets.push_back({size, std::move(implementation)});
  }
  measured.crypto = make_signature_keys(alg, fix.key);
  log.record(prefix + "crypto", measured.crypto
                                    ? check_signature(measured.crypto->signing,
                                                      measured.crypto->verification, fix.tokens)
                                    : cannot_be_made);
  if (alg.name == revocation_algorithm) set_up_revocations(measured, *reference, redis, log);
#ifdef JOT_ED25519_LIBSODIUM
  if (alg.family == strict_floor::signature_family::eddsa) {
    measured.sodium = make_sodium_signature(fix.key, fix.tokens.valid);
    log.record(prefix + "sodium", measured.sodium ? std::vector<std::string>{} : cannot_be_made);
  }
#endif
  return measured;
}

// Runs `operation` (returning false on failure) as the timed loop, and reports the allocations
// it made per iteration.
template <typename Operation>
void measure(benchmark::State& state, const Operation& operation) {
  const allocation_counts before = allocations_so_far();
  for (auto _ : state) {
    if (!operation()) {
      state.SkipWithError("the operation failed");
      break;
    }
  }
  const allocation_counts after = allocations_so_far();
  using benchmark::Counter;
  state.counters["allocs"] =
      Counter(static_cast<double>(after.cpp - before.cpp), Counter::kAvgIterations);
  state.counters["openssl_allocs"] =
      Counter(static_cast<double>(after.openssl - before.openssl), Counter::kAvgIterations);
}

benchmark::internal::Benchmark* register_sign(const std::string& name,
                                              const token_implementation& implementation) {
  return benchmark::RegisterBenchmark(name.c_str(), [&implementation](benchmark::State& state) {
    measure(state, [&] {
      std::string token = implementation.sign(canonical_claims());
      benchmark::DoNotOptimize(token);
      return !token.empty();
    });
  });
}

benchmark::internal::Benchmark* register_verify(const std::string& name,
                                                const token_implementation& implementation,
                                                const std::string& token) {
  return benchmark::RegisterBenchmark(
      name.c_str(), [&implementation, &token](benchmark::State& state) {
        measure(state, [&] { return implementation.verify(token, canonical_claims()); });
        state.SetItemsProcessed(state.iterations());
      });
}

// An operation that returns false on failure (the session and sodium rows); an empty one (a setup
// that failed its checks, which already ended the run) is not registered.
void register_operation(const std::string& name, const std::function<bool()>& operation) {
  if (!operation) return;
  benchmark::RegisterBenchmark(
      name.c_str(), [&operation](benchmark::State& state) { measure(state, operation); });
}

void register_signature(const std::string& sign_name, const std::string& verify_name,
                        const signature_keys& keys, const token_variants& tokens) {
  const auto segments = strict_floor::split(tokens.valid);
  const std::string input(segments->signing_input);
  const std::string signature = strict_floor::base64url_decode(segments->signature).value();
  benchmark::RegisterBenchmark(sign_name.c_str(), [&keys, input](benchmark::State& state) {
    measure(state, [&] {
      auto signature = keys.signing.sign(input);
      benchmark::DoNotOptimize(signature);
      return signature.has_value();
    });
  });
  benchmark::RegisterBenchmark(
      verify_name.c_str(), [&keys, input, signature](benchmark::State& state) {
        measure(state, [&] { return keys.verification.verify(input, signature); });
      });
}

void register_benchmarks(const std::vector<measured_algorithm>& algorithms) {
  for (const measured_algorithm& measured : algorithms) {
    const std::string alg = measured.fixture.alg->name;
    for (const auto& entry : measured.implementations) {
      register_sign("sign/" + alg + "/" + entry.of->name, *entry.implementation);
    }
    register_signature("sign/" + alg + "/crypto", "verify/" + alg + "/crypto", *measured.crypto,
                       measured.fixture.tokens);
    if (measured.sodium) {
      register_operation("sign/" + alg + "/sodium", measured.sodium->sign);
      register_operation("verify/" + alg + "/sodium", measured.sodium->verify);
    }
    for (const auto& entry : measured.implementations) {
      register_verify("verify/" + alg + "/" + entry.of->name, *entry.implementation,
                      measured.fixture.tokens.valid);
    }
    for (const auto& key_set : measured.jot_key_sets) {
      register_verify("verify_jwks" + std::to_string(key_set.size) + "/" + alg + "/jot",
                      *key_set.implementation, measured.fixture.kid_tokens.valid);
    }
    // Not UseRealTime(), which would rename them: the report reads their real_time (a Redis
    // round trip is mostly waiting, which CPU time leaves out) from the same rows.
    if (measured.jot_jti) {
      register_verify("verify_jti/" + alg + "/jot", *measured.jot_jti,
                      measured.fixture.jti_tokens.valid);
    }
    for (const auto& entry : measured.revocations.implementations) {
      register_verify("verify_revocation/" + alg + "/" + entry.name, *entry.timed,
                      measured.fixture.jti_tokens.valid);
    }
    register_operation("session_baseline_verify/" + alg + "/jot", measured.sessions.plain_verify);
    register_operation("session_baseline_sign_pair/" + alg + "/jot", measured.sessions.sign_pair);
    for (const auto& stores : measured.sessions.stores) {
      const std::string suffix = "/" + alg + "/" + stores.name;
      register_operation("session_issue_pair" + suffix, stores.issue_pair);
      register_operation("session_refresh" + suffix, stores.refresh);
      register_operation("session_authenticate" + suffix, stores.authenticate);
    }
    for (const auto& entry : measured.implementations) {
      if (!entry.of->throughput_measured) continue;
      register_verify("verify_throughput/" + alg + "/" + entry.of->name, *entry.implementation,
                      measured.fixture.tokens.valid)
          ->Threads(1)
          ->Threads(2)
          ->UseRealTime();
    }
  }
}

// The DPoP benchmarks (dpop.hpp): each run verifies the pool's proofs once each, one per
// iteration, against a fresh replay store.
void register_dpop(const dpop_setup& setup) {
  for (const auto& entry : setup.implementations) {
    benchmark::RegisterBenchmark(("verify_dpop/ES256/" + entry.name).c_str(),
                                 [&entry](benchmark::State& state) {
                                   if (!entry.start_run()) {
                                     state.SkipWithError("cannot start a run");
                                     return;
                                   }
                                   std::size_t next = 0;
                                   measure(state, [&] { return entry.verify(next++); });
                                   state.SetItemsProcessed(state.iterations());
                                 })
        ->Iterations(static_cast<benchmark::IterationCount>(dpop_proofs_per_run));
  }
}

// Removes `flag` from argv (Google Benchmark rejects flags it does not know); true when present.
bool take_flag(int& argc, char** argv, const char* flag) {
  bool found = false;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], flag) == 0) {
      found = true;
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  return found;
}

// Removes every `name`=VALUE and bare `name` from argv; the last one's value ("" when bare), or
// nullopt when there is none.
std::optional<std::string> take_option(int& argc, char** argv, std::string_view name) {
  std::optional<std::string> value;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    if (argument == name) {
      value = "";
    } else if (argument.size() > name.size() && argument.substr(0, name.size()) == name &&
               argument[name.size()] == '=') {
      value = std::string(argument.substr(name.size() + 1));
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  return value;
}

// The server of `--redis=HOST:PORT`, in `redis`; false (having said why) when the option is
// malformed or this build has no jot::redis.
bool redis_option(int& argc, char** argv, std::optional<redis_address>& redis) {
  const auto text = take_option(argc, argv, "--redis");
  if (!text) return true;
#ifdef JOT_BENCH_HAVE_REDIS
  redis = parse_redis_address(*text);
  if (!redis) std::fprintf(stderr, "--redis expects HOST:PORT, not \"%s\"\n", text->c_str());
  return redis.has_value();
#else
  static_cast<void>(redis);
  std::fprintf(stderr,
               "--redis: this jot_bench was built without jot::redis (no hiredis, or "
               "JOT_BUILD_REDIS=OFF); install libhiredis-dev and configure with "
               "-DJOT_BUILD_REDIS=ON\n");
  return false;
#endif
}

// --write-fixture: the fixtures of every algorithm set up.
bool write_fixtures(const std::string& path, const std::vector<measured_algorithm>& algorithms) {
  std::vector<const algorithm_fixture*> fixtures;
  for (const auto& measured : algorithms) fixtures.push_back(&measured.fixture);
  return write_fixture_file(path, fixtures);
}

// --check-tokens: the strict floor, the reference of check_implementation, must accept each token
// of the file with the canonical claims.
bool check_signed_tokens(const std::string& path,
                         const std::vector<measured_algorithm>& algorithms) {
  const auto tokens = read_json_file(path);
  if (!tokens) return false;
  if (!tokens->is_object()) {
    std::fprintf(stderr, "%s: expected a JSON object of \"<ALG>\": token\n", path.c_str());
    return false;
  }
  bool all_accepted = true;
  for (const auto& [alg, token] : tokens->items()) {
    const token_implementation* reference = nullptr;
    for (const auto& measured : algorithms) {
      if (measured.fixture.alg->name != alg) continue;
      for (const auto& entry : measured.implementations) {
        if (std::string_view(entry.of->name) == "floor") reference = entry.implementation.get();
      }
    }
    const bool accepted = reference != nullptr && token.is_string() &&
                          reference->verify(token.get<std::string>(), canonical_claims());
    std::fprintf(stderr, "%s: %s\n", alg.c_str(),
                 accepted ? "accepted by the floor" : "REJECTED by the floor");
    all_accepted = all_accepted && accepted;
  }
  return all_accepted;
}

}  // namespace
}  // namespace jot_bench

int main(int argc, char** argv) {
  // First: OpenSSL takes its memory functions only before its first allocation.
  if (!jot_bench::count_openssl_allocations()) {
    std::fprintf(stderr, "cannot count OpenSSL's allocations: it allocated before main()\n");
    return 1;
  }
  const bool check_only = jot_bench::take_flag(argc, argv, "--check-only");
  const auto fixture_in = jot_bench::take_option(argc, argv, "--fixture");
  const auto fixture_out = jot_bench::take_option(argc, argv, "--write-fixture");
  const auto signed_tokens = jot_bench::take_option(argc, argv, "--check-tokens");
  std::optional<jot_bench::redis_address> redis;
  if (!jot_bench::redis_option(argc, argv, redis)) return 1;
  if (fixture_in && !jot_bench::use_fixture_file(*fixture_in)) return 1;
  std::vector<jot_bench::measured_algorithm> algorithms;
  jot_bench::check_log log;
  std::string redis_server = "not measured (no --redis)";
  for (const auto& alg : jot_bench::strict_floor::jws_algorithms) {
    auto measured = jot_bench::set_up(alg, redis, log);
    if (!measured) continue;
    if (!measured->revocations.redis_server.empty()) {
      redis_server = measured->revocations.redis_server;
    }
    algorithms.push_back(std::move(*measured));
  }
  const auto dpop = jot_bench::make_dpop_benchmarks(redis);
  for (const auto& entry : dpop.implementations) {
    log.record("verify_dpop/ES256/" + entry.name, entry.failures);
  }
  std::fprintf(stderr, "checks: %zu implementations %s; left out (the peer lacks them): %s\n",
               log.checked(), log.passed() ? "passed" : "FAILED", log.left_out().c_str());
  if (!jot_bench::set_up_jwe()) {
    std::fprintf(stderr, "checks: the encrypted-token rows FAILED\n");
    return 1;
  }
  if (!log.passed()) return 1;
  if (fixture_out) return jot_bench::write_fixtures(*fixture_out, algorithms) ? 0 : 1;
  if (signed_tokens) return jot_bench::check_signed_tokens(*signed_tokens, algorithms) ? 0 : 1;
  if (check_only) return 0;

  // The report's row order, and the cells it leaves out, come from the binary itself.
  std::string algorithm_names;
  for (const auto& alg : jot_bench::strict_floor::jws_algorithms) {
    algorithm_names += (algorithm_names.empty() ? "" : ",") + std::string(alg.name);
  }
  benchmark::AddCustomContext("jot_bench.algorithms", algorithm_names);
  benchmark::AddCustomContext("jot_bench.left_out", log.left_out());
  benchmark::AddCustomContext("jot_bench.peers", JOT_BENCH_PEERS);
  benchmark::AddCustomContext("jot_bench.revoked_jtis",
                              std::to_string(jot_bench::revoked_jti_count));
  benchmark::AddCustomContext("jot_bench.redis", redis_server);
#ifdef JOT_ED25519_LIBSODIUM
  benchmark::AddCustomContext("jot_bench.ed25519_backend", "libsodium");
#else
  benchmark::AddCustomContext("jot_bench.ed25519_backend", "OpenSSL");
#endif
  benchmark::AddCustomContext("jot_bench.redis_cache_staleness_ms",
                              std::to_string(jot_bench::redis_cache_staleness.count()));
  benchmark::AddCustomContext("jot_bench.dpop_proof_bytes", std::to_string(dpop.proof_bytes));
  jot_bench::register_benchmarks(algorithms);
  jot_bench::register_dpop(dpop);
  jot_bench::register_jwe_benchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
