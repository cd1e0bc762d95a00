#pragma once

// The fixed ECDH keys of fuzz_ecdh: one recipient key pair per curve ECDH-ES runs on, in the
// order of jot::jwe::detail::agreement_curves, and one ephemeral key pair per curve for the seeds.
// Published values: RFC 7518 Appendix C (P-256, Bob and Alice), Wycheproof's ECDH webcrypto
// vectors (P-384, P-521) and RFC 7748 §6.1 (X25519, Bob and Alice).

#include <nlohmann/json.hpp>

#include <jot/jwe/detail/ecdh_es.hpp>

namespace jot_fuzz {

struct ecdh_key_pair {
  nlohmann::json recipient;  // a private JWK
  nlohmann::json ephemeral;  // a private JWK
};

inline nlohmann::json ec_jwk(const char* crv, const char* d, const char* x, const char* y) {
  return {{"kty", "EC"}, {"crv", crv}, {"x", x}, {"y", y}, {"d", d}};
}

inline const ecdh_key_pair (&ecdh_fixed_keys())[4] {
  static const ecdh_key_pair keys[4] = {
      {ec_jwk("P-256", "VEmDZpDXXK8p8N0Cndsxs924q6nS1RXFASRl6BfUqdw",
              "weNJy2HscCSM6AEDTDg04biOvhFhyyWvOHQfeF_PxMQ",
              "e8lnCO-AlStT-NJVX-crhB7QRYhiix03illJOVAOyck"),
       ec_jwk("P-256", "0_NxaRPUMQoAJt50Gz8YiTr8gRTwyEaCumd-MToTmIo",
              "gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0",
              "SLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFpps")},
      {ec_jwk("P-384", "orZEKjf4o3WdLLkd9eynWxT1pnZtqANcwZQ7Fajk67YCXzc74zQIDyKrgho1Naan",
              "X7b8XxfVh97l6VAsTEiO89awbAmBAvYjCiZNC00ZJ8RhYB5HyrbZP68O6YIp1cXd",
              "tBbIpSH978yrXL0Uo5sFxriMtl_7SHkIYlI1xpFkw55eJ-w0fH9Y-DEa3kIDSozh"),
       ec_jwk("P-384", "xsr7dOKlDILHpj0TKUv-oT0LxQS6KwijkskIG_OBXZ5E2WntfwX_0dhZQ1UFPGFH",
              "XlPoNhRrUZZ-dcYjR7QUbnnAVhCsYYuV2aYULAsj-80-OvhlSto7v-gegKdXrBYj",
              "2tXCeTqL3j6KR6vboyV-QccHR8iWe7WU4K9dO5f6EegvcfIpz0z_O1zIW12oCQ5w")},
      {ec_jwk("P-521",
              "AKK2RCo3-KN1nSy5HfXsp1r2uJ4nuvL2y_lx3uUFj_"
              "qdjayAXHvHLzcYSJ1qnLJ4evjJOhfd6xoZIRqyNgTUe3ZG",
              "AD3ewT4NSLOUrihSr1ajt9tSpa__sU7UrYewKGBNDKMvORitbObL_UlQSGXKZHR-p9HVHRZ25XWSBJyF_"
              "oXHlOkn",
              "AFitu6d2cyRAt8T6o7IcKkSLQBdppZYdPpVJvSd9LaywzrQRfUJVNprQ8ydOsciIX2KuREMq19F5SVUizFdP"
              "Xp88"),
       ec_jwk("P-521",
              "AcbK-3TipQyCx6Y9EylL_qET8nHgGuMF95r0MgPNMhFezfL-"
              "5f7boq0xJng9sMPE0wKaFDaej4Db0V1RLxPlHFA8",
              "AJsV2VQvRXnYbPaNO2CsdCT7kCvhO6ZASWpAt6SsTQV7mQrWfDQlQQg_"
              "N3r2MiSOa4dt8d5cmFRzFQ0DBIsrzb35",
              "AF7A0BtEJCH1SD4BbPQvispAEfAbn1RaiyDgBWh4UFBKqCgf3QCqMoc50Fome3qa_"
              "T9La5sViNTvEOH4ZzZSThtX")},
      {{{"kty", "OKP"},
        {"crv", "X25519"},
        {"x", "3p7bfXt9wbTTW2HC7OQ1Nz-DQ8hbeGdNrfx-FG-IK08"},
        {"d", "XasIfmJKikt54X-Lg4AO5m87sSkmGLb9HC-LJ_-I4Os"}},
       {{"kty", "OKP"},
        {"crv", "X25519"},
        {"x", "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"},
        {"d", "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo"}}},
  };
  return keys;
}

// A key pair from one of the JWKs above; null if the JWK does not import (it always does).
inline jot::detail::evp_pkey_ptr ecdh_key(const nlohmann::json& jwk) {
  const auto& curves = jot::jwe::detail::agreement_curves;
  for (const auto& curve : curves) {
    if (jwk.at("crv") != curve.crv) continue;
    bool has_private = false;
    auto key = curve.kty == "EC"
                   ? jot::detail::ec_key_from_members(jwk, curve.group, curve.size, has_private)
                   : jot::detail::okp_key_from_members(jwk, curve.group, curve.size, has_private);
    return key ? std::move(*key) : nullptr;
  }
  return nullptr;
}

}  // namespace jot_fuzz
