#pragma once

// Version, ABI namespace and build switches shared by every jot header.

// jot's version, the one place it is written: CMake, pkg-config, the packages and the API
// reference read it from here.
#define JOT_VERSION_MAJOR 0
#define JOT_VERSION_MINOR 1
#define JOT_VERSION_PATCH 0

// Every public name lives in the inline namespace jot::v1, so two incompatible jot versions
// linked into one program cannot silently violate the one-definition rule.
#define JOT_BEGIN_NAMESPACE \
  namespace jot {           \
  inline namespace v1 {
#define JOT_END_NAMESPACE \
  }                       \
  }

// JOT_NO_EXCEPTIONS: result<T>::value() on an error aborts instead of throwing jot::error.
// It is switched on automatically when the compiler is told not to support exceptions.
#if !defined(JOT_NO_EXCEPTIONS) && !defined(__cpp_exceptions)
#define JOT_NO_EXCEPTIONS
#endif

// Non-throwing jot calls catch what the standard library or nlohmann may throw (std::bad_alloc,
// a json type error) and turn it into an errc; without exceptions these become plain blocks.
#ifdef JOT_NO_EXCEPTIONS
#define JOT_TRY if (true)
#define JOT_CATCH_ALL if (false)
#else
#define JOT_TRY try
#define JOT_CATCH_ALL catch (...)
#endif

// JOT_INLINE: how jot declares and defines a non-template function that lives in a header. In
// header-only mode it is `inline`, and the header includes its definition. In the separately
// compiled mode (<jot/separate_compilation.hpp>) the headers only declare it and
// <jot/compile_once.hpp> defines it, once per program, so that the other translation units
// neither parse its body nor instantiate the templates it uses.
#ifdef JOT_SEPARATE_COMPILATION
#define JOT_INLINE
#else
#define JOT_INLINE inline
#endif

// JOT_COLD: a function only error paths call, kept out of line so that the success path it sits
// beside stays as small as it was.
#if defined(__GNUC__) || defined(__clang__)
#define JOT_COLD __attribute__((cold, noinline))
#elif defined(_MSC_VER)
#define JOT_COLD __declspec(noinline)
#else
#define JOT_COLD
#endif
