#include "io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <openssl/crypto.h>

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

std::string read_token(const arguments& args) {
  const auto& positional = args.positional();
  if (!positional.empty() && positional.front() != "-") return positional.front();
  constexpr std::size_t stdin_limit = 16 * 1024 * 1024 + 3;
  std::string token;
  if (!read_up_to(STDIN_FILENO, stdin_limit, token)) {
    fail_io(std::string("cannot read the token from standard input: ") + std::strerror(errno));
  }
  if (!token.empty() && token.back() == '\n') {
    token.pop_back();
    if (!token.empty() && token.back() == '\r') token.pop_back();
  }
  return token;
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
