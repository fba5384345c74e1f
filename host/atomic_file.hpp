// An output file that appears only when complete: writes go to a temporary file beside the
// target, commit() renames it over the target, and anything else leaves the target untouched.
// Opening it is also the up-front check that the target is writable.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace symbreak {

class AtomicFile {
 public:
  // Throws UsageError naming `option` and `path` when the file cannot be written.
  AtomicFile(std::string option, std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view text);
  void commit();  // throws std::runtime_error when the data cannot be stored
  const std::string& path() const { return path_; }

 private:
  std::string option_, path_, temp_path_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
};

}  // namespace symbreak
