#pragma once

// "This JSON object, but with ...": the one way the tests derive a JSON object (claims, a header,
// a JWK, a verifier's settings) from another by changing some of its members.

#include <nlohmann/json.hpp>

namespace jot_test {

// `object` with `changes` merged in as an RFC 7396 JSON merge patch: a member set to null is
// removed, an object member is merged member by member, anything else is replaced.
inline nlohmann::json json_with(nlohmann::json object, const nlohmann::json& changes) {
  object.merge_patch(changes);
  return object;
}

}  // namespace jot_test
