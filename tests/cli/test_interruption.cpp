// Interrupting and killing a sweep through the real binary, and continuing it. The outputs are
// streamed: while a sweep runs, and after any signal, each output is a prefix of the complete
// file, and its meta file (FILE.meta.json) records a checkpoint. SIGINT and SIGTERM stop it after
// the current chunk: the configurations completed are in the files, the exit status is 130 or 143,
// and no temporary file is left. `--resume` after SIGINT or SIGKILL, at any moment and any number
// of times, ends with files byte-identical to an uninterrupted run's; it refuses files of another
// sweep without touching them.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "symbreak_process.hpp"

namespace {

using namespace symbreak::testing;
using std::chrono::milliseconds;

// Fields of a CSV line; a quoted field ("fused-thread<d1,w4,i2>") may hold commas.
std::size_t field_count(const std::string& line) {
  std::size_t fields = 1;
  bool quoted = false;
  for (const char c : line) {
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) ++fields;
  }
  return fields;
}

// A complete CSV file: it ends with a newline, its header starts with `header_start`, and every
// row has the header's number of fields. Returns the number of rows (-1 when not complete).
long complete_rows(const std::string& text, const std::string& header_start) {
  if (text.empty() || text.back() != '\n') return -1;
  const std::vector<std::string> lines = split_lines(text);
  if (lines.empty() || lines[0].rfind(header_start, 0) != 0) return -1;
  for (const std::string& line : lines) {
    if (field_count(line) != field_count(lines[0])) return -1;
  }
  return static_cast<long>(lines.size()) - 1;
}

bool is_temporary(const std::string& name) {
  return name.front() == '.' && name.find(".symbreak-") != std::string::npos;
}

std::vector<std::string> temporaries(const TempDir& dir) {
  std::vector<std::string> found;
  for (const std::string& name : listing(dir.path())) {
    if (is_temporary(name)) found.push_back(name);
  }
  return found;
}

// Outputs of the sweeps below, all in one directory.
struct Outputs {
  explicit Outputs(const TempDir& dir)
      : out(dir / "out.csv"), networks(dir / "networks.csv"), trace(dir / "trace.csv") {}
  std::string out, networks, trace;
};

// A chunk is about 2e8 multiply-adds of work, a second or two here, and much longer in the asan
// preset's unoptimised, instrumented build.
constexpr std::chrono::seconds kPatience(kAddressSanitizer ? 600 : 120);

constexpr int kSeeds = 20;
constexpr int kTracedEpochs = 3;  // epochs 0, 500 and 1000 of --epochs 1000 --trace-every 500
constexpr const char* kConfigHeader = "task,depth,width,";

// xor with 4 hidden neurons, 3 activations x 3 inits x `lrs` learning rates x `momenta` momenta,
// 20 networks each. The full sweep (12 x 3: 324 configurations, 6,480 networks) is two to three
// chunks of about a second each on two idle cores, so a signal lands inside a chunk and the chunk's
// configurations are completed before the sweep stops.
std::vector<std::string> sweep_args(const Outputs& o, const std::string& engine, int lrs = 12,
                                    int momenta = 3) {
  static const char* const kRates[] = {"0.05", "0.1", "0.15", "0.2", "0.25", "0.3",
                                       "0.35", "0.4", "0.45", "0.5", "0.55", "0.6"};
  static const char* const kMomenta[] = {"0", "0.5", "0.9"};
  std::string lr_list = kRates[0];
  for (int i = 1; i < lrs; ++i)
    lr_list.append(",").append(kRates[i]);
  std::string momentum_list = kMomenta[0];
  for (int i = 1; i < momenta; ++i)
    momentum_list.append(",").append(kMomenta[i]);
  return {"sweep",         "--quiet",
          "--task",        "xor",
          "--width",       "4",
          "--activation",  "tanh,sigmoid,relu",
          "--init",        "xavier-uniform,he-normal,normal:1",
          "--lr",          lr_list,
          "--momentum",    momentum_list,
          "--epochs",      "1000",
          "--seeds",       std::to_string(kSeeds),
          "--engine",      engine,
          "--out",         o.out,
          "--networks",    o.networks,
          "--trace-every", "500",
          "--trace",       o.trace};
}

// When a stop signal is sent: as soon as the outputs are open (the meta files of the new sweep
// appear beside them: the first chunk is about to start or training), once the first chunk's
// networks are written (--networks holds rows: a later chunk is training), or once half of the
// networks are. Waiting for what the sweep has done, not for a time, keeps the test meaningful on
// fast and slow machines alike.
enum class Moment { outputs_open, first_chunk_written, half_written };

constexpr std::uintmax_t kHalfNetworksBytes = 300000;  // of about 600 kB for the full sweep

bool reached(const TempDir& dir, Moment moment) {
  std::error_code error;
  if (!fs::exists(dir / "networks.csv.meta.json", error)) return false;
  const std::uintmax_t size = fs::file_size(dir / "networks.csv", error);
  if (error) return false;
  switch (moment) {
    case Moment::outputs_open:
      return true;
    case Moment::first_chunk_written:
      return size > 4096;
    case Moment::half_written:
      return size > kHalfNetworksBytes;
  }
  return false;
}

// Waits for `moment`; false if the sweep ended first.
bool wait_for(const Running& r, const TempDir& dir, Moment moment) {
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (std::chrono::steady_clock::now() < deadline) {
    if (reached(dir, moment)) return true;
    if (waitpid(r.pid, nullptr, WNOHANG | WNOWAIT) == r.pid) return false;
    std::this_thread::sleep_for(milliseconds(1));
  }
  return false;
}

// SIGINT or SIGTERM at a few points of a sweep: exit 128 + signal, complete CSV files holding the
// configurations completed (and every network trained), no temporary file left.
void check_stop_signal(int signal, const std::string& engine, const std::vector<Moment>& moments) {
  for (const Moment moment : moments) {
    SCOPED_TRACE("signal " + std::to_string(signal) +
                 (moment == Moment::outputs_open ? " as soon as the outputs were open"
                                                 : " once the first chunk was written") +
                 ", engine " + engine);
    const TempDir capture;
    const TempDir dir;
    const Outputs o(dir);
    write_file(o.out, "previous,content\n1,2\n");
    write_file(o.trace, "previous trace\n");
    const Running r = start_symbreak(sweep_args(o, engine), capture);
    ASSERT_TRUE(wait_for(r, dir, moment)) << "the sweep ended before the signal";
    kill(r.pid, signal);
    const Outcome result = wait_symbreak(r, kPatience);
    ASSERT_TRUE(result.exited) << "ended by signal " << result.signal << ": " << result.err;
    EXPECT_EQ(result.status, 128 + signal) << result.err;
    EXPECT_NE(result.err.find("interrupted"), std::string::npos) << result.err;

    const long configs = complete_rows(read_file(o.out), kConfigHeader);
    const long networks = complete_rows(read_file(o.networks), kConfigHeader);
    const long traces = complete_rows(read_file(o.trace), kConfigHeader);
    ASSERT_GE(configs, 0) << read_file(o.out);
    ASSERT_GE(networks, 0) << read_file(o.networks);
    ASSERT_GE(traces, 0) << read_file(o.trace);
    // A signal that comes before the first chunk starts leaves none complete; one that comes
    // after the first chunk was written, at least that chunk's.
    if (moment == Moment::first_chunk_written) {
      EXPECT_GT(configs, 0) << "the chunks before the signal are completed";
    }
    EXPECT_LT(configs, 324) << "the sweep was to be interrupted, not finish";
    EXPECT_EQ(traces, configs * kTracedEpochs);
    EXPECT_GE(networks, configs * kSeeds) << "every completed configuration's networks";
    EXPECT_EQ(temporaries(dir), std::vector<std::string>{});
    EXPECT_EQ(listing(dir.path()),
              (std::set<std::string>{"out.csv", "networks.csv", "trace.csv", "out.csv.meta.json",
                                     "networks.csv.meta.json", "trace.csv.meta.json"}));
    EXPECT_NE(read_file(o.out + ".meta.json").find("\"state\": \"interrupted\""),
              std::string::npos);
  }
}

TEST(Interruption, SigintWritesCompletedConfigurationsAndExits130) {
  check_stop_signal(SIGINT, "cpu", {Moment::outputs_open, Moment::first_chunk_written});
}

TEST(Interruption, SigtermWritesCompletedConfigurationsAndExits143) {
  check_stop_signal(SIGTERM, "cpu-ref", {Moment::outputs_open});
}

// What an output path may hold after a kill: exactly its previous content (nothing, if it did not
// exist), or a prefix of a new run's file that ends at the end of a row (nothing written yet, the
// header alone, or rows).
void expect_old_or_prefix(const std::string& path, const std::optional<std::string>& previous) {
  if (!fs::exists(path)) {
    EXPECT_FALSE(previous.has_value()) << path << " was removed";
    return;
  }
  const std::string now = read_file(path);
  if ((previous && now == *previous) || now.empty()) return;
  EXPECT_GE(complete_rows(now, kConfigHeader), 0)
      << path << " holds neither its previous content nor a CSV file of whole rows:\n"
      << now.substr(0, 2000);
}

std::uint32_t kill_test_seed() {
  if (const char* given = std::getenv("SYMBREAK_KILL_SEED")) {
    return static_cast<std::uint32_t>(std::strtoul(given, nullptr, 10));
  }
  return std::random_device{}();
}

// SIGKILL at random moments — before the outputs are opened, while training, while a checkpoint is
// written, after the end — of long and short sweeps. The seed is printed; SYMBREAK_KILL_SEED=S
// repeats a run.
TEST(Interruption, SigkillNeverLeavesATruncatedOutput) {
  const std::uint32_t seed = kill_test_seed();
  std::cout << "SigkillNeverLeavesATruncatedOutput: SYMBREAK_KILL_SEED=" << seed << "\n";
  RecordProperty("kill_seed", std::to_string(seed));
  std::mt19937 random(seed);
  const TempDir capture;
  const TempDir dir;
  const Outputs o(dir);
  // --networks starts absent, the others hold content of their own.
  write_file(o.out, "previous,content\n1,2\n");
  write_file(o.trace, "previous trace\n");
  std::optional<std::string> out_before = read_file(o.out), trace_before = read_file(o.trace);
  std::optional<std::string> networks_before;
  int left_behind = 0;
  for (int round = 0; round < 10; ++round) {
    // Even rounds: the full sweep, killed within its first second; odd rounds: a short sweep (one
    // learning rate, one momentum: 9 configurations) killed at any point up to after its end.
    const bool short_sweep = round % 2 == 1;
    const int delay_ms = std::uniform_int_distribution<int>(0, short_sweep ? 400 : 1000)(random);
    SCOPED_TRACE("round " + std::to_string(round) + ": SIGKILL after " + std::to_string(delay_ms) +
                 " ms of a " + (short_sweep ? "short" : "long") +
                 " sweep (SYMBREAK_KILL_SEED=" + std::to_string(seed) + ")");
    const Running r = short_sweep ? start_symbreak(sweep_args(o, "cpu", 1, 1), capture)
                                  : start_symbreak(sweep_args(o, "cpu"), capture);
    std::this_thread::sleep_for(milliseconds(delay_ms));
    kill(r.pid, SIGKILL);
    const Outcome result = wait_symbreak(r, kPatience);
    EXPECT_TRUE(result.exited || result.signal == SIGKILL) << result.err;
    if (result.exited) {
      EXPECT_EQ(result.status, 0) << result.err;
    }
    expect_old_or_prefix(o.out, out_before);
    expect_old_or_prefix(o.networks, networks_before);
    expect_old_or_prefix(o.trace, trace_before);
    left_behind += static_cast<int>(temporaries(dir).size());
    // The next round starts from whatever this one left.
    out_before = read_file(o.out);
    trace_before = read_file(o.trace);
    if (fs::exists(o.networks)) networks_before = read_file(o.networks);
  }
  std::cout << "SigkillNeverLeavesATruncatedOutput: " << left_behind
            << " temporary files seen after the kills\n";

  // A temporary meta file of a writer that is gone (a killed run) is removed by the next run that
  // writes the same meta file; one whose writer still runs (this test process) is left alone.
  const pid_t gone = fork();
  if (gone == 0) _exit(0);
  waitpid(gone, nullptr, 0);
  const std::string stale =
      dir / (".out.csv.meta.json.symbreak-" + std::to_string(gone) + "-AbC123");
  const std::string alive =
      dir / (".out.csv.meta.json.symbreak-" + std::to_string(getpid()) + "-XyZ789");
  write_file(stale, "half a file");
  write_file(alive, "someone else's half a file");
  const Outcome last = run_symbreak(sweep_args(o, "cpu", 1, 1), capture);
  EXPECT_EQ(last.status, 0) << last.err;
  EXPECT_EQ(complete_rows(read_file(o.out), kConfigHeader), 9);
  EXPECT_EQ(complete_rows(read_file(o.networks), kConfigHeader), 9 * kSeeds);
  EXPECT_EQ(complete_rows(read_file(o.trace), kConfigHeader), 9 * kTracedEpochs);
  EXPECT_EQ(temporaries(dir), std::vector<std::string>{fs::path(alive).filename().string()});
}

// --- --resume
// -------------------------------------------------------------------------------------

// The three files of an uninterrupted run of sweep_args(…, "cpu"), computed once.
struct Files {
  std::string out, networks, trace;
  bool operator==(const Files&) const = default;
};

Files read_outputs(const Outputs& o) {
  return Files{read_file(o.out), read_file(o.networks), read_file(o.trace)};
}

Outcome run_patiently(const std::vector<std::string>& args, const TempDir& capture) {
  return wait_symbreak(start_symbreak(args, capture), kPatience);
}

// The sweep of sweep_args with 20000 epochs: twenty times the chunks (a chunk is a fixed amount of
// work), so that signals land inside the sweep on fast engines too, and so that it lasts several
// of the sweep's checkpoint intervals (250 ms): at 4000 epochs the SIMD cpu engine with FMAs
// finished it in 0.2 s on an idle 2-core machine, before any checkpoint a kill could follow.
std::vector<std::string> resume_args(const Outputs& o) {
  std::vector<std::string> args = sweep_args(o, "cpu");
  *(std::find(args.begin(), args.end(), "--epochs") + 1) = "20000";
  return args;
}

struct Uninterrupted {
  Files files;
  int milliseconds = 0;  // how long the sweep took
};

const Uninterrupted& uninterrupted() {
  static const Uninterrupted run = [] {
    const TempDir capture;
    const TempDir dir;
    const Outputs o(dir);
    const auto start = std::chrono::steady_clock::now();
    const Outcome r = run_patiently(resume_args(o), capture);
    EXPECT_EQ(r.status, 0) << r.err;
    const auto took =
        std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
    return Uninterrupted{read_outputs(o), static_cast<int>(took.count())};
  }();
  return run;
}

std::vector<std::string> with_resume(std::vector<std::string> args) {
  args.push_back("--resume");
  return args;
}

// Byte for byte, with the first difference shown rather than two large files.
void expect_same_files(const Files& got, const Files& want) {
  const auto first_difference = [](const std::string& a, const std::string& b) {
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i])
      ++i;
    return "sizes " + std::to_string(a.size()) + " and " + std::to_string(b.size()) +
           ", first difference at byte " + std::to_string(i);
  };
  EXPECT_TRUE(got.out == want.out) << "--out: " << first_difference(got.out, want.out);
  EXPECT_TRUE(got.networks == want.networks)
      << "--networks: " << first_difference(got.networks, want.networks);
  EXPECT_TRUE(got.trace == want.trace) << "--trace: " << first_difference(got.trace, want.trace);
}

// SIGINT at a few points of a sweep, and of the resumed sweep again; --resume then completes the
// files, equal to an uninterrupted run's.
TEST(Resume, AfterSigintAtSeveralPointsEqualsAnUninterruptedRun) {
  const Files& want = uninterrupted().files;
  int interrupted = 0;
  const std::vector<std::vector<Moment>> cases = {
      {Moment::outputs_open},
      {Moment::first_chunk_written},
      {Moment::half_written},
      {Moment::first_chunk_written, Moment::half_written}};  // interrupted twice
  for (const std::vector<Moment>& moments : cases) {
    SCOPED_TRACE("interrupted " + std::to_string(moments.size()) + " time(s), first at moment " +
                 std::to_string(static_cast<int>(moments[0])));
    const TempDir capture;
    const TempDir dir;
    const Outputs o(dir);
    write_file(o.out, "previous,content\n1,2\n");
    for (std::size_t k = 0; k < moments.size(); ++k) {
      const auto args = k == 0 ? resume_args(o) : with_resume(resume_args(o));
      const Running r = start_symbreak(args, capture);
      if (!wait_for(r, dir, moments[k])) {
        wait_symbreak(r, kPatience);
        GTEST_SKIP() << "the sweep ended before the signal (a very fast machine)";
      }
      kill(r.pid, SIGINT);
      const Outcome result = wait_symbreak(r, kPatience);
      ASSERT_TRUE(result.exited) << result.err;
      if (result.status == 0) break;  // the last chunk was already training: it completed
      ++interrupted;
      EXPECT_EQ(result.status, 130) << result.err;
      EXPECT_NE(result.err.find("--resume"), std::string::npos) << result.err;
      // What is on disk is the beginning of the complete files.
      const Files now = read_outputs(o);
      EXPECT_EQ(want.out.compare(0, now.out.size(), now.out), 0);
      EXPECT_EQ(want.trace.compare(0, now.trace.size(), now.trace), 0);
      EXPECT_EQ(want.networks.compare(0, now.networks.size(), now.networks), 0);
    }
    const Outcome resumed = run_patiently(with_resume(resume_args(o)), capture);
    ASSERT_EQ(resumed.status, 0) << resumed.err;
    expect_same_files(read_outputs(o), want);
    EXPECT_NE(read_file(o.networks + ".meta.json").find("\"state\": \"complete\""),
              std::string::npos);
    EXPECT_EQ(temporaries(dir), std::vector<std::string>{});
  }
  EXPECT_GE(interrupted, 3) << "most signals must land inside the sweep for this test to mean much";
}

// SIGKILL at random moments, then --resume, again and again until a run completes: the files are
// those of an uninterrupted run. The first run already uses --resume (nothing on disk yet: a new
// sweep), as a job script that is simply restarted would.
TEST(Resume, AfterRepeatedSigkillEqualsAnUninterruptedRun) {
  const Files& want = uninterrupted().files;
  // Kills spread over the first half of the time an uninterrupted sweep took; if a sweep still
  // completes before three kills landed (a machine less loaded than when it was measured), it
  // starts again from nothing with kills twice as early.
  int span_ms = std::max(20, uninterrupted().milliseconds / 2);
  const std::uint32_t seed = kill_test_seed();
  std::cout << "AfterRepeatedSigkillEqualsAnUninterruptedRun: SYMBREAK_KILL_SEED=" << seed << "\n";
  std::mt19937 random(seed);
  const TempDir capture;
  int kills = 0;
  int past_a_checkpoint = 0;  // kills after which some configurations were recorded complete
  for (int attempt = 0; attempt < 6 && kills < 3; ++attempt, span_ms = std::max(5, span_ms / 2)) {
    SCOPED_TRACE("attempt " + std::to_string(attempt) + ", kills within " +
                 std::to_string(span_ms) + " ms (SYMBREAK_KILL_SEED=" + std::to_string(seed) + ")");
    const TempDir dir;
    const Outputs o(dir);
    for (int round = 0; round < 40; ++round) {
      const Running r = start_symbreak(with_resume(resume_args(o)), capture);
      if (round < 12) {
        std::this_thread::sleep_for(
            milliseconds(std::uniform_int_distribution<int>(0, span_ms)(random)));
        kill(r.pid, SIGKILL);
      }
      const Outcome result = wait_symbreak(r, kPatience);
      if (result.exited) {
        ASSERT_EQ(result.status, 0) << "round " << round << ": " << result.err;
        break;
      }
      ++kills;
      const std::string meta = read_file(o.out + ".meta.json");
      const std::size_t at = meta.find("\"configurations\": ");
      if (at != std::string::npos && meta.compare(at + 18, 2, "0\n") != 0 &&
          meta.compare(at + 18, 2, "0,") != 0) {
        ++past_a_checkpoint;
      }
    }
    expect_same_files(read_outputs(o), want);
  }
  std::cout << "AfterRepeatedSigkillEqualsAnUninterruptedRun: " << kills << " kills, "
            << past_a_checkpoint << " of them after a checkpoint\n";
  EXPECT_GE(kills, 3) << "kills must land inside the sweep for this test to mean much";
  EXPECT_GE(past_a_checkpoint, 1) << "some resumed runs must start from a checkpoint";
}

// --resume refuses, with one line and without touching any file, outputs of another sweep (other
// options, other outputs, another shard), outputs without a checkpoint, and outputs that are not
// files; a complete sweep resumed is left as it is.
TEST(Resume, RefusesAnotherSweepAndLeavesTheFilesAlone) {
  const TempDir capture;
  const TempDir dir;
  const Outputs o(dir);
  // A short sweep (9 configurations), complete.
  ASSERT_EQ(run_patiently(sweep_args(o, "cpu", 1, 1), capture).status, 0);
  const Files before = read_outputs(o);
  const std::string meta_before = read_file(o.out + ".meta.json");

  struct Refused {
    std::vector<std::string> args;
    std::string message;
  };
  std::vector<std::string> other_seeds = with_resume(sweep_args(o, "cpu", 1, 1));
  *(std::find(other_seeds.begin(), other_seeds.end(), "--seeds") + 1) = "21";
  std::vector<std::string> other_lr = with_resume(sweep_args(o, "cpu", 2, 1));
  std::vector<std::string> without_trace = with_resume(sweep_args(o, "cpu", 1, 1));
  without_trace.resize(without_trace.size() - 5);  // drops --trace-every 500 --trace FILE
  without_trace.push_back("--resume");
  std::vector<std::string> shard = with_resume(sweep_args(o, "cpu", 1, 1));
  shard.insert(shard.end(), {"--shard", "1/2"});
  std::vector<std::string> other_data = with_resume(sweep_args(o, "cpu", 1, 1));
  other_data.insert(other_data.end(), {"--data-seed", "3"});
  std::vector<std::string> to_stdout = with_resume(sweep_args(o, "cpu", 1, 1));
  *std::find(to_stdout.begin(), to_stdout.end(), o.out) = "-";
  const std::vector<Refused> refused = {
      {other_seeds, "seeds: 20 there, 21 here"},      {other_lr, "another sweep (configuration"},
      {without_trace, "another sweep (outputs"},      {shard, "holds shard 0/1, not 1/2"},
      {to_stdout, "--out '-' is not a regular file"}, {other_data, "data_seed: absent there"},
  };
  for (const Refused& r : refused) {
    const Outcome result = run_patiently(r.args, capture);
    EXPECT_EQ(result.status, 2) << result.err;
    EXPECT_NE(result.err.find(r.message), std::string::npos) << result.err;
    EXPECT_EQ(split_lines(result.err).size(), 1u) << result.err;
    EXPECT_TRUE(read_outputs(o) == before);
    EXPECT_EQ(read_file(o.out + ".meta.json"), meta_before);
  }

  // Resuming the complete sweep changes no file.
  const Outcome again = run_patiently(with_resume(sweep_args(o, "cpu", 1, 1)), capture);
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_TRUE(read_outputs(o) == before);

  // An output without its meta file is not resumed.
  fs::remove(o.trace + ".meta.json");
  const Outcome no_meta = run_patiently(with_resume(sweep_args(o, "cpu", 1, 1)), capture);
  EXPECT_EQ(no_meta.status, 2) << no_meta.err;
  EXPECT_NE(no_meta.err.find("no checkpoint"), std::string::npos) << no_meta.err;
  EXPECT_TRUE(read_outputs(o) == before);
}

}  // namespace
