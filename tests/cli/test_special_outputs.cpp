// Outputs that are not plain files, through the real binary: a symlink is followed and its target
// replaced (the link stays a link), devices, FIFOs, sockets and /proc/self/fd/N are written in
// place and never replaced, `-` is standard output, a full device is one line and exit 1 while
// the other outputs are still written, and a temporary file left by a killed run is cleaned up.
//
// Device nodes are only ever created inside the test's own temporary directory, or on a scratch
// tmpfs mounted over /dev in a private mount namespace: the machine's /dev is never at risk, even
// when the code under test is wrong.
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "symbreak_process.hpp"

namespace {

using namespace symbreak::testing;

const char* const kHeader = "task,depth,width,activation,init,";

// A small valid sweep: 2 configurations x 2 networks, on the cpu engine.
std::vector<std::string> tiny_sweep(std::vector<std::string> outputs) {
  std::vector<std::string> args = {"sweep",
                                   "--init",
                                   "zeros,xavier-uniform",
                                   "--activation",
                                   "tanh",
                                   "--seeds",
                                   "2",
                                   "--epochs",
                                   "3",
                                   "--engine",
                                   "cpu",
                                   "--quiet"};
  args.insert(args.end(), outputs.begin(), outputs.end());
  return args;
}

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

bool is_kind(const std::string& path, mode_t kind) {
  struct stat st {};
  return lstat(path.c_str(), &st) == 0 && (st.st_mode & S_IFMT) == kind;
}

bool make_char_device(const std::string& path, unsigned major_number, unsigned minor_number) {
  return mknod(path.c_str(), S_IFCHR | 0666, makedev(major_number, minor_number)) == 0;
}

TEST(SpecialOutputs, SymlinkIsFollowedAndItsTargetReplaced) {
  const TempDir capture, work;
  fs::create_directory(work.path() / "results");
  write_file(work / "results/target.csv", "old\n");
  fs::create_symlink("results/target.csv", work.path() / "link.csv");  // relative
  fs::create_symlink(work / "link.csv", work.path() / "chain.csv");    // absolute, to a link
  const Outcome o = run_symbreak(tiny_sweep({"--out", work / "chain.csv"}), capture);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(is_kind(work / "link.csv", S_IFLNK)) << "the link was replaced";
  EXPECT_TRUE(is_kind(work / "chain.csv", S_IFLNK)) << "the link was replaced";
  const std::string csv = read_file(work / "results/target.csv");
  EXPECT_EQ(csv.rfind(kHeader, 0), 0u) << "the target was not written: " << csv;
  EXPECT_EQ(line_count(csv), 3u);
  EXPECT_EQ(listing(work.path() / "results"), std::set<std::string>{"target.csv"});
}

TEST(SpecialOutputs, DanglingSymlinkCreatesItsTarget) {
  const TempDir capture, work;
  fs::create_symlink("new.csv", work.path() / "link.csv");
  const Outcome o = run_symbreak(tiny_sweep({"--out", work / "link.csv"}), capture);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(is_kind(work / "link.csv", S_IFLNK));
  EXPECT_EQ(read_file(work / "new.csv").rfind(kHeader, 0), 0u);
}

TEST(SpecialOutputs, TwoOutputsOnOneFileThroughASymlinkAreRefused) {
  const TempDir capture, work;
  write_file(work / "a.csv", "keep\n");
  fs::create_symlink("a.csv", work.path() / "b.csv");
  const Outcome o =
      run_symbreak(tiny_sweep({"--out", work / "a.csv", "--networks", work / "b.csv"}), capture);
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("two outputs"), std::string::npos) << o.err;
  EXPECT_EQ(read_file(work / "a.csv"), "keep\n");
}

TEST(SpecialOutputs, ReplacedFileKeepsItsPermissions) {
  const TempDir capture, work;
  write_file(work / "out.csv", "old\n");
  fs::permissions(work.path() / "out.csv",
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  const Outcome o = run_symbreak(tiny_sweep({"--out", work / "out.csv"}), capture);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(fs::status(work.path() / "out.csv").permissions(),
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
}

// Everything readable from `fd` until end of file (or, non-blocking, until nothing is left).
std::string read_all(int fd) {
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = read(fd, buffer, sizeof(buffer))) > 0;)
    text.append(buffer, static_cast<std::size_t>(n));
  return text;
}

// The test holds the FIFO's read end open before symbreak starts, so symbreak's open never waits
// and the (small) output waits in the pipe: a wrong implementation fails the test, never hangs it.
TEST(SpecialOutputs, FifoIsWrittenInPlace) {
  const TempDir capture, work;
  const std::string fifo = work / "pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const int reader = open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  const Outcome o = run_symbreak(tiny_sweep({"--out", fifo}), capture);
  const std::string received = read_all(reader);
  close(reader);
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(is_kind(fifo, S_IFIFO)) << "the FIFO was replaced";
  EXPECT_EQ(received.rfind(kHeader, 0), 0u) << received;
  EXPECT_EQ(line_count(received), 3u);
}

// The connection waits in the listener's backlog and the data in the socket buffer until symbreak
// has finished; a non-blocking accept then finds it, or finds that nobody connected.
TEST(SpecialOutputs, UnixSocketIsWrittenInPlace) {
  const TempDir capture, work;
  const std::string path = work / "sock";
  const int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
  ASSERT_GE(listener, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  ASSERT_LT(path.size(), sizeof(address.sun_path));
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  ASSERT_EQ(bind(listener, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(listen(listener, 1), 0);
  const Outcome o = run_symbreak(tiny_sweep({"--out", path}), capture);
  const int connection = accept(listener, nullptr, nullptr);
  const std::string received = connection >= 0 ? read_all(connection) : "";
  if (connection >= 0) close(connection);
  close(listener);
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(is_kind(path, S_IFSOCK)) << "the socket was replaced";
  EXPECT_EQ(received.rfind(kHeader, 0), 0u) << received;
}

TEST(SpecialOutputs, ProcSelfFdWritesIntoTheOpenStandardOutput) {
  const TempDir capture, work;
  // /dev/stdout is this kind of link; one made here stands in for it.
  fs::create_symlink("/proc/self/fd/1", work.path() / "stdout");
  for (const std::string& path : {std::string("/proc/self/fd/1"), work / "stdout"}) {
    SCOPED_TRACE(path);
    const Outcome o = run_symbreak(tiny_sweep({"--out", path}), capture);
    EXPECT_EQ(o.status, 0) << o.err;
    EXPECT_EQ(o.out.rfind(kHeader, 0), 0u) << o.out;
    EXPECT_EQ(line_count(o.out), 3u);
  }
  EXPECT_TRUE(is_kind(work / "stdout", S_IFLNK));
}

TEST(SpecialOutputs, DashIsStandardOutputAndTheTableMovesToStderr) {
  const TempDir capture, work;
  std::vector<std::string> args = tiny_sweep({"--out", "-"});
  args.erase(std::find(args.begin(), args.end(), "--quiet"));
  const Outcome o = run_symbreak(args, capture, false, [&] {
    if (chdir(work.path().c_str()) != 0) _exit(202);
  });
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out.rfind(kHeader, 0), 0u) << o.out;
  EXPECT_EQ(line_count(o.out), 3u) << "only the CSV goes to stdout";
  EXPECT_NE(o.err.find("Reading:"), std::string::npos) << "the table and reading go to stderr";
  EXPECT_TRUE(listing(work.path()).empty()) << "no file named '-' was written";
}

// mknod needs root (CAP_MKNOD) and a file system mounted without nodev.
TEST(SpecialOutputs, CharacterDevicesAreWrittenInPlaceAndAFullOneIsOneLineAndExit1) {
  const TempDir capture, work;
  if (!make_char_device(work / "null", 1, 3) || !make_char_device(work / "full", 1, 7)) {
    GTEST_SKIP() << "cannot create device nodes here (needs root): " << std::strerror(errno);
  }
  const Outcome ok = run_symbreak(tiny_sweep({"--out", work / "null"}), capture);
  EXPECT_EQ(ok.status, 0) << ok.err;

  const Outcome full =
      run_symbreak(tiny_sweep({"--out", work / "full", "--networks", work / "nets.csv",
                               "--trace-every", "1", "--trace", work / "trace.csv"}),
                   capture);
  EXPECT_EQ(full.status, 1);
  EXPECT_EQ(full.err, "symbreak: error: --out: writing '" + (work / "full") +
                          "' failed: No space left on device\n");
  EXPECT_EQ(line_count(read_file(work / "nets.csv")), 1u + 4u) << "the other outputs are complete";
  EXPECT_EQ(line_count(read_file(work / "trace.csv")), 1u + 2u * 4u);
  EXPECT_TRUE(is_kind(work / "null", S_IFCHR)) << "the device node was replaced";
  EXPECT_TRUE(is_kind(work / "full", S_IFCHR)) << "the device node was replaced";
}

// The real names /dev/stdout, /dev/null and /dev/full, on a scratch /dev: the child enters a
// private mount namespace, mounts a tmpfs over /dev and makes the three there, runs symbreak in a
// grandchild and afterwards checks that they are still what they were. Its exit status is
// symbreak's, or 100 when a node was replaced, 77 when no namespace could be had.
int run_on_scratch_dev(const std::vector<std::string>& args, const TempDir& capture,
                       std::string& out, std::string& err) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (unshare(CLONE_NEWNS) != 0 || mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) ||
        mount("scratch-dev", "/dev", "tmpfs", 0, "mode=755") != 0 ||
        !make_char_device("/dev/null", 1, 3) || !make_char_device("/dev/full", 1, 7) ||
        symlink("/proc/self/fd/1", "/dev/stdout") != 0) {
      _exit(77);
    }
    const Outcome o = run_symbreak(args, capture);
    const bool intact = is_kind("/dev/null", S_IFCHR) && is_kind("/dev/full", S_IFCHR) &&
                        is_kind("/dev/stdout", S_IFLNK);
    write_file(capture / "child.out", o.out);
    write_file(capture / "child.err", o.err);
    _exit(!intact ? 100 : (o.exited ? o.status : 101));
  }
  int status = 0;
  waitpid(pid, &status, 0);
  out = read_file(capture / "child.out");
  err = read_file(capture / "child.err");
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(SpecialOutputs, RealDevicePathsOnAScratchDev) {
  const TempDir capture, work;
  std::string out, err;
  int status = run_on_scratch_dev(tiny_sweep({"--out", "/dev/stdout"}), capture, out, err);
  if (status == 77) GTEST_SKIP() << "no private mount namespace here (needs root)";
  EXPECT_EQ(status, 0) << err;
  EXPECT_EQ(out.rfind(kHeader, 0), 0u) << out;

  status = run_on_scratch_dev(tiny_sweep({"--out", "/dev/null", "--networks", "/dev/null"}),
                              capture, out, err);
  EXPECT_EQ(status, 0) << err;

  status = run_on_scratch_dev(tiny_sweep({"--out", "/dev/full", "--networks", work / "n.csv"}),
                              capture, out, err);
  EXPECT_EQ(status, 1) << "100 means a device node was replaced";
  EXPECT_EQ(err, "symbreak: error: --out: writing '/dev/full' failed: No space left on device\n");
  EXPECT_EQ(line_count(read_file(work / "n.csv")), 1u + 4u);
}

TEST(SpecialOutputs, TemporaryFileOfAKilledRunIsRemoved) {
  const TempDir capture, work;
  const pid_t gone = fork();  // a pid that certainly belongs to no running process afterwards
  if (gone == 0) _exit(0);
  waitpid(gone, nullptr, 0);
  const std::string stale = ".out.csv.meta.json.symbreak-" + std::to_string(gone) + "-AbC123";
  write_file(work / stale, "half a fi");
  write_file(work / "out.csv", "old\n");
  const Outcome o = run_symbreak(tiny_sweep({"--out", work / "out.csv"}), capture);
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(listing(work.path()), (std::set<std::string>{"out.csv", "out.csv.meta.json"}));
}

}  // namespace
