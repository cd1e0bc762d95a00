// The DPoP benchmarks' implementations (dpop.hpp). The Redis part is compiled only when jot_bench
// links jot::redis (JOT_BENCH_HAVE_REDIS).

#include "dpop.hpp"

#include <unistd.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <jot/dpop.hpp>
#include <jot/jot.hpp>
#ifdef JOT_BENCH_HAVE_REDIS
#include <jot/redis/redis.hpp>
#endif

namespace jot_bench {
namespace {

constexpr const char* method = "GET";
constexpr const char* uri = "https://api.example.com/orders";
// An access token of the size jot's session tokens have: the proof carries its hash (`ath`).
const std::string& access_token() {
  static const std::string token =
      "eyJhbGciOiJFUzI1NiJ9." + std::string(420, 'a') + "." + std::string(86, 's');
  return token;
}

// What a run verifies: dpop_proofs_per_run proofs by one key, fresh jtis, signed now (a proof is
// accepted for a minute after its iat, and a report runs for longer than that).
struct proof_pool {
  jot::signing_key key = jot::signing_key::generate(jot::algorithm::es256).value();
  std::vector<std::string> proofs;
  // The signing input and signature of each (the floor's operands), decoded once.
  std::vector<std::pair<std::string, std::string>> signed_parts;

  bool sign() {
    auto signer = jot::dpop::proof_signer::create(key);
    if (!signer) return false;
    proofs.clear();
    signed_parts.clear();
    for (std::size_t i = 0; i < dpop_proofs_per_run; ++i) {
      auto proof = signer->sign(method, uri, access_token());
      if (!proof) return false;
      const auto dot = proof->rfind('.');
      auto signature = jot::base64url_decode(proof->substr(dot + 1));
      if (!signature) return false;
      signed_parts.emplace_back(proof->substr(0, dot), std::move(*signature));
      proofs.push_back(std::move(*proof));
    }
    return true;
  }
};

jot::dpop::request request_for(const std::string& proof) {
  return {method, uri, {proof}, access_token()};
}

// A verifier whose replay store `make_store()` makes anew for each run, on proofs signed anew.
dpop_implementation verifying(
    std::string name, std::function<std::shared_ptr<jot::dpop::replay_store>()> make_store) {
  auto verifier = std::make_shared<std::optional<jot::dpop::verifier>>();
  auto pool = std::make_shared<proof_pool>();
  dpop_implementation out;
  out.name = std::move(name);
  out.start_run = [verifier, pool, make_store] {
    if (!pool->sign()) return false;
    auto store = make_store();
    if (!store) return false;
    auto built = jot::dpop::verifier::builder{}.replay_store(std::move(store)).build();
    if (!built) return false;
    verifier->emplace(std::move(*built));
    return true;
  };
  out.verify = [verifier, pool](std::size_t i) {
    return static_cast<bool>((*verifier)->verify(request_for(pool->proofs[i])));
  };
  // The checks, on a run of their own.
  const auto other =
      jot::dpop::proof_signer::create(jot::signing_key::generate(jot::algorithm::es256).value());
  if (!out.start_run() || !other) {
    out.failures.push_back("cannot be made");
    return out;
  }
  const auto& checked = **verifier;
  const auto first = checked.verify(request_for(pool->proofs[0]));
  const auto again = checked.verify(request_for(pool->proofs[0]));
  const auto by_other =
      checked.verify(request_for(other->sign(method, uri, access_token()).value()));
  const std::string elsewhere =
      other->sign(method, "https://api.example.com/admin", access_token()).value();
  const auto wrong_uri = checked.verify(request_for(elsewhere));
  if (!first) out.failures.push_back("a fresh proof is refused: " + first.error().message());
  if (again.error() != jot::errc::dpop_proof_replayed) {
    out.failures.push_back("a replayed proof is not refused as dpop_proof_replayed");
  }
  if (!by_other) out.failures.push_back("another key's proof is refused");
  if (wrong_uri.error() != jot::errc::dpop_uri_mismatch) {
    out.failures.push_back("a proof for another URI is not refused as dpop_uri_mismatch");
  }
  return out;
}

}  // namespace

dpop_setup make_dpop_benchmarks(const std::optional<redis_address>& redis) {
  dpop_setup setup;
  const auto pool = std::make_shared<proof_pool>();
  if (!pool->sign()) {
    setup.implementations.push_back({"floor", {"cannot sign the proofs"}, {}, {}});
    return setup;
  }
  setup.proof_bytes = pool->proofs.front().size();

  // The floor: the signature alone, with the key already imported (the verifier imports the
  // proof's jwk for every proof; that is part of what the floor leaves out).
  auto public_key = std::make_shared<jot::verification_key>(pool->key.verification_key().value());
  dpop_implementation floor;
  floor.name = "floor";
  floor.start_run = [] { return true; };
  floor.verify = [public_key, pool](std::size_t i) {
    const auto& [input, signature] = pool->signed_parts[i];
    return static_cast<bool>(public_key->implementation().verify(input, signature));
  };
  if (!floor.verify(0)) floor.failures.push_back("the bare signature does not verify");
  setup.implementations.push_back(std::move(floor));

  setup.implementations.push_back(verifying("jot-memory", [] {
    return std::make_shared<jot::dpop::memory_replay_store>(2 * dpop_proofs_per_run);
  }));

#ifdef JOT_BENCH_HAVE_REDIS
  if (redis) {
    jot::redis::connection_options options;
    options.host = redis->host;
    options.port = redis->port;
    const std::shared_ptr<jot::redis::client> client = jot::redis::make_client(options);
    auto runs = std::make_shared<std::atomic<int>>(0);
    setup.implementations.push_back(verifying("jot-redis", [client, runs] {
      // A prefix per process and run: runs sharing a server do not see each other's proofs.
      jot::redis::store_options store;
      store.key_prefix =
          "jot-bench-dpop:" + std::to_string(::getpid()) + ":" + std::to_string(++*runs) + ":";
      return std::make_shared<jot::redis::dpop_replay_store>(client, store);
    }));
    if (const auto ping = client->health_check(); !ping) {
      setup.implementations.back().failures.push_back("Redis does not answer: " +
                                                      ping.error().message());
    }
  }
#else
  static_cast<void>(redis);
#endif
  return setup;
}

}  // namespace jot_bench
