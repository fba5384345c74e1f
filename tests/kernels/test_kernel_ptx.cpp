// Tests the PTX of the fused training kernels (sm_90, built by the symbreak_kernels_ptx target with
// the kernels' own flags) for what keeps the GPU's arithmetic the cpu engine's (docs/method.md
// §13): no FMA that the source does not write (fma_f in kernels/float_math.cuh writes each one as
// inline PTX, so every written FMA sits in an inline asm block and any other is a compiler's),
// every float add, subtract and multiply carrying an explicit rounding mode (ptxas may not fuse
// those), and no double arithmetic.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "kernels/kernel_choice.cuh"

namespace {

// Instruction counts of one entry function: "mul.rn.f32" -> 12, ...; instructions inside inline
// asm blocks (the source's written FMAs) are counted apart, as "asm fma.rn.f32".
using Counts = std::map<std::string, long>;
const std::string kWritten = "asm ";

// Entry name -> its instruction counts. An entry runs from ".entry NAME(" to the next ".entry".
std::map<std::string, Counts> count_instructions(const std::string& ptx) {
  static const std::regex entry(R"(\.entry\s+([A-Za-z0-9_]+)\()");
  static const std::regex instruction(R"(^\s+(?:@!?%p\d+\s+)?([a-z][a-z0-9]*(?:\.[a-z0-9]+)*)\s)");
  std::map<std::string, Counts> out;
  std::istringstream in(ptx);
  std::string line, current;
  std::smatch m;
  bool in_asm = false;
  while (std::getline(in, line)) {
    if (line.find("// begin inline asm") != std::string::npos) {
      in_asm = true;
    } else if (line.find("// end inline asm") != std::string::npos) {
      in_asm = false;
    } else if (std::regex_search(line, m, entry)) {
      current = m[1];
      out[current];
    } else if (!current.empty() && std::regex_search(line, m, instruction)) {
      ++out[current][(in_asm ? kWritten : "") + m[1].str()];
    }
  }
  return out;
}

// Problems of one entry: FMAs the source did not write (outside inline asm), written ones that are
// not the IEEE fma.rn.f32, contractible float arithmetic, double arithmetic.
std::vector<std::string> arithmetic_problems(const std::string& name, const Counts& counts) {
  std::vector<std::string> problems;
  for (const auto& [op, n] : counts) {
    if (op.rfind(kWritten, 0) == 0) {
      if (op != kWritten + "fma.rn.f32")
        problems.push_back(name + ": " + std::to_string(n) + " x " + op);
      continue;
    }
    const bool fma = op.rfind("fma.", 0) == 0 || op.rfind("mad.", 0) == 0;
    const bool f32 = op.size() > 4 && op.compare(op.size() - 4, 4, ".f32") == 0;
    const bool contractible = (op == "mul.f32" || op == "add.f32" || op == "sub.f32");
    const bool f64 = op.find(".f64") != std::string::npos;
    if ((fma && f32) || contractible || f64) {
      problems.push_back(name + ": " + std::to_string(n) + " x " + op);
    }
  }
  return problems;
}

TEST(KernelPtx, TheCheckFindsUnwrittenFmasContractibleAndDoubleArithmetic) {
  const std::string sample =
      ".visible .entry _Z1kv(\n"
      "\tmul.rn.f32 \t%f1, %f2, %f3;\n"
      "\tfma.rn.f32 \t%f4, %f1, %f2, %f3;\n"
      "\t// begin inline asm\n"
      "\tfma.rn.f32 %f6, %f1, %f2, %f3;\n"
      "\t// end inline asm\n"
      "\t// begin inline asm\n"
      "\tfma.rz.f32 %f7, %f1, %f2, %f3;\n"
      "\t// end inline asm\n"
      "\t@%p1 add.f32 \t%f5, %f1, %f2;\n"
      "\tadd.rn.f64 \t%fd1, %fd2, %fd3;\n"
      "\tret;\n";
  const std::map<std::string, Counts> counts = count_instructions(sample);
  ASSERT_EQ(counts.size(), 1u);
  const Counts& k = counts.at("_Z1kv");
  EXPECT_EQ(k.at("mul.rn.f32"), 1);
  EXPECT_EQ(k.at("fma.rn.f32"), 1);      // the compiler's
  EXPECT_EQ(k.at("asm fma.rn.f32"), 1);  // written
  // The unwritten fma, the written one with another rounding, add.f32 and the f64 add.
  EXPECT_EQ(arithmetic_problems("_Z1kv", k).size(), 4u);
}

#if defined(SYMBREAK_PTX_DIR)
std::string read_ptx(const std::string& file) {
  const std::string path = std::string(SYMBREAK_PTX_DIR) + "/" + file;
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path << " (built by the symbreak_kernels_ptx target)";
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}
#endif

TEST(KernelPtx, FusedKernelsComputeOnlyTheWrittenFloatArithmetic) {
#if !defined(SYMBREAK_PTX_DIR)
  GTEST_SKIP() << "built without CUDA: there is no PTX to check";
#else
  int entries = 0;
  for (const char* file : {"fused_thread.ptx", "fused_warp.ptx"}) {
    for (const auto& [name, counts] : count_instructions(read_ptx(file))) {
      ++entries;
      for (const std::string& problem : arithmetic_problems(name, counts))
        ADD_FAILURE() << file << ": " << problem;
      EXPECT_GT(counts.count("mul.rn.f32"), 0u) << name << ": no float arithmetic found at all";
      // The transcendental functions write FMAs (kernels/float_math.cuh); every entry trains
      // with them, so each must show them as written.
      EXPECT_GT(counts.count(kWritten + "fma.rn.f32"), 0u) << name << ": no written FMA found";
    }
  }
  int warp_variants = 0;
  for (int depth = 1; depth <= symbreak::kWarpMaxDepth; ++depth) {
    for (const symbreak::UpdateRule rule :
         {symbreak::UpdateRule::sgd, symbreak::UpdateRule::momentum, symbreak::UpdateRule::adam,
          symbreak::UpdateRule::rmsprop}) {
      warp_variants += symbreak::warp_kernel_trains(depth, rule) ? 1 : 0;
    }
  }
  EXPECT_EQ(warp_variants, 7);
  EXPECT_EQ(entries, static_cast<int>(symbreak::kThreadBuckets.size()) + warp_variants)
      << "every per-thread bucket and every per-warp variant";
#endif
}

}  // namespace
