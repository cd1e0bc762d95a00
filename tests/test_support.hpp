#pragma once

// Helpers shared by jot's test suites.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include <jot/jot.hpp>

namespace jot_test {

// The conformance vectors folder (JOT_VECTORS_DIR, by default tests/vectors/data), or nullopt
// when an override names no folder (the vector suite then skips).
inline std::optional<std::filesystem::path> vectors_dir() {
  std::filesystem::path dir(JOT_VECTORS_DIR);
  if (std::filesystem::is_directory(dir)) return dir;
  return std::nullopt;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A fixed clock for deterministic claim checks.
inline std::chrono::system_clock::time_point at(std::int64_t unix_seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds));
}

}  // namespace jot_test
