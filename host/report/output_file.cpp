// Resolution of an output path and the two ways of writing it (see output_file.hpp). Linux-specific
// where it must be: /proc's "magic" links (/proc/self/fd/N) name open descriptors, not paths, so
// they are recognised by the file system they live on and duplicated instead of followed.
#include "host/report/output_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "host/config/usage_error.hpp"

namespace symbreak {
namespace {

constexpr int kMaxSymlinkHops = 40;  // Linux's own limit (ELOOP)

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string name_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::optional<std::string> real_path(const std::string& path) {
  char* resolved = realpath(path.c_str(), nullptr);
  if (resolved == nullptr) return std::nullopt;
  std::string result(resolved);
  std::free(resolved);
  return result;
}

bool on_procfs(const std::string& directory) {
  struct statfs fs {};
  return statfs(directory.c_str(), &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
}

std::optional<int> parse_descriptor(const std::string& text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  int value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// A link in /proc/<this process>/fd or /proc/<this process>/task/<tid>/fd names one of our own
// descriptors; `directory` has its symlinks resolved (so /proc/self reads /proc/<pid>).
std::optional<int> own_descriptor(const std::string& directory, const std::string& name) {
  const std::string own = "/proc/" + std::to_string(getpid());
  const bool fd_dir = directory == own + "/fd" ||
                      (directory.rfind(own + "/task/", 0) == 0 && directory.size() > 3 &&
                       directory.compare(directory.size() - 3, 3, "/fd") == 0);
  return fd_dir ? parse_descriptor(name) : std::nullopt;
}

std::string error_text(int error) {
  return std::strerror(error);
}

std::string join(const std::string& directory, const std::string& name) {
  std::string path = directory;
  if (path != "/") path.push_back('/');
  return path.append(name);
}

// Removes temporary files of `prefix` in `directory` whose writer (the pid in their name) is gone.
void remove_stale_temporaries(const std::string& directory, const std::string& prefix) {
  DIR* dir = opendir(directory.c_str());
  if (dir == nullptr) return;
  while (const dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (name.rfind(prefix, 0) != 0) continue;
    const std::size_t dash = name.find('-', prefix.size());
    if (dash == std::string::npos) continue;
    const std::optional<int> pid =
        parse_descriptor(name.substr(prefix.size(), dash - prefix.size()));
    if (!pid || *pid <= 0) continue;
    if (kill(*pid, 0) != 0 && errno == ESRCH) unlink(join(directory, name).c_str());
  }
  closedir(dir);
}

int connect_unix_socket(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof(address.sun_path)) {
    errno = ENAMETOOLONG;
    return -1;
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    const int error = errno;
    close(fd);
    errno = error;
    return -1;
  }
  return fd;
}

mode_t creation_mode() {
  const mode_t mask = umask(0);
  umask(mask);
  return 0666 & ~mask;
}

}  // namespace

std::string OutputTarget::identity() const {
  switch (kind) {
    case Kind::replace:
      return "file:" + path;
    case Kind::descriptor: {
      struct stat st {};
      if (fstat(descriptor, &st) == 0 && S_ISREG(st.st_mode)) {
        return "inode:" + std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
      }
      return "fd:" + std::to_string(descriptor);
    }
    case Kind::in_place:
      break;  // devices, FIFOs and sockets may well take two outputs (/dev/null twice)
  }
  return "";
}

OutputTarget resolve_output(const std::string& option, const std::string& path) {
  const std::string what = option + ": cannot write '" + path + "': ";
  if (path == "-") return OutputTarget{OutputTarget::Kind::descriptor, path, STDOUT_FILENO, true};
  if (path.empty() || path.back() == '/') throw UsageError(what + "expected a file name");
  std::string current = path;
  for (int hop = 0; hop < kMaxSymlinkHops; ++hop) {
    struct stat st {};
    if (lstat(current.c_str(), &st) != 0) {
      if (errno != ENOENT) throw UsageError(what + error_text(errno));
      // A new file (perhaps through a dangling symlink): its directory must exist.
      const std::optional<std::string> directory = real_path(directory_of(current));
      struct stat dir {};
      if (!directory || stat(directory->c_str(), &dir) != 0) {
        throw UsageError(what + error_text(ENOENT));
      }
      if (!S_ISDIR(dir.st_mode)) throw UsageError(what + error_text(ENOTDIR));
      return OutputTarget{OutputTarget::Kind::replace, join(*directory, name_of(current)), -1,
                          false};
    }
    if (S_ISLNK(st.st_mode)) {
      const std::optional<std::string> directory = real_path(directory_of(current));
      if (!directory) throw UsageError(what + error_text(errno));
      if (on_procfs(*directory)) {
        // A magic link: it names an open file, not a path, so it cannot be followed by name.
        if (const auto fd = own_descriptor(*directory, name_of(current))) {
          const int flags = fcntl(*fd, F_GETFL);
          if (flags < 0) throw UsageError(what + error_text(errno));
          if ((flags & O_ACCMODE) == O_RDONLY) {
            throw UsageError(what + "descriptor " + std::to_string(*fd) + " is open read-only");
          }
          return OutputTarget{OutputTarget::Kind::descriptor, current, *fd, true};
        }
        return OutputTarget{OutputTarget::Kind::in_place, current, -1, true};
      }
      std::string link(PATH_MAX, '\0');
      const ssize_t n = readlink(current.c_str(), link.data(), link.size());
      if (n < 0) throw UsageError(what + error_text(errno));
      link.resize(static_cast<std::size_t>(n));
      current = !link.empty() && link.front() == '/' ? link : join(*directory, link);
      continue;
    }
    if (S_ISDIR(st.st_mode)) throw UsageError(what + "it is a directory");
    if (!S_ISREG(st.st_mode)) return OutputTarget{OutputTarget::Kind::in_place, current, -1, true};
    if (access(current.c_str(), W_OK) != 0) throw UsageError(what + error_text(errno));
    const std::optional<std::string> resolved = real_path(current);
    if (!resolved) throw UsageError(what + error_text(errno));
    return OutputTarget{OutputTarget::Kind::replace, *resolved, -1, true};
  }
  throw UsageError(what + error_text(ELOOP));
}

std::string temporary_prefix(const std::string& target_path) {
  std::string prefix(1, '.');
  prefix.append(name_of(target_path)).append(".symbreak-");
  return prefix;
}

OutputFile::OutputFile(std::string option, std::string path, const OutputTarget& target)
    : OutputFile(std::move(option), std::move(path), target, -1) {}

std::unique_ptr<OutputFile> OutputFile::stream(std::string option, std::string path,
                                               const OutputTarget& target, std::int64_t keep) {
  return std::unique_ptr<OutputFile>(
      new OutputFile(std::move(option), std::move(path), target, keep < 0 ? 0 : keep));
}

OutputFile::OutputFile(std::string option, std::string path, const OutputTarget& target,
                       std::int64_t keep)
    : option_(std::move(option)), path_(std::move(path)), target_(target) {
  const std::string what = option_ + ": cannot write '" + path_ + "': ";
  int fd = -1;
  switch (target_.kind) {
    case OutputTarget::Kind::replace: {
      if (keep >= 0) {
        // Streamed: the file itself, cut to what is kept (mode and owner stay those of the file).
        fd = open(target_.path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0666);
        if (fd < 0) throw UsageError(what + error_text(errno));
        struct stat st {};
        if (fstat(fd, &st) != 0 || st.st_size < keep) {
          close(fd);
          throw UsageError(what + "it holds " + std::to_string(st.st_size) +
                           " bytes, fewer than the " + std::to_string(keep) +
                           " its checkpoint records");
        }
        if (ftruncate(fd, keep) != 0 || lseek(fd, keep, SEEK_SET) != keep) {
          const int error = errno;
          close(fd);
          throw UsageError(what + error_text(error));
        }
        streamed_ = true;
        bytes_ = keep;
        break;
      }
      const std::string directory = directory_of(target_.path);
      const std::string prefix = temporary_prefix(target_.path);
      remove_stale_temporaries(directory, prefix);
      std::string pattern = join(directory, prefix + std::to_string(getpid()) + "-XXXXXX");
      fd = mkostemp(pattern.data(), O_CLOEXEC);
      if (fd < 0) throw UsageError(what + error_text(errno));
      temp_path_ = pattern;
      break;
    }
    case OutputTarget::Kind::descriptor:
      fd = fcntl(target_.descriptor, F_DUPFD_CLOEXEC, 0);
      if (fd < 0) throw UsageError(what + error_text(errno));
      break;
    case OutputTarget::Kind::in_place: {
      struct stat st {};
      const bool socket = stat(target_.path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
      fd = socket ? connect_unix_socket(target_.path)
                  : open(target_.path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
      if (fd < 0) throw UsageError(what + error_text(errno));
      break;
    }
  }
  file_ = fdopen(fd, "w");
  if (file_ == nullptr) {
    const int error = errno;
    close(fd);
    if (!temp_path_.empty()) unlink(temp_path_.c_str());
    throw UsageError(what + error_text(error));
  }
}

OutputFile::~OutputFile() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_ && !temp_path_.empty()) unlink(temp_path_.c_str());
}

bool OutputFile::writes_standard_output() const {
  return target_.kind == OutputTarget::Kind::descriptor && target_.descriptor == STDOUT_FILENO;
}

void OutputFile::fail(const char* doing, int error) {
  if (error_.empty()) {
    error_ = option_ + ": " + doing + " '" + path_ + "' failed: " + error_text(error);
  }
}

void OutputFile::write(std::string_view text) {
  if (!error_.empty() || file_ == nullptr) return;
  bytes_ += static_cast<std::int64_t>(text.size());
  if (streamed_) {
    // Whole writes only, so that the file on disk always ends at the end of a write (a row).
    pending_.append(text);
    if (pending_.size() >= kStreamBuffer) write_pending(fileno(file_));
    return;
  }
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) fail("writing", errno);
}

void OutputFile::write_pending(int fd) {
  std::size_t done = 0;
  while (done < pending_.size() && error_.empty()) {
    const ssize_t n = ::write(fd, pending_.data() + done, pending_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      fail("writing", n < 0 ? errno : EIO);
    else
      done += static_cast<std::size_t>(n);
  }
  pending_.clear();
}

void OutputFile::flush_to_disk() {
  if (!error_.empty() || file_ == nullptr) return;
  if (streamed_) {
    write_pending(fileno(file_));
    if (error_.empty() && fdatasync(fileno(file_)) != 0) fail("writing", errno);
    return;
  }
  if (std::fflush(file_) != 0) fail("writing", errno);
}

std::string OutputFile::commit() {
  if (file_ == nullptr) return error_;
  std::FILE* file = file_;
  file_ = nullptr;
  const int fd = fileno(file);
  if (std::fflush(file) != 0) fail("writing", errno);
  if (streamed_) {
    write_pending(fd);
    if (error_.empty() && fsync(fd) != 0) fail("writing", errno);
    if (std::fclose(file) != 0) fail("writing", errno);
    committed_ = true;
    return error_;
  }
  if (target_.kind == OutputTarget::Kind::replace && error_.empty()) {
    // The data must be on disk before the rename makes it the target's content.
    if (fsync(fd) != 0) fail("writing", errno);
    struct stat old {};
    if (target_.exists && stat(target_.path.c_str(), &old) == 0) {
      if (fchown(fd, old.st_uid, old.st_gid) != 0) {
        // Only root may give a file away; an ordinary user keeps the new file as their own.
      }
      if (fchmod(fd, old.st_mode & 07777) != 0) fail("writing", errno);
    } else if (fchmod(fd, creation_mode()) != 0) {
      fail("writing", errno);
    }
  }
  if (std::fclose(file) != 0) fail("writing", errno);
  if (target_.kind != OutputTarget::Kind::replace) {
    committed_ = true;
    return error_;
  }
  if (error_.empty() && std::rename(temp_path_.c_str(), target_.path.c_str()) != 0) {
    fail("storing", errno);
  }
  if (!error_.empty()) return error_;  // the destructor removes the temporary file
  committed_ = true;
  // The rename itself must survive a power loss.
  const int dir = open(directory_of(target_.path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    if (fsync(dir) != 0) fail("storing", errno);
    close(dir);
  }
  return error_;
}

}  // namespace symbreak
