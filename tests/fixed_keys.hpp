#pragma once

// Fixed keys, one per algorithm, for the fuzz targets and the fault-injection tests. They are
// committed, not generated per run, so that the committed seed tokens (fuzz/corpus) stay valid, a
// crash found on one machine reproduces on any other, and no test waits for RSA key generation.
// TEST KEYS ONLY: they are public; never use them for anything else.
//
// Generated once with OpenSSL 3.0: `openssl genpkey -algorithm RSA -pkeyopt
// rsa_keygen_bits:2048`, `-algorithm EC -pkeyopt ec_paramgen_curve:<curve> -pkeyopt
// ec_param_enc:named_curve` for P-256, P-384, P-521 and secp256k1, `-algorithm ED25519` and
// `-algorithm ED448`; the certificate with `openssl req -new -x509 -key <p256> -subj
// "/CN=jot fixed test key" -days 36500`.

#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <jot/jot.hpp>

namespace jot_test {
namespace pem {

inline constexpr const char rsa_2048_pem[] = R"(-----BEGIN PRIVATE KEY-----
MIIEvwIBADANBgkqhkiG9w0BAQEFAASCBKkwggSlAgEAAoIBAQDAA2XyDxEy9oEn
q6SF3/bYMYHqvJU7Kiu9dX2lMhuZ+s05RlZPJBAhLapl4rucrv5wT3x/DOUjh1jw
4VkiR6rjWUSVX14r/bxxW3TH2BZKE7p1d/xHcEcsG1WBlwV9IhZlgilwmkcAM61z
6w7jPao7J29TCFPYslI3eSX88q4Virteoywwhfhd98+wnjba4IFnSRQm38t2I1MG
s8Lbjmp3omImaSmIsAhcLAaH7uccEEkscPAU0Oo8Wfs3BMMlJtJPyUBLk72eIFf5
r+ZvxXz7A2VP7Nn+pEGcyh9pLn9+L+/ZmpERaJtWnjbZ/LYtXs34wxxaoL4uLLlE
Lc6ify59AgMBAAECggEADSOOY8hlKGQWxWSo3uJK7VNB7RKXcZN6p7206ctqeRhg
16T4/fRdSC/sQ4mGxftxfLTrs3Pp8Arwapc49rAJwQHYQBJlCsSTkvwrmwstx0bf
UO9za14C+MEsEjCH1x6wgqSr+kEMT7a5jT+N5r3O+rpBk2B0AFV/a71V/J+Mivuz
aJ0kOHXOo5X+8TOU1l3iN8Ia6Hak4l7a3uQ9HAyWuh9fAO1QcEBBIZF3/c9IkUjh
E7SdasT2CZKJSpH46YAVQidaSZW7GxeERrPJvP6wGuYxTcnOm8kLw8uXW7DlaWzu
PjV/POh0aem4Fhu9x5jpZPuFamnoc19LQtyozcmKYQKBgQDkRAMWCDCmDOnIrZ8y
abQvEzGwogcN7KrUicQLVi6pq2HOsqBZPzmyPvmUq6m1BAXXTOtGRqv67Zcedeg2
drWQzQM5xgP0UMIdHXjsdVuGypETUN/+Hzm5tq4iLdzkkCjzHqWdPv6m9GcHGntZ
ZxN6ybKur9njddtjEfvAg5ewrQKBgQDXV8ojtaWbTnpuYd72LHVFpbvXtmwk1Rhn
yE/DYNtFOWTnWdl2M8mLlbLpjYie5R+hphyXJResZso78Dh3IhkSkrGth2p4Vib6
inbxtpJt+m06ZHwf2zYm620vQEVMIifF8uMPJIyHs0xHl1OzTAGSJ7vGwLUqZTc9
so6NgpWfEQKBgQCrJr+1nlBzwMzt1hi+oPkkLt0cFnD5pNF16RIgee8k8sa0R8Tp
BfoJxyQ1r/zgJ/MFOrxSBh1fWRPtF/UUGTAMMVvQzsMaRg8162pGybvlti7O793z
WZBbyjiIkiDFE75QhFMjMx+XKTuy3M1N/HZjo6YhSuMxpKXpg4tjDogHRQKBgQCh
mZrzE1S06L7N6RplyNU0r/v4FEixl0zaTSM2bo/+MeT8DJw5rQFZg7ygsfrNqwoC
x+J6tnY+hWDMfCgTlv4TxwwZOh73MUfNCm3aVHUsnRqtEE1ppprLuC7Wn7ehO5x3
Wx9z9KyVBUOAEhrY2XfwU2sB6wnJR+2dmkqJ/W4E0QKBgQCeYNsK8zmJFt1hCzzT
2gGg9zAjDX1EgAiQ718t1VMFiyKcWhPRoA4S/KL3ZyOeGDE7dvgHElLtxNMfCA+T
QWLnzWDfgIcpNhs68f0pWtL89HWXcIdo0o32c3xmRl5cD1iE1XUx/QAIlPE2M30g
8Ok62PnvqHGRVWSv+4GTv4Z8HQ==
-----END PRIVATE KEY-----
)";

inline constexpr const char p256_pem[] = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQguPdFLAKceSj5v9fG
Nmp4vAILQo56UOFIfa+CyxyxmHGhRANCAARi5uIsd0LqRK3FrzwUGneHULVBktIS
cafaDrUtFhEUXEkFUTyrY9KYrVAb6etqx4CPmAlNG+FAYMJ1jFFaScVD
-----END PRIVATE KEY-----
)";

inline constexpr const char p384_pem[] = R"(-----BEGIN PRIVATE KEY-----
MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDB/2PzGRpX6NF7Ukq81
x39n6xXnsZs1K6V+df0fRpH6vDg2MDsdjKhiBjnwEE1WwYOhZANiAAT9ItbIpooE
KfOhr270I1HN/8TdoNF+ss3r1XHwE5HrKm7podOw46jO2FqEpKMreDdIRptxR3tA
rdO/PQoqEaM1UFHmAA+rqcD6jijuKOBGrPkS3GvP/ntnO79+QzhMb4w=
-----END PRIVATE KEY-----
)";

inline constexpr const char p521_pem[] = R"(-----BEGIN PRIVATE KEY-----
MIHuAgEAMBAGByqGSM49AgEGBSuBBAAjBIHWMIHTAgEBBEIB57i49UxzygYlZX0k
RIYiMyfrnvn2Rr9BMB1KNMRLWTmybwrsu/kSUDBEa5cPV+aRofMZU9BpXXESVdoo
1D6Z1kehgYkDgYYABAEMwWIstVJxP4McwIVTO8U2kAWG0L2ePYohJZcEovY1xl2+
XqKhjxNdtsYfXjIwQlZg0kTnD6EnPpMjit5ax2f8hwF002B3xcSYRwCaQk4nWQrs
6PAMK9/A7DOCNB+MEwRS844nIyhNPUedFvtBO84UnvlL+Aq/NeWxJROSKmUEjVUr
9w==
-----END PRIVATE KEY-----
)";

inline constexpr const char secp256k1_pem[] = R"(-----BEGIN PRIVATE KEY-----
MIGEAgEAMBAGByqGSM49AgEGBSuBBAAKBG0wawIBAQQgyhyXG4Req8Q+qQBmgJ5j
7nmn8+JsOJKs67OZqXfNZOahRANCAASYSowpa/Z08uOIfGa9JjjmysqLIRycquee
HIXBCfCFx6P1EgSZPRTEQSZK6AyZff4eGDtQcUt4Yc9W3hucUAUb
-----END PRIVATE KEY-----
)";

inline constexpr const char ed25519_pem[] = R"(-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIHuW4Xvdcc5kNbrLow1I3w5+7TOwy2sD5yw0HYDlJqjC
-----END PRIVATE KEY-----
)";

inline constexpr const char ed448_pem[] = R"(-----BEGIN PRIVATE KEY-----
MEcCAQAwBQYDK2VxBDsEOewqPr+XtT07p8bONPfrh41KwvqC2KTe+v/j3bBuIm/f
XsXmWNrb+ONTNl8oXcfYOLjlKb1qEOUBzQ==
-----END PRIVATE KEY-----
)";

// X25519, Bob's key of RFC 7748 §6.1 (which RFC 8037 A.6 reuses): ECDH-ES only.
inline constexpr const char x25519_pem[] = R"(-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VuBCIEIF2rCH5iSopLeeF/i4OADuZvO7EpJhi2/Rwviyf/iODr
-----END PRIVATE KEY-----
)";

inline constexpr const char p256_certificate_pem[] = R"(-----BEGIN CERTIFICATE-----
MIIBkjCCATegAwIBAgIUb1Muxfj3Qhu1d7+OdYWO/2CA+O0wCgYIKoZIzj0EAwIw
HTEbMBkGA1UEAwwSam90IGZpeGVkIHRlc3Qga2V5MCAXDTI2MTEyODE0MjAzOVoY
DzIxMjYxMTA0MTQyMDM5WjAdMRswGQYDVQQDDBJqb3QgZml4ZWQgdGVzdCBrZXkw
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARi5uIsd0LqRK3FrzwUGneHULVBktIS
cafaDrUtFhEUXEkFUTyrY9KYrVAb6etqx4CPmAlNG+FAYMJ1jFFaScVDo1MwUTAd
BgNVHQ4EFgQUvpaBQv5a2JO2dbQWVVjHIUcYxQIwHwYDVR0jBBgwFoAUvpaBQv5a
2JO2dbQWVVjHIUcYxQIwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBG
AiEAiKM6LN4f72wrFXMdK5EESmGlqIlcL2Rc36JYnUyVWhMCIQDjbiy3M6wUrrJB
LcYOmq1vXaKdI1yjHUdF+yOBBkorZg==
-----END CERTIFICATE-----
)";

}  // namespace pem

// One signing key per algorithm, each with a kid named after it ("hs256", "rs256" ...). RSA keys
// share one modulus; the HMAC secrets are fixed byte patterns of exactly the minimum size.
struct fixed_key_table {
  std::vector<jot::signing_key> signing;  // indexed like jot::all_algorithms
  std::vector<jot::verification_key> verification;

  const jot::signing_key& signer(jot::algorithm alg) const {
    return signing[static_cast<std::size_t>(alg)];
  }
  const jot::verification_key& verifier(jot::algorithm alg) const {
    return verification[static_cast<std::size_t>(alg)];
  }
};

inline std::string lower_case(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The kid of the fixed key for `alg`: its fully-specified name in lower case ("ed25519").
inline std::string fixed_kid(jot::algorithm alg) {
  return lower_case(jot::fully_specified_name(alg));
}

inline const char* fixed_pem(jot::algorithm alg) {
  switch (alg) {
    case jot::algorithm::es256:
      return pem::p256_pem;
    case jot::algorithm::es384:
      return pem::p384_pem;
    case jot::algorithm::es512:
      return pem::p521_pem;
    case jot::algorithm::es256k:
      return pem::secp256k1_pem;
    case jot::algorithm::ed25519:
      return pem::ed25519_pem;
    case jot::algorithm::ed448:
      return pem::ed448_pem;
    default:
      return pem::rsa_2048_pem;
  }
}

// Loaded once per process. The keys are valid: if one stops loading, value() throws and ends the
// run, since that is a jot regression.
inline const fixed_key_table& fixed_keys() {
  static const fixed_key_table loaded = [] {
    fixed_key_table out;
    for (jot::algorithm alg : jot::all_algorithms) {
      jot::signing_key key =
          jot::is_hmac(alg)
              ? jot::signing_key::hmac(alg, jot::secret_bytes(std::string(
                                                jot::min_secret_size(alg),
                                                static_cast<char>('a' + static_cast<int>(alg)))))
                    .value()
              : jot::signing_key::from_pem(alg, fixed_pem(alg)).value();
      key = key.with_key_id(fixed_kid(alg)).value();
      out.verification.push_back(key.verification_key().value());
      out.signing.push_back(std::move(key));
    }
    return out;
  }();
  return loaded;
}

}  // namespace jot_test
