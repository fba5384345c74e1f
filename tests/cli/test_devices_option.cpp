// `sweep --devices`: chunks spread over several devices, one host thread and engine each, give
// the files of one device byte for byte. Here the `cpu` engine stands in for each device (the
// same code path as GPUs; scripts/gpu-check.sh runs it on a machine with GPUs).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "symbreak_process.hpp"

namespace {

using namespace symbreak::testing;

// xor, width 32, 2000 epochs: about 190 networks per chunk, so the 900 networks are 5 chunks.
std::vector<std::string> sweep_args(const TempDir& dir, const std::string& prefix) {
  return {"sweep",         "--quiet",
          "--task",        "xor",
          "--width",       "32",
          "--activation",  "tanh,sigmoid,relu",
          "--init",        "xavier-uniform,he-normal,normal:1",
          "--lr",          "0.1,0.5",
          "--epochs",      "2000",
          "--seeds",       "50",
          "--engine",      "cpu",
          "--trace-every", "500",
          "--out",         dir / (prefix + "out.csv"),
          "--networks",    dir / (prefix + "networks.csv"),
          "--trace",       dir / (prefix + "trace.csv")};
}

TEST(DevicesOption, SeveralDevicesWriteTheFilesOfOne) {
  const TempDir capture;
  const TempDir dir;
  const Outcome one = run_symbreak(sweep_args(dir, "one-"), capture);
  ASSERT_EQ(one.status, 0) << one.err;
  for (const std::string devices : {"0,1", "2,0,1", "all"}) {
    SCOPED_TRACE("--devices " + devices);
    std::vector<std::string> args = sweep_args(dir, "d-");
    args.insert(args.end(), {"--devices", devices});
    const Outcome r = run_symbreak(args, capture);
    ASSERT_EQ(r.status, 0) << r.err;
    for (const char* file : {"out.csv", "networks.csv", "trace.csv"}) {
      const std::string want = read_file(dir / (std::string("one-") + file));
      EXPECT_GT(want.size(), 100u);
      EXPECT_TRUE(read_file(dir / (std::string("d-") + file)) == want) << file << " differs";
    }
  }
}

}  // namespace
