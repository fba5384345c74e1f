// MPI, the existing distributed engine, for `mpirun -np N symbreak sweep …`: every rank trains
// chunks k with k % N == rank, the others send their results to rank 0, which receives them in
// chunk order and aggregates and writes exactly as one process would (so the files are
// byte-identical). Built when CMake finds MPI (Debian: libopenmpi-dev); otherwise every function
// here behaves as a world of one rank.
#pragma once

#include <cstdint>
#include <span>

#include "host/engines/network_result.hpp"

namespace symbreak {

// Initialises MPI for the life of the process when it was started by mpirun (and MPI was built
// in); a plain start is a world of one rank without MPI.
class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
};

bool mpi_built();
int mpi_rank();  // 0 without MPI
int mpi_size();  // 1 without MPI
// This rank's number among the ranks on its machine (MPI_COMM_TYPE_SHARED), 0 without MPI.
// Collective: every rank must call it at the same point.
int mpi_local_rank();

// Rank 0 gives every rank the go-ahead (status 0) or an error status, the first item and the chunk
// size; the other ranks receive them. Returns what rank 0 sent.
struct StartMessage {
  std::int64_t status = 0, first_item = 0, chunk_items = 0;
};
StartMessage mpi_broadcast_start(const StartMessage& from_rank0);

// A rank other than 0 sends the results of chunk `chunk` to rank 0 (blocking until rank 0 takes
// them, so no rank runs ahead by more than a chunk); `stopped`: it was asked to stop instead.
void mpi_send_chunk(std::int64_t chunk, bool stopped, std::span<const NetworkResult> results);
// Rank 0 receives chunk `chunk` from `rank` into `results`; false when that rank stopped.
bool mpi_receive_chunk(int rank, std::int64_t chunk, std::span<NetworkResult> results);

// Ends every rank at once (the others may be waiting for rank 0), with `status`.
[[noreturn]] void mpi_abort(int status);

}  // namespace symbreak
