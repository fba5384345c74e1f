// Reads the CUDA sources in kernels/ and checks that every global thread index is computed in 64
// bits: blockIdx.x * blockDim.x is 32-bit unsigned arithmetic and wraps past 2^32 threads (2^27
// networks for the per-warp kernel) unless blockIdx.x is widened first. A static check, since no
// test here can launch 2^32 threads.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

// Lines that multiply blockIdx.x without widening it to 64 bits first.
std::vector<std::string> narrow_indices(const std::string& source) {
  static const std::regex narrow(R"(blockIdx\.x\s*\*)");
  std::vector<std::string> found;
  std::istringstream in(source);
  for (std::string line; std::getline(in, line);) {
    if (std::regex_search(line, narrow)) found.push_back(line);
  }
  return found;
}

TEST(KernelIndexing, TheCheckTellsNarrowFromWideIndices) {
  EXPECT_EQ(narrow_indices("  const int i = blockIdx.x * blockDim.x + threadIdx.x;\n").size(), 1u);
  EXPECT_EQ(narrow_indices("  int k = static_cast<int>(blockIdx.x * blockDim.x);\n").size(), 1u);
  EXPECT_TRUE(narrow_indices("  const long long i = static_cast<long long>(blockIdx.x) * "
                             "blockDim.x + threadIdx.x;\n")
                  .empty());
}

TEST(KernelIndexing, EveryKernelComputesItsGlobalIndexIn64Bits) {
  namespace fs = std::filesystem;
  int files = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(SYMBREAK_SOURCE_DIR) / "kernels")) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".cu" && ext != ".cuh") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    ++files;
    for (const std::string& line : narrow_indices(text.str()))
      ADD_FAILURE() << entry.path().filename().string() << ": " << line;
  }
  EXPECT_GT(files, 5);
}

}  // namespace
