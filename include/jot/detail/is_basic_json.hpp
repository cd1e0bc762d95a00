#pragma once

// is_basic_json<T>: true for every nlohmann::basic_json specialisation (json, ordered_json, or
// an application's own). jot's templates read JSON only through basic_json's interface, so they
// state this requirement with a static_assert instead of failing deep inside an instantiation.

#include <type_traits>

#include <nlohmann/json.hpp>

#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

template <typename T>
inline constexpr bool is_basic_json = ::nlohmann::detail::is_basic_json<T>::value;

}  // namespace detail
JOT_END_NAMESPACE
