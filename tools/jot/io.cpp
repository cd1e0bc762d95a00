#include "io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include <openssl/crypto.h>

#include <jot/error.hpp>

#include "cli.hpp"

namespace jot_cli {

namespace {

std::string describe(std::string_view option, const std::string& path) {
  return std::string(option) + " " + path;
}

class file_descriptor {
 public:
  explicit file_descriptor(int fd) noexcept : fd_(fd) {}
  file_descriptor(const file_descriptor&) = delete;
  file_descriptor& operator=(const file_descriptor&) = delete;
  ~file_descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const noexcept { return fd_; }

 private:
  int fd_;
};

// Appends up to `limit` bytes of `fd` to `out`; false on a read error (errno set).
bool read_up_to(int fd, std::size_t limit, std::string& out) {
  char buffer[65536];
  while (out.size() < limit) {
    const std::size_t want = std::min(sizeof buffer, limit - out.size());
    const ssize_t got = ::read(fd, buffer, want);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return false;
    if (got == 0) break;
    out.append(buffer, static_cast<std::size_t>(got));
  }
  // The buffer may have held secret bytes (a --secret-file).
  OPENSSL_cleanse(buffer, sizeof buffer);
  return true;
}

// A TOKEN argument of a compact JWS's or JWE's shape: three or five segments of the base64url
// alphabet. Whether they decode is jot's to judge; this only tells a token from a file name that
// does not exist.
bool has_compact_shape(std::string_view text) {
  std::size_t dots = 0;
  for (const char c : text) {
    if (c == '.') {
      ++dots;
    } else if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return false;
    }
  }
  return dots == 2 || dots == 4;
}

// Whitespace read around a token beyond its size cap (a file's final newline, a CRLF...).
constexpr std::size_t token_whitespace_allowance = 64;

// The token in the file `path` names (`info` is its stat): at most `limit` bytes are read, and
// surrounding whitespace is removed.
std::string read_token_file(const std::string& path, const struct stat& info, std::size_t limit) {
  const std::string where = "the TOKEN file " + path;
  if (S_ISDIR(info.st_mode)) fail_io("cannot read " + where + ": it is a directory");
  file_descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) fail_io("cannot read " + where + ": " + std::strerror(errno));
  std::string token;
  if (!read_up_to(fd.get(), limit + 1, token)) {
    fail_io("cannot read " + where + ": " + std::strerror(errno));
  }
  if (token.size() > limit) fail_token(jot::errc::token_too_large);
  constexpr std::string_view whitespace = " \t\r\n";
  const std::size_t first = token.find_first_not_of(whitespace);
  if (first == std::string::npos) return {};
  return token.substr(first, token.find_last_not_of(whitespace) - first + 1);
}

}  // namespace

std::string read_file(std::string_view option, const std::string& path, std::size_t max_size) {
  file_descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    fail_io("cannot read " + describe(option, path) + ": " + std::strerror(errno));
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) == 0 && S_ISDIR(info.st_mode)) {
    fail_io("cannot read " + describe(option, path) + ": it is a directory");
  }
  std::string content;
  if (!read_up_to(fd.get(), max_size + 1, content)) {
    const int error = errno;
    OPENSSL_cleanse(content.data(), content.size());
    fail_io("cannot read " + describe(option, path) + ": " + std::strerror(error));
  }
  if (content.size() > max_size) {
    OPENSSL_cleanse(content.data(), content.size());
    fail_io(describe(option, path) + " is larger than " + std::to_string(max_size) + " bytes");
  }
  return content;
}

std::string read_token(const arguments& args, std::size_t max_size) {
  const std::size_t limit = max_size + token_whitespace_allowance;
  const auto& positional = args.positional();
  if (positional.empty() || positional.front() == "-") {
    std::string token;
    if (!read_up_to(STDIN_FILENO, limit + 1, token)) {
      fail_io(std::string("cannot read the token from standard input: ") + std::strerror(errno));
    }
    if (token.size() > limit) fail_token(jot::errc::token_too_large);
    if (!token.empty() && token.back() == '\n') {
      token.pop_back();
      if (!token.empty() && token.back() == '\r') token.pop_back();
    }
    return token;
  }
  const std::string& argument = positional.front();
  struct stat info {};
  if (::stat(argument.c_str(), &info) == 0) return read_token_file(argument, info, limit);
  const int error = errno;
  if (has_compact_shape(argument)) return argument;
  fail_io(std::string("TOKEN names no readable file (") + std::strerror(error) +
          ") and is not a compact JWS");
}

bool path_exists(const std::string& path) {
  struct stat info {};
  return ::lstat(path.c_str(), &info) == 0;
}

void write_new_file(std::string_view option, const std::string& path, std::string_view content,
                    mode_t mode) {
  file_descriptor fd(
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (fd.get() < 0) {
    if (errno == EEXIST) {
      fail_io(describe(option, path) + " already exists; jot never overwrites a key file");
    }
    fail_io("cannot create " + describe(option, path) + ": " + std::strerror(errno));
  }
  std::string_view pending = content;
  while (!pending.empty()) {
    const ssize_t written = ::write(fd.get(), pending.data(), pending.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      const int error = errno;
      ::unlink(path.c_str());
      fail_io("cannot write " + describe(option, path) + ": " + std::strerror(error));
    }
    pending.remove_prefix(static_cast<std::size_t>(written));
  }
  if (::fsync(fd.get()) != 0) {
    const int error = errno;
    ::unlink(path.c_str());
    fail_io("cannot write " + describe(option, path) + ": " + std::strerror(error));
  }
}

}  // namespace jot_cli
