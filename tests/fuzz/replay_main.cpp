// Replays fuzz inputs through a target without libFuzzer, so that every build (g++ included, and
// the ASan preset) runs the committed corpus as an ordinary CTest test.
// Usage: <target>_replay <file or folder>...   (a folder's regular files, in name order)

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::vector<std::filesystem::path> inputs_of(const std::filesystem::path& path) {
  std::vector<std::filesystem::path> out;
  if (std::filesystem::is_directory(path)) {
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      if (entry.is_regular_file()) out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());  // a stable order, so a failure reproduces
  } else if (std::filesystem::is_regular_file(path)) {
    out.push_back(path);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    for (const auto& path : inputs_of(argv[i])) {
      std::ifstream in(path, std::ios::binary);
      const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                    std::istreambuf_iterator<char>());
      // A heap block of exactly the input's size, as libFuzzer passes it, so that ASan reports a
      // target that reads one byte too far.
      const std::size_t size = bytes.size();
      std::unique_ptr<std::uint8_t[]> data(new std::uint8_t[size == 0 ? 1 : size]);
      std::copy(bytes.begin(), bytes.end(), data.get());
      std::fprintf(stderr, "replaying %s\n", path.string().c_str());
      LLVMFuzzerTestOneInput(data.get(), size);
      ++replayed;
    }
  }
  std::printf("replayed %zu inputs\n", replayed);
  // No input at all means a wrong path or a lost corpus: that must not pass as a green test.
  return replayed == 0 ? 1 : 0;
}
