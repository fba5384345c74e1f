// A world of one rank, for builds without MPI.
#include <cstdlib>

#include "host/sweep/mpi_world.hpp"

namespace symbreak {

MpiSession::MpiSession(int*, char***) {}
MpiSession::~MpiSession() = default;
bool mpi_built() {
  return false;
}
int mpi_rank() {
  return 0;
}
int mpi_size() {
  return 1;
}
int mpi_local_rank() {
  return 0;
}
StartMessage mpi_broadcast_start(const StartMessage& from_rank0) {
  return from_rank0;
}
void mpi_send_chunk(std::int64_t, bool, std::span<const NetworkResult>) {}
bool mpi_receive_chunk(int, std::int64_t, std::span<NetworkResult>) {
  return false;
}
void mpi_abort(int status) {
  std::exit(status);
}

}  // namespace symbreak
