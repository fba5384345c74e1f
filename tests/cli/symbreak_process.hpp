// What the command-line tests share: a scratch directory, file helpers and running the built
// `symbreak` binary as a child process with its output captured.
#pragma once

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace symbreak::testing {

namespace fs = std::filesystem;

// A directory from mkdtemp, removed with its contents at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "symbreak-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// The lines of `text`, without their line ends.
inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

inline std::set<std::string> listing(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir))
    names.insert(entry.path().filename().string());
  return names;
}

// AddressSanitizer reserves terabytes of address space for its shadow memory, so the asan preset
// cannot cap the child's address space (its binaries would not start).
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif

struct Outcome {
  bool exited = false;  // ended by exit(), not by a signal or the timeout
  int status = -1;
  int signal = 0;  // the signal that ended it, when not `exited`
  std::string out, err;
};

// A symbreak child process started by start_symbreak and not yet waited for.
struct Running {
  pid_t pid = -1;
  std::string out_path, err_path;
};

// Starts the binary with `args` (argv[1] onwards), stdin from /dev/null and stdout/stderr captured
// in files of `capture`. `memory_limit` caps the child's address space, so that a regression in the
// "too large" checks fails the test instead of exhausting the machine. `in_child`, when given, runs
// in the child just before exec (the test process is single-threaded then).
inline Running start_symbreak(const std::vector<std::string>& args, const TempDir& capture,
                              bool memory_limit = false,
                              const std::function<void()>& in_child = {}) {
  Running r{-1, capture / "stdout", capture / "stderr"};
  std::vector<std::string> storage = {SYMBREAK_BINARY};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : storage)
    argv.push_back(s.data());
  argv.push_back(nullptr);

  r.pid = fork();
  if (r.pid < 0) throw std::runtime_error("fork failed");
  if (r.pid == 0) {
    const int in = open("/dev/null", O_RDONLY);
    const int out = open(r.out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(r.err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0 || err < 0) _exit(200);
    dup2(in, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    if (memory_limit && !kAddressSanitizer) {
      const rlimit limit{std::uint64_t{4} << 30, std::uint64_t{4} << 30};  // 4 GiB
      setrlimit(RLIMIT_AS, &limit);
    }
    if (in_child) in_child();
    execv(argv[0], argv.data());
    _exit(201);
  }
  return r;
}

// Under the sanitizers a sweep runs several times slower; the default patience grows with it.
constexpr std::chrono::seconds kDefaultPatience{kAddressSanitizer ? 300 : 60};

// Waits for the child to end (killing it after `timeout`, a test failure) and collects its output.
inline Outcome wait_symbreak(const Running& r, std::chrono::seconds timeout = kDefaultPatience) {
  Outcome o;
  int wstatus = 0;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const pid_t done = waitpid(r.pid, &wstatus, WNOHANG);
    if (done == r.pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(r.pid, SIGKILL);
      waitpid(r.pid, &wstatus, 0);
      ADD_FAILURE() << "symbreak did not finish within " << timeout.count() << " s";
      return o;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  o.exited = WIFEXITED(wstatus);
  o.status = o.exited ? WEXITSTATUS(wstatus) : -1;
  o.signal = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
  o.out = read_file(r.out_path);
  o.err = read_file(r.err_path);
  return o;
}

// Runs the binary to the end: start_symbreak, then wait_symbreak.
inline Outcome run_symbreak(const std::vector<std::string>& args, const TempDir& capture,
                            bool memory_limit = false, const std::function<void()>& in_child = {}) {
  return wait_symbreak(start_symbreak(args, capture, memory_limit, in_child));
}

// The fields of `text` between `separator`s, a trailing empty one included ("a,b," has three):
// the cells of a CSV line (symbreak quotes no field these tests read) or a `;`-joined list.
inline std::vector<std::string> split_fields(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(text);
  while (std::getline(in, field, separator))
    out.push_back(field);
  if (!text.empty() && text.back() == separator) out.emplace_back();
  return out;
}

// The rows of a CSV file as maps from column name to field; every row must have the header's
// number of fields.
inline std::vector<std::map<std::string, std::string>> csv_rows(const std::string& path) {
  const std::vector<std::string> lines = split_lines(read_file(path));
  EXPECT_FALSE(lines.empty()) << path;
  if (lines.empty()) return {};
  const std::vector<std::string> names = split_fields(lines[0], ',');
  std::vector<std::map<std::string, std::string>> rows;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::vector<std::string> fields = split_fields(lines[i], ',');
    EXPECT_EQ(fields.size(), names.size()) << path << " line " << i + 1;
    std::map<std::string, std::string> row;
    for (std::size_t k = 0; k < names.size() && k < fields.size(); ++k)
      row[names[k]] = fields[k];
    rows.push_back(row);
  }
  return rows;
}

// The output options of a sweep whose four files are named PREFIX{out,networks,trace,params}.csv
// in `dir` (--params keeping 3 replicates per configuration), for tests that compare two ways of
// running one sweep.
inline std::vector<std::string> output_args(const TempDir& dir, const std::string& prefix) {
  std::vector<std::string> args = {
      "--out",   dir / (prefix + "out.csv"),   "--networks", dir / (prefix + "networks.csv"),
      "--trace", dir / (prefix + "trace.csv"), "--params",   dir / (prefix + "params.csv")};
  args.insert(args.end(), {"--params-replicates", "3"});
  return args;
}

// xor, width 32, 2000 epochs, 900 networks of the `cpu` engine: about 190 networks per chunk, so
// five chunks, for tests that spread chunks over devices or ranks.
inline std::vector<std::string> five_chunk_sweep_args(const TempDir& dir,
                                                      const std::string& prefix) {
  std::vector<std::string> args = {"sweep",         "--quiet",
                                   "--task",        "xor",
                                   "--width",       "32",
                                   "--activation",  "tanh,sigmoid,relu",
                                   "--init",        "xavier-uniform,he-normal,normal:1",
                                   "--lr",          "0.1,0.5",
                                   "--epochs",      "2000",
                                   "--seeds",       "50",
                                   "--engine",      "cpu",
                                   "--trace-every", "500"};
  const std::vector<std::string> outputs = output_args(dir, prefix);
  args.insert(args.end(), outputs.begin(), outputs.end());
  return args;
}

// The files `output_args(dir, prefix)` names are byte-identical to those of `want_prefix`.
inline void expect_same_outputs(const TempDir& dir, const std::string& want_prefix,
                                const std::string& prefix) {
  for (const char* file : {"out.csv", "networks.csv", "trace.csv", "params.csv"}) {
    const std::string want = read_file(dir / (want_prefix + file));
    EXPECT_GT(want.size(), 100u) << want_prefix << file;
    EXPECT_TRUE(read_file(dir / (prefix + file)) == want) << prefix << file << " differs";
  }
}

}  // namespace symbreak::testing
