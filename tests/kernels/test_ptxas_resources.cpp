// Tests the GPU resources of the fused kernels from ptxas's own report, kept by the build
// (cmake/ptxas_report.sh writes <object>.ptxas.txt for every kernels/*.cu object): every per-thread
// bucket of kernel_choice.cuh (every update rule it lists) and every per-warp variant (every depth
// and rule warp_kernel_trains names) must compile, for every architecture the
// build targets (sm_80 and sm_90 by default), with no stack frame and no spill stores or loads,
// since a spill moves a network's registers to local memory and the fused kernels' whole point is
// keeping them in registers.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "kernels/kernel_choice.cuh"

namespace symbreak {
namespace {

struct FunctionResources {
  long stack = -1, spill_stores = -1, spill_loads = -1;
};

// (mangled name, "sm_XX") -> resources, from ptxas -v output:
//   ptxas info    : Compiling entry function '_Z...' for 'sm_80'
//   ptxas info    : Function properties for _Z...
//       0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
using Report = std::map<std::pair<std::string, std::string>, FunctionResources>;

Report parse_ptxas_report(const std::string& text) {
  static const std::regex entry(R"(Compiling entry function '([^']+)' for '(sm_[0-9a-z]+)')");
  static const std::regex properties(R"(Function properties for (\S+))");
  static const std::regex numbers(
      R"((\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads)");
  Report report;
  std::istringstream in(text);
  std::string line, arch, function;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, entry)) {
      arch = m[2];
      function.clear();
    } else if (std::regex_search(line, m, properties)) {
      function = m[1];
    } else if (std::regex_search(line, m, numbers) && !function.empty() && !arch.empty()) {
      report[{function, arch}] =
          FunctionResources{std::stol(m[1]), std::stol(m[2]), std::stol(m[3])};
      function.clear();
    }
  }
  return report;
}

// Demangles through c++filt, one name per argument (mangled names are [A-Za-z0-9_] only).
std::map<std::string, std::string> demangle(const std::vector<std::string>& names) {
  std::map<std::string, std::string> out;
  for (const std::string& name : names) {
    const std::string command = "c++filt " + name;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) continue;
    char buffer[4096];
    std::string text;
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr)
      text += buffer;
    pclose(pipe);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
      text.pop_back();
    out[name] = text;
  }
  return out;
}

// Demangled name (up to its parameter list) and architecture -> resources.
using Resources = std::map<std::pair<std::string, std::string>, FunctionResources>;

Resources demangled(const Report& report) {
  std::vector<std::string> names;
  for (const auto& [key, r] : report)
    names.push_back(key.first);
  const std::map<std::string, std::string> plain = demangle(names);
  Resources out;
  for (const auto& [key, r] : report) {
    std::string name = plain.at(key.first);
    // Up to the parameter list: the first '(' after the template arguments, which may hold casts
    // of their own ("(symbreak::UpdateRule)2").
    const std::size_t close = name.rfind('>');
    name = name.substr(0, name.find('(', close == std::string::npos ? 0 : close));
    if (name.rfind("void ", 0) == 0) name = name.substr(5);
    out[{name, key.second}] = r;
  }
  return out;
}

// Empty when every expected kernel has an entry for every architecture without stack or spills;
// otherwise one line per problem.
std::vector<std::string> resource_problems(const Resources& resources,
                                           const std::vector<std::string>& kernels,
                                           const std::vector<std::string>& archs) {
  std::vector<std::string> problems;
  for (const std::string& kernel : kernels) {
    for (const std::string& arch : archs) {
      const auto it = resources.find({kernel, arch});
      if (it == resources.end()) {
        problems.push_back(kernel + " for " + arch + ": not in the ptxas report");
        continue;
      }
      const FunctionResources& r = it->second;
      if (r.stack != 0 || r.spill_stores != 0 || r.spill_loads != 0) {
        problems.push_back(kernel + " for " + arch + ": " + std::to_string(r.stack) +
                           " bytes stack frame, " + std::to_string(r.spill_stores) +
                           " bytes spill stores, " + std::to_string(r.spill_loads) +
                           " bytes spill loads");
      }
    }
  }
  return problems;
}

[[maybe_unused]] std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines)
    out.append(line).append("\n");
  return out;
}

// A template argument of type UpdateRule as c++filt writes it.
std::string rule_argument(UpdateRule rule) {
  return "(symbreak::UpdateRule)" + std::to_string(static_cast<int>(rule));
}

std::string thread_kernel(const ThreadBucket& k) {
  return "symbreak::kernel_fused_thread<" + std::to_string(k.depth) + ", " +
         std::to_string(k.max_width) + ", " + std::to_string(k.max_inputs) + ", " +
         rule_argument(k.rule) + ">";
}

[[maybe_unused]] std::vector<std::string> fused_kernels() {
  std::vector<std::string> kernels;
  for (const ThreadBucket& k : kThreadBuckets)
    kernels.push_back(thread_kernel(k));
  for (int depth = 1; depth <= kWarpMaxDepth; ++depth) {
    for (const UpdateRule rule :
         {UpdateRule::sgd, UpdateRule::momentum, UpdateRule::adam, UpdateRule::rmsprop}) {
      if (!warp_kernel_trains(depth, rule)) continue;
      kernels.push_back("symbreak::kernel_fused_warp<" + std::to_string(depth) + ", " +
                        rule_argument(rule) + ">");
    }
  }
  return kernels;
}

const std::vector<std::string> kArchs = {"sm_80", "sm_90"};

// The architectures this build compiled the kernels for, from CMAKE_CUDA_ARCHITECTURES with ','
// for ';' ("80,90", "90-real", "90a"): a build for sm_90 only has no sm_80 report, and must not be
// asked for one.
std::vector<std::string> built_architectures(const std::string& list) {
  std::vector<std::string> archs;
  std::istringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    item = item.substr(0, item.find('-'));
    if (!item.empty()) archs.push_back("sm_" + item);
  }
  return archs;
}

TEST(PtxasReportParser, ArchitecturesComeFromTheBuildsList) {
  EXPECT_EQ(built_architectures("80,90"), kArchs);
  EXPECT_EQ(built_architectures("90"), std::vector<std::string>{"sm_90"});
  EXPECT_EQ(built_architectures("90a-real,100"), (std::vector<std::string>{"sm_90a", "sm_100"}));
}

// A report in ptxas's format: bucket {1, 4, 2, sgd} clean on sm_80, spilling on sm_90.
const char* const kSpillingSample =
    "ptxas info    : 0 bytes gmem\n"
    "ptxas info    : Compiling entry function "
    "'_ZN8symbreak19kernel_fused_threadILi1ELi4ELi2ELNS_10UpdateRuleE0EEEvNS_"
    "14DeviceNetworksEPKiiNS_"
    "12EpochSegmentE' for 'sm_80'\n"
    "ptxas info    : Function properties for "
    "_ZN8symbreak19kernel_fused_threadILi1ELi4ELi2ELNS_10UpdateRuleE0EEEvNS_"
    "14DeviceNetworksEPKiiNS_"
    "12EpochSegmentE\n"
    "    0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads\n"
    "ptxas info    : Used 80 registers, used 0 barriers, 460 bytes cmem[0]\n"
    "ptxas info    : Compiling entry function "
    "'_ZN8symbreak19kernel_fused_threadILi1ELi4ELi2ELNS_10UpdateRuleE0EEEvNS_"
    "14DeviceNetworksEPKiiNS_"
    "12EpochSegmentE' for 'sm_90'\n"
    "ptxas info    : Function properties for "
    "_ZN8symbreak19kernel_fused_threadILi1ELi4ELi2ELNS_10UpdateRuleE0EEEvNS_"
    "14DeviceNetworksEPKiiNS_"
    "12EpochSegmentE\n"
    "    48 bytes stack frame, 44 bytes spill stores, 40 bytes spill loads\n"
    "ptxas info    : Used 255 registers, used 0 barriers\n";

TEST(PtxasReportParser, ReadsEntriesPerArchitectureAndDemangles) {
  const Resources r = demangled(parse_ptxas_report(kSpillingSample));
  ASSERT_EQ(r.size(), 2u);
  const std::string kernel = "symbreak::kernel_fused_thread<1, 4, 2, (symbreak::UpdateRule)0>";
  ASSERT_EQ(r.count({kernel, "sm_80"}), 1u) << "c++filt must demangle the kernel's name";
  EXPECT_EQ(r.at({kernel, "sm_80"}).spill_stores, 0);
  EXPECT_EQ(r.at({kernel, "sm_90"}).stack, 48);
  EXPECT_EQ(r.at({kernel, "sm_90"}).spill_stores, 44);
  EXPECT_EQ(r.at({kernel, "sm_90"}).spill_loads, 40);
}

TEST(PtxasReportParser, ASpillOrAMissingEntryIsAProblem) {
  const Resources r = demangled(parse_ptxas_report(kSpillingSample));
  const std::string kernel = "symbreak::kernel_fused_thread<1, 4, 2, (symbreak::UpdateRule)0>";
  EXPECT_TRUE(resource_problems(r, {kernel}, {"sm_80"}).empty());
  const std::vector<std::string> spill = resource_problems(r, {kernel}, kArchs);
  ASSERT_EQ(spill.size(), 1u);
  EXPECT_NE(spill[0].find("44 bytes spill stores"), std::string::npos) << spill[0];
  const std::vector<std::string> missing = resource_problems(
      r, {"symbreak::kernel_fused_thread<1, 8, 2, (symbreak::UpdateRule)0>"}, {"sm_80"});
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_NE(missing[0].find("not in the ptxas report"), std::string::npos);
}

#if defined(SYMBREAK_PTXAS_DIR)
std::string read_report(const std::string& object) {
  const std::string path = std::string(SYMBREAK_PTXAS_DIR) + "/" + object + ".ptxas.txt";
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path << " (written by cmake/ptxas_report.sh)";
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}
#endif

TEST(FusedKernels, NoStackFrameAndNoSpillsOnEveryBuiltArchitecture) {
#if !defined(SYMBREAK_WITH_CUDA) || !defined(SYMBREAK_PTXAS_DIR) || \
    !defined(SYMBREAK_CUDA_ARCHITECTURES)
  GTEST_SKIP() << "built without CUDA: there is no ptxas report to check";
#else
  Report report = parse_ptxas_report(read_report("fused_thread.cu.o"));
  report.merge(parse_ptxas_report(read_report("fused_warp.cu.o")));
  const Resources resources = demangled(report);
  const std::vector<std::string> archs = built_architectures(SYMBREAK_CUDA_ARCHITECTURES);
  ASSERT_FALSE(archs.empty());
  const std::vector<std::string> problems = resource_problems(resources, fused_kernels(), archs);
  EXPECT_TRUE(problems.empty()) << joined(problems);
  RecordProperty("kernels_checked", static_cast<int>(fused_kernels().size() * archs.size()));
#endif
}

}  // namespace
}  // namespace symbreak
