// Temporary file + rename(2): atomic on POSIX file systems when both live in one directory.
#include "atomic_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "usage_error.hpp"

namespace symbreak {
namespace {

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

AtomicFile::AtomicFile(std::string option, std::string path)
    : option_(std::move(option)), path_(std::move(path)) {
  const std::string what = option_ + ": cannot write '" + path_ + "': ";
  if (path_.empty() || path_.back() == '/') throw UsageError(what + "expected a file name");
  struct stat st {};
  if (stat(path_.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw UsageError(what + "it is a directory");
  if (stat(path_.c_str(), &st) == 0 && access(path_.c_str(), W_OK) != 0) {
    throw UsageError(what + std::strerror(errno));
  }
  std::string pattern = directory_of(path_) + "/.symbreak-XXXXXX";
  const int fd = mkstemp(pattern.data());
  if (fd < 0) throw UsageError(what + std::strerror(errno));
  temp_path_ = pattern;
  file_ = fdopen(fd, "w");
  if (file_ == nullptr) {
    const int err = errno;
    close(fd);
    unlink(temp_path_.c_str());
    throw UsageError(what + std::strerror(err));
  }
}

AtomicFile::~AtomicFile() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_ && !temp_path_.empty()) unlink(temp_path_.c_str());
}

void AtomicFile::write(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
    throw std::runtime_error(option_ + ": writing '" + path_ + "' failed: " + std::strerror(errno));
  }
}

void AtomicFile::commit() {
  const int mode = 0666 & ~[] {
    const mode_t m = umask(0);
    umask(m);
    return m;
  }();
  const bool ok =
      std::fflush(file_) == 0 && fchmod(fileno(file_), mode) == 0 && std::fclose(file_) == 0;
  file_ = nullptr;
  if (!ok || std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    throw std::runtime_error(option_ + ": storing '" + path_ + "' failed: " + std::strerror(errno));
  }
  committed_ = true;
}

}  // namespace symbreak
