#pragma once

// jot::dpop::proof_signer: the client side of DPoP (RFC 9449 §4), for a C++ service that calls
// another with DPoP-bound tokens. One signer holds one asymmetric key and makes a fresh proof per
// request: `typ` dpop+jwt, the key's `alg` and public `jwk`; a random `jti` (128 bits), `htm`,
// `htu` (normalised, without query and fragment), `iat` from its clock, `ath` when the request
// carries an access token, and the last nonce the server sent (DPoP-Nonce, §8, §9), remembered per
// origin. Cheap to copy (copies share the key and the nonces) and safe to use from many threads.
//
//   auto signer = jot::dpop::proof_signer::create(key).value();
//   auto proof = signer.sign("GET", "https://api.example/orders", access_token);  // DPoP header
//   // after the response: signer.remember_nonce("https://api.example/orders", dpop_nonce_header);

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "jot/base64url.hpp"
#include "jot/detail/random_id.hpp"
#include "jot/detail/text.hpp"
#include "jot/dpop/htu.hpp"
#include "jot/dpop/proof.hpp"
#include "jot/jwk.hpp"
#include "jot/keys.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace dpop {

// Makes DPoP proofs with one key; see the top of this file.
class proof_signer {
 public:
  // The most origins whose nonce a signer remembers; a new one beyond them forgets the others
  // (a forgotten nonce costs one use_dpop_nonce round trip, RFC 9449 §8).
  static constexpr std::size_t max_remembered_nonces = 1000;

  // A signer for `key`, which must be asymmetric and have a public JWK (errc::invalid_key for
  // an HMAC key or an application signer made without a verifier). `clock` gives each proof's
  // iat (default: system_clock).
  static result<proof_signer> create(
      const signing_key& key, std::function<std::chrono::system_clock::time_point()> clock = {}) {
    // Each function here is one guarded block: without exceptions, GCC would see the end of the
    // function reachable after a guarded block that follows local objects.
    JOT_TRY {
      if (is_hmac(key.alg())) return errc::invalid_key;
      auto public_jwk = to_public_jwk(key);
      if (!public_jwk) return public_jwk.error();
      auto thumbprint = jwk_thumbprint(*public_jwk);
      if (!thumbprint) return thumbprint.error();
      // The members the thumbprint covers and nothing else: no kid, alg or use to track or
      // contradict (RFC 7638 §3.2 lists them per key type).
      nlohmann::json jwk = nlohmann::json::object();
      for (const char* name : {"kty", "crv", "x", "y", "n", "e"}) {
        if (const auto it = public_jwk->find(name); it != public_jwk->end()) jwk[name] = *it;
      }
      nlohmann::json header = {
          {"typ", "dpop+jwt"}, {"alg", std::string(algorithm_name(key.alg()))}, {"jwk", jwk}};
      auto s = std::make_shared<state>(key);
      s->clock = std::move(clock);
      s->thumbprint = std::move(*thumbprint);
      s->jwk = std::move(jwk);
      s->header_segment = base64url_encode(header.dump());
      return proof_signer(std::move(s));
    }
    JOT_CATCH_ALL { return errc::out_of_memory; }
  }

  // The proof for a `method` request to `uri` (absolute; its query and fragment are left out),
  // presenting `access_token` when given. errc::invalid_argument for a method that is not an
  // HTTP token (RFC 9110 §9.1) or a URI normalize_htu() refuses; the key's error when it cannot
  // sign (crypto_failure).
  result<std::string> sign(std::string_view method, std::string_view uri,
                           std::optional<std::string_view> access_token = std::nullopt) const {
    JOT_TRY {
      if (method.empty() || !jot::detail::all_of(method, jot::detail::is_tchar)) {
        return errc::invalid_argument;
      }
      auto htu = normalize_htu(uri);
      if (!htu) return htu.error();
      auto jti = jot::detail::random_token_id();
      if (!jti) return jti.error();
      const auto now = state_->clock ? state_->clock() : std::chrono::system_clock::now();
      nlohmann::json claims = {
          {"jti", *jti},
          {"htm", std::string(method)},
          {"htu", *htu},
          {"iat",
           std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count()}};
      if (access_token) {
        auto ath = access_token_hash(*access_token);
        if (!ath) return ath.error();
        claims["ath"] = std::move(*ath);
      }
      if (auto nonce = remembered_nonce(origin_of(*htu))) claims["nonce"] = std::move(*nonce);
      std::string proof = state_->header_segment;
      proof.push_back('.');
      jot::detail::base64url_encode_append(claims.dump(), proof);
      auto signature = state_->key.implementation().sign(proof);
      if (!signature) return signature.error();
      proof.push_back('.');
      jot::detail::base64url_encode_append(*signature, proof);
      return proof;
    }
    JOT_CATCH_ALL { return jot::detail::errc_of_current_exception(); }
  }

  // Remembers the DPoP-Nonce header a response from `uri`'s origin carried, for the proofs to
  // that origin from now on (RFC 9449 §8.2: the latest nonce replaces the one before).
  // errc::invalid_argument for a nonce that is not 1*NQCHAR (§8.1) or a URI normalize_htu()
  // refuses.
  result<void> remember_nonce(std::string_view uri, std::string_view nonce) {
    JOT_TRY {
      const auto is_nqchar = [](char c) noexcept {
        return c >= 0x21 && c <= 0x7e && c != '"' && c != '\\';
      };
      if (nonce.empty() || !jot::detail::all_of(nonce, is_nqchar)) return errc::invalid_argument;
      auto htu = normalize_htu(uri);
      if (!htu) return htu.error();
      const std::lock_guard lock(state_->mutex);
      auto& nonces = state_->nonces;
      const std::string origin(origin_of(*htu));
      if (nonces.size() >= max_remembered_nonces && nonces.find(origin) == nonces.end()) {
        nonces.clear();
      }
      nonces[origin] = std::string(nonce);
      return {};
    }
    JOT_CATCH_ALL { return errc::out_of_memory; }
  }

  // The RFC 7638 thumbprint of the signer's key: the `cnf.jkt` of tokens bound to it, and the
  // `dpop_jkt` of an authorization request (RFC 9449 §10).
  const std::string& thumbprint() const noexcept { return state_->thumbprint; }
  // The public JWK every proof carries.
  const nlohmann::json& public_jwk() const noexcept { return state_->jwk; }

 private:
  struct state {
    explicit state(signing_key k) : key(std::move(k)) {}
    signing_key key;
    std::function<std::chrono::system_clock::time_point()> clock;
    std::string thumbprint;
    nlohmann::json jwk;
    std::string header_segment;  // BASE64URL of the header, the same for every proof
    std::mutex mutex;
    std::map<std::string, std::string, std::less<>> nonces;  // origin -> its latest nonce
  };

  explicit proof_signer(std::shared_ptr<state> s) : state_(std::move(s)) {}

  // "https://host[:port]" of a normalised htu.
  static std::string_view origin_of(std::string_view htu) noexcept {
    return htu.substr(0, htu.find('/', htu.find("://") + 3));
  }

  std::optional<std::string> remembered_nonce(std::string_view origin) const {
    const std::lock_guard lock(state_->mutex);
    const auto it = state_->nonces.find(origin);
    if (it == state_->nonces.end()) return std::nullopt;
    return it->second;
  }

  std::shared_ptr<state> state_;
};

}  // namespace dpop
JOT_END_NAMESPACE
