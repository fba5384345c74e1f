// `sweep --devices`: chunks spread over several devices, one host thread and engine each, give
// the files of one device byte for byte. Here the `cpu` engine stands in for each device (the
// same code path as GPUs; scripts/gpu-check.sh runs it on a machine with GPUs).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "symbreak_process.hpp"

namespace {

using namespace symbreak::testing;

TEST(DevicesOption, SeveralDevicesWriteTheFilesOfOne) {
  const TempDir capture;
  const TempDir dir;
  const Outcome one = run_symbreak(five_chunk_sweep_args(dir, "one-"), capture);
  ASSERT_EQ(one.status, 0) << one.err;
  for (const std::string devices : {"0,1", "2,0,1", "all"}) {
    SCOPED_TRACE("--devices " + devices);
    std::vector<std::string> args = five_chunk_sweep_args(dir, "d-");
    args.insert(args.end(), {"--devices", devices});
    const Outcome r = run_symbreak(args, capture);
    ASSERT_EQ(r.status, 0) << r.err;
    expect_same_outputs(dir, "one-", "d-");
  }
}

}  // namespace
