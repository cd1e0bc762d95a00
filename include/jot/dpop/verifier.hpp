#pragma once

// jot::dpop::verifier: a DPoP proof (RFC 9449 §4.3) -> verified_proof, or the errc that says why
// not. Built by jot::dpop::verifier::builder (verifier_builder.hpp), immutable afterwards, cheap to
// copy and safe to share between threads.
//
// This is the one place in jot where the key that checks a signature comes from the token: the
// proof's `jwk` header. That is what a proof is, a signature by the key it names, and it proves
// only possession of that key; which key a token is bound to is the token's `cnf.jkt`, checked by
// check_binding() (<jot/session/dpop_binding.hpp>). jot::verifier never reads a `jwk` header
// (detail/header_checks.hpp), and nothing here is reachable from it: a proof is no token, and a
// token is no proof (`typ`).
//
// The check order. Each step's failure is the proof's rejection, with its own code:
//  - one proof: exactly one DPoP header value (missing_dpop_proof, multiple_dpop_proofs);
//  - size: at most max_proof_size bytes before any is read (dpop_proof_too_large);
//  - form: three canonical base64url segments, a strict JSON header without `crit`, `enc`, `zip`,
//    `b64: false` or a nested `cty` (malformed_dpop_proof);
//  - `typ`: dpop+jwt, RFC 9449 §11.5 (dpop_type_mismatch);
//  - `alg`: one of the verifier's asymmetric algorithms, never `none` or HS*
//    (dpop_algorithm_not_allowed);
//  - `jwk`: a public JWK (any private member: dpop_private_key) that imports as a key of that
//    algorithm, with jot's usual checks of curve, point and RSA size (invalid_dpop_key);
//  - signature: by that key, over the original bytes (invalid_dpop_signature);
//  - claims: a strict JSON object (malformed_dpop_proof) whose jti (non-empty), htm and htu are
//    strings, whose iat is a NumericDate, and whose ath and nonce, when present, are strings
//    (invalid_dpop_claim, naming the claim);
//  - htm: the request's method (dpop_method_mismatch);
//  - htu: the request's URI, both normalised (htu.hpp; dpop_uri_mismatch);
//  - iat: not later than now + the clock skew (dpop_proof_in_future), and now < iat + the maximum
//    proof age (dpop_proof_too_old);
//  - ath: with an access token, its hash (missing: invalid_dpop_claim; another:
//    dpop_ath_mismatch); without one, absent (dpop_ath_mismatch);
//  - nonce: with server nonces, a current or previous one (missing: dpop_nonce_required; another:
//    dpop_nonce_invalid);
//  - replay: the proof's key and jti never accepted before within the proof's window (the replay
//    store; dpop_proof_replayed), last, so that a refused proof never takes a store entry.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "jot/algorithm.hpp"
#include "jot/base64url.hpp"
#include "jot/detail/compact.hpp"
#include "jot/detail/header_checks.hpp"
#include "jot/dpop/detail/proof_key.hpp"
#include "jot/dpop/htu.hpp"
#include "jot/dpop/nonce.hpp"
#include "jot/dpop/proof.hpp"
#include "jot/dpop/replay_store.hpp"
#include "jot/dpop/verifier_builder.hpp"
#include "jot/json.hpp"
#include "jot/jwk.hpp"
#include "jot/key_set.hpp"
#include "jot/keys.hpp"
#include "jot/numeric_date.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace dpop {

// The size cap of a proof, checked before any byte of it is read: room for a proof whose `jwk` is
// the largest RSA key jot accepts (16384 bits).
inline constexpr std::size_t max_proof_size = 8 * 1024;

// Verifies DPoP proofs in the check order (the top of this file).
class verifier {
 public:
  // jot::dpop::verifier::builder{} makes one (verifier_builder.hpp).
  using builder = verifier_builder;

  // Never throws; every rejection is a specific errc (docs/errors.md; oauth_error() names the
  // RFC 9449 error of each). A replay store or nonce source that cannot answer fails closed
  // with its error (store_unavailable, store_full).
  result<verified_proof> verify(const request& request) const noexcept {
    JOT_TRY { return verify_unguarded(request); }
    JOT_CATCH_ALL { return jot::detail::errc_of_current_exception(); }
  }

  // The nonce to send in DPoP-Nonce with a use_dpop_nonce refusal (or on any response);
  // invalid_argument when the verifier does not use nonces, the source's error when it has none.
  result<std::string> current_nonce() const noexcept {
    if (!state_->nonces) return errc::invalid_argument;
    JOT_TRY { return state_->nonces->current(now()); }
    JOT_CATCH_ALL { return jot::detail::errc_of_current_exception(errc::store_unavailable); }
  }

  // The algorithms it accepts, and them as the `algs` parameter of a DPoP challenge
  // (RFC 9449 §7.1): JWS names, space-separated, "EdDSA" once for both Edwards curves.
  const std::vector<algorithm>& algorithms() const noexcept { return state_->algorithms; }
  std::string algs() const {
    std::vector<std::string_view> names;
    for (const algorithm alg : state_->algorithms) {
      if (std::find(names.begin(), names.end(), algorithm_name(alg)) == names.end()) {
        names.push_back(algorithm_name(alg));
      }
    }
    std::string out;
    for (const std::string_view name : names) out.append(out.empty() ? "" : " ").append(name);
    return out;
  }

  // How old a proof may be, and how far in the future its iat may lie.
  std::chrono::seconds max_proof_age() const noexcept { return state_->max_age; }
  std::chrono::seconds clock_skew() const noexcept { return state_->clock_skew; }

 private:
  friend class verifier_builder;
  struct state {
    std::vector<algorithm> algorithms;
    std::uint32_t algorithm_mask = 0;
    std::chrono::seconds max_age{};
    std::chrono::seconds clock_skew{};
    std::shared_ptr<replay_store> replays;
    std::shared_ptr<const nonce_source> nonces;
    std::function<std::chrono::system_clock::time_point()> clock;
    std::shared_ptr<detail::proof_key_cache> keys;  // proof keys imported lately, shared by copies
  };

  explicit verifier(std::shared_ptr<const state> s) : state_(std::move(s)) {}

  sys_seconds now() const {
    return std::chrono::time_point_cast<std::chrono::seconds>(
        state_->clock ? state_->clock() : std::chrono::system_clock::now());
  }

  // A string claim, or invalid_dpop_claim naming it (also when `required` and it is absent).
  static result<std::optional<std::string_view>> string_claim(const nlohmann::json& claims,
                                                              const char* name, bool required) {
    const auto it = claims.find(name);
    if (it == claims.end()) {
      if (required) return error_info(errc::invalid_dpop_claim, name);
      return std::optional<std::string_view>();
    }
    if (!it->is_string()) return error_info(errc::invalid_dpop_claim, name);
    return std::optional<std::string_view>(it->get_ref<const std::string&>());
  }

  result<verified_proof> verify_unguarded(const request& request) const {
    const state& s = *state_;
    // one proof
    if (request.dpop_headers.empty()) return errc::missing_dpop_proof;
    if (request.dpop_headers.size() > 1) return errc::multiple_dpop_proofs;
    const std::string_view proof = jot::detail::trim_whitespace(request.dpop_headers.front());
    if (proof.find(',') != std::string_view::npos) return errc::multiple_dpop_proofs;
    // size
    if (proof.size() > max_proof_size) return errc::dpop_proof_too_large;
    // form
    const auto segments = jot::detail::split_compact(proof);
    if (!segments) return errc::malformed_dpop_proof;
    std::string header_bytes, payload_bytes, signature;
    if (!jot::detail::base64url_decode_append(segments->header, header_bytes) ||
        !jot::detail::base64url_decode_append(segments->payload, payload_bytes) ||
        !jot::detail::base64url_decode_append(segments->signature, signature)) {
      return errc::malformed_dpop_proof;
    }
    auto header = parse_json_object<nlohmann::json>(header_bytes);
    if (!header) return detail::malformed(header.error());
    auto fields = jot::detail::read_header(jot::detail::json_object_ref(*header), {});
    if (!fields) return detail::malformed(fields.error());
    // typ
    static const std::optional<std::string> proof_type = std::string("dpop+jwt");
    if (!jot::detail::type_accepted(fields->typ, proof_type, false)) {
      return errc::dpop_type_mismatch;
    }
    // alg
    const std::uint32_t named = jot::detail::algorithms_named(fields->alg, s.algorithm_mask);
    if (named == 0) return errc::dpop_algorithm_not_allowed;
    // jwk, then signature
    const auto jwk = header->find("jwk");
    if (jwk == header->end() || !jwk->is_object()) return errc::invalid_dpop_key;
    auto key = detail::proof_key(*jwk, named, s.algorithms, *s.keys);
    if (!key) return key.error();
    if (auto verified = (*key)->implementation().verify(segments->signing_input, signature);
        !verified) {
      if (verified.error() == errc::invalid_signature) return errc::invalid_dpop_signature;
      return verified.error();
    }
    // claims
    auto claims = parse_json_object<nlohmann::json>(payload_bytes);
    if (!claims) return detail::malformed(claims.error());
    auto jti = string_claim(*claims, "jti", true);
    if (!jti) return jti.error();
    if ((*jti)->empty()) return error_info(errc::invalid_dpop_claim, "jti");
    auto htm = string_claim(*claims, "htm", true);
    if (!htm) return htm.error();
    auto htu = string_claim(*claims, "htu", true);
    if (!htu) return htu.error();
    const auto iat_member = claims->find("iat");
    if (iat_member == claims->end()) return error_info(errc::invalid_dpop_claim, "iat");
    const auto iat_up = jot::detail::numeric_date_seconds(*iat_member, jot::detail::rounding::up);
    const auto iat = jot::detail::numeric_date_seconds(*iat_member, jot::detail::rounding::down);
    if (!iat_up || !iat) return error_info(errc::invalid_dpop_claim, "iat");
    auto ath = string_claim(*claims, "ath", false);
    if (!ath) return ath.error();
    auto nonce = string_claim(*claims, "nonce", false);
    if (!nonce) return nonce.error();
    // htm, htu
    if (**htm != request.method) return errc::dpop_method_mismatch;
    auto expected_uri = normalize_htu(request.uri);
    if (!expected_uri) return expected_uri.error();
    auto proof_uri = normalize_htu(**htu);
    if (!proof_uri) {
      if (proof_uri.error() == errc::out_of_memory) return proof_uri.error();
      return errc::dpop_uri_mismatch;
    }
    if (*proof_uri != *expected_uri) return errc::dpop_uri_mismatch;
    // iat
    const sys_seconds now = this->now();
    const std::int64_t now_seconds = now.time_since_epoch().count();
    if (*iat_up > now_seconds + s.clock_skew.count()) return errc::dpop_proof_in_future;
    const sys_seconds until = sys_seconds(std::chrono::seconds(*iat)) + s.max_age;
    if (now >= until) return errc::dpop_proof_too_old;
    // ath
    if (request.access_token) {
      if (!*ath) return error_info(errc::invalid_dpop_claim, "ath");
      auto hash = access_token_hash(*request.access_token);
      if (!hash) return hash.error();
      if (**ath != *hash) return errc::dpop_ath_mismatch;
    } else if (*ath) {
      return errc::dpop_ath_mismatch;
    }
    // nonce
    std::optional<std::string> next_nonce;
    if (s.nonces) {
      if (!*nonce) return errc::dpop_nonce_required;
      auto checked =
          jot::detail::run_store_operation([&] { return s.nonces->check(**nonce, now); });
      if (!checked) return checked.error();
      if (*checked == nonce_state::unknown) return errc::dpop_nonce_invalid;
      if (*checked == nonce_state::previous) {
        auto current = jot::detail::run_store_operation([&] { return s.nonces->current(now); });
        if (!current) return current.error();
        next_nonce = std::move(*current);
      }
    }
    // replay: keyed by the proof's key and jti, hashed (RFC 9449 §11.1: bounded entries). A store
    // or nonce source that throws could not answer: store_unavailable, as for the session stores.
    auto thumbprint = jwk_thumbprint(*jwk);
    if (!thumbprint) return detail::key_error(thumbprint.error());
    auto proof_id = detail::sha256_base64url(*thumbprint + "." + std::string(**jti));
    if (!proof_id) return proof_id.error();
    auto first =
        jot::detail::run_store_operation([&] { return s.replays->first_use(*proof_id, until); });
    if (!first) return first.error();
    if (!*first) return errc::dpop_proof_replayed;

    return verified_proof{proven_key(std::move(*thumbprint)),
                          (*key)->alg(),
                          std::move(*jwk),
                          std::move(*claims),
                          sys_seconds(std::chrono::seconds(*iat)),
                          std::move(next_nonce)};
  }

  std::shared_ptr<const state> state_;
};

inline result<verifier> verifier_builder::build() const {
  if (invalid_) return errc::invalid_argument;
  JOT_TRY {
    auto s = std::make_shared<verifier::state>();
    for (const algorithm alg : algorithms_) {
      if ((s->algorithm_mask & jot::detail::algorithm_bit(alg)) != 0) continue;
      s->algorithms.push_back(alg);
      s->algorithm_mask |= jot::detail::algorithm_bit(alg);
    }
    s->max_age = max_age_;
    s->clock_skew = clock_skew_;
    s->replays = replays_ ? replays_
                          : std::make_shared<memory_replay_store>(
                                memory_replay_store::default_capacity, clock_);
    s->nonces = nonces_;
    s->clock = clock_;
    s->keys = std::make_shared<detail::proof_key_cache>();
    return verifier(std::move(s));
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }
}

}  // namespace dpop
JOT_END_NAMESPACE
