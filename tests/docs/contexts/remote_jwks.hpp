// Context: a JWKS fetch function and the validator a jwks_cache applies, as an application has
// them (docs/protect.md).
#include <chrono>
#include <string>

#include <jot/jot.hpp>
#include <jot/jwks_refresher.hpp>

void fragment(std::function<jot::result<std::string>()> fetch_jwks, jot::validator validator) {
  // doc-test: fragment
}
