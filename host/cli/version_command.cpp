// Formats BuildInfo; the flag throws CLI11's CallForVersion, which main() prints and exits 0 on.
#include "host/cli/version_command.hpp"

namespace symbreak::cli {
namespace {

// "80,90" -> "sm_80, sm_90"; entries that are not plain numbers ("native", "90-real") as given.
std::string architecture_list(std::string_view architectures) {
  std::string out;
  while (!architectures.empty()) {
    const std::size_t comma = architectures.find(',');
    const std::string_view arch = architectures.substr(0, comma);
    const bool number =
        !arch.empty() && arch.find_first_not_of("0123456789") == std::string_view::npos;
    if (!out.empty()) out += ", ";
    out += (number ? "sm_" : "") + std::string(arch);
    if (comma == std::string_view::npos) break;
    architectures.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

std::string version_text(const BuildInfo& info) {
  std::string text = "symbreak " + std::string(info.version) + "\n";
  text += "commit:      " + std::string(info.commit) + "\n";
  text += "build type:  " + std::string(info.build_type) + "\n";
  if (info.cuda_runtime.empty()) {
    text +=
        "CUDA:        not built (no CUDA compiler at configure time): engines cpu-ref and cpu\n";
  } else {
    text += "CUDA:        runtime " + std::string(info.cuda_runtime) +
            " (static), kernels built for " + architecture_list(info.cuda_architectures) + "\n";
  }
  return text;
}

CLI::App* setup_version(CLI::App& app, const BuildInfo& info) {
  const std::string text = version_text(info);
  // CLI11 prints the message of CallForVersion followed by a newline.
  app.set_version_flag(
      "--version", text.substr(0, text.size() - 1),
      "print the version, git commit, build type and CUDA architectures, and exit");
  return app.add_subcommand("version", "the same as --version");
}

}  // namespace symbreak::cli
