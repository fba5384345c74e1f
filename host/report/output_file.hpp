// An output path written the way `sed -i --follow-symlinks`, rsync and git write theirs: it never
// destroys what the path points at. Symlinks are followed to their final target. A regular file (or
// a new one) is written to a temporary file in the target's directory, flushed to disk and renamed
// over the target only by commit(), so after a crash or a kill the target holds its old content or
// the complete new one. Anything else — a character device (/dev/null, /dev/full, a terminal), a
// FIFO, a Unix socket, /proc/self/fd/N, /dev/stdout, or `-` for standard output — is written in
// place as the data arrives, and is never renamed over or unlinked.
//
// A sweep streams its results instead (OutputFile::stream): a regular file is then written in
// place, from a given length of its old content on, so that while the sweep runs (and after it is
// killed) the file is a prefix of the complete one, and an interrupted sweep can be continued.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace symbreak {

// Where an output path leads, decided before anything is opened.
struct OutputTarget {
  enum class Kind {
    replace,     // a regular file, new or existing: temporary file + rename at commit
    in_place,    // a device, FIFO or socket: opened and written directly
    descriptor,  // an open file descriptor of this process (`-`, /dev/stdout, /proc/self/fd/N)
  };
  Kind kind = Kind::replace;
  std::string path;     // replace: the final target, symlinks resolved; in_place: the path to open
  int descriptor = -1;  // descriptor: the descriptor to duplicate
  bool exists = false;  // replace: the target exists (its mode and owner are kept)

  // Two outputs with equal non-empty identities would write the same file.
  std::string identity() const;
};

// Follows `path` (as given to `option`) to what it names. Throws UsageError, naming the option and
// the path, for a directory, a missing parent directory, a symlink loop or an unwritable file.
OutputTarget resolve_output(const std::string& option, const std::string& path);

class OutputFile {
 public:
  // Opens the target (for `replace`, a temporary file beside it; stale temporary files that a
  // killed run left for the same target are removed). Throws UsageError when that fails.
  OutputFile(std::string option, std::string path, const OutputTarget& target);
  // A streamed output: a regular file (kind `replace`) is opened in place, its first `keep` bytes
  // kept and the rest cut off; other kinds are opened as above. Throws UsageError when that fails
  // or the file is shorter than `keep`.
  static std::unique_ptr<OutputFile> stream(std::string option, std::string path,
                                            const OutputTarget& target, std::int64_t keep);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Write errors are remembered, not thrown, so that one failing output does not cost the others
  // their data; commit() reports them.
  void write(std::string_view text);
  // Hands what was written to the kernel and, for a streamed regular file, to the disk, so that a
  // checkpoint recorded after it never names data a crash could lose. Errors as for write().
  void flush_to_disk();
  // Length of the file's content so far: the kept bytes and everything written since.
  std::int64_t bytes() const { return bytes_; }
  // Completes the output: flushes, syncs and renames (replace) or flushes and closes (the others).
  // Returns "" or a one-line message naming the option, the path and the error.
  std::string commit();

  const std::string& path() const { return path_; }
  bool writes_standard_output() const;

 private:
  OutputFile(std::string option, std::string path, const OutputTarget& target, std::int64_t keep);
  void fail(const char* doing, int error);
  void write_pending(int fd);
  static constexpr std::size_t kStreamBuffer = 1 << 16;

  std::string option_, path_;
  OutputTarget target_;
  std::string temp_path_;
  std::FILE* file_ = nullptr;
  std::string error_;
  bool committed_ = false;
  bool streamed_ = false;  // a regular file written in place
  std::int64_t bytes_ = 0;
  std::string pending_;  // streamed: written with one write(2) per buffer of whole rows
};

// The prefix of the temporary files for `target_path`, in its directory: ".NAME.symbreak-".
std::string temporary_prefix(const std::string& target_path);

}  // namespace symbreak
