// Reports hardware as found; a missing driver or device is a normal answer here.
#include "host/cli/devices_command.hpp"

#include <cstdio>
#include <fstream>
#include <string>

#include "host/engines/cuda_devices.hpp"
#include "host/engines/engine.hpp"
#include "host/sweep/memory_budget.hpp"
#include "host/sweep/mpi_world.hpp"
#include "host/sweep/parallel_for.hpp"

namespace symbreak::cli {
namespace {

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  return "unknown model";
}

}  // namespace

CLI::App* setup_devices(CLI::App& parent) {
  return parent.add_subcommand("devices", "CUDA devices and CPU found, and which engines can run");
}

int run_devices_command() {
  std::printf("CPU:  %d hardware threads, %s, %.1f GiB memory\n", resolve_thread_count(0),
              cpu_model().c_str(), physical_memory_bytes() / (1024.0 * 1024.0 * 1024.0));
  const CudaStatus cuda = query_cuda_devices();
  if (cuda.devices.empty()) {
    std::printf("CUDA: none: %s\n", cuda.why_none.c_str());
  }
  for (const CudaDevice& d : cuda.devices) {
    std::printf("CUDA: device %d: %s, compute capability %d.%d, %d SMs, %.1f GiB\n", d.index,
                d.name.c_str(), d.major, d.minor, d.multiprocessors, d.memory_gib);
  }
  if (!mpi_built()) {
    std::printf("MPI:  not built in (no MPI library at build time); one process per sweep\n");
  } else if (mpi_size() > 1) {
    const int local = mpi_local_rank();
    std::printf("MPI:  built in; this is rank %d of %d, local rank %d on this machine", mpi_rank(),
                mpi_size(), local);
    if (!cuda.devices.empty()) {
      std::printf(" (the cuda engines use its device %d)", local_rank_device(local, cuda));
    }
    std::printf("\n");
  } else {
    std::printf("MPI:  built in; mpirun -np N symbreak sweep ... spreads a sweep over N ranks\n");
  }
  std::printf("\nEngines:\n");
  for (const EngineInfo& e : list_engines()) {
    std::printf("  %-8s %s\n           %s\n", e.name.c_str(),
                e.available ? "can run here" : ("cannot run here: " + e.unavailable_reason).c_str(),
                e.description.c_str());
  }
  std::printf("  auto     picks the fastest engine that can run here\n");
  return 0;
}

}  // namespace symbreak::cli
