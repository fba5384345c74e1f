// The MPI calls, and NetworkResult as bytes for them (every field; doubles bit for bit, so rank 0
// aggregates exactly what a rank computed).
#include <mpi.h>

#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "host/sweep/mpi_world.hpp"

namespace symbreak {
namespace {

// MPI's own state says whether this process runs under MPI; symbreak keeps none of its own.
bool mpi_active() {
  int initialised = 0, finalised = 0;
  MPI_Initialized(&initialised);
  MPI_Finalized(&finalised);
  return initialised != 0 && finalised == 0;
}

void check(int code, const char* what) {
  if (code != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed");
}

template <typename T>
void put(std::vector<char>& out, const T& value) {
  const char* bytes = reinterpret_cast<const char*>(&value);
  out.insert(out.end(), bytes, bytes + sizeof(T));
}

template <typename T>
T take(const std::vector<char>& in, std::size_t& at) {
  if (at + sizeof(T) > in.size()) throw std::runtime_error("MPI: a chunk's results are cut short");
  T value;
  std::memcpy(&value, in.data() + at, sizeof(T));
  at += sizeof(T);
  return value;
}

// An absent value is a 0 byte; a present one is a 1 byte and the value.
template <typename T>
void put_optional(std::vector<char>& out, const std::optional<T>& value) {
  put(out, static_cast<char>(value.has_value()));
  if (value) put(out, *value);
}

template <typename T>
std::optional<T> take_optional(const std::vector<char>& in, std::size_t& at) {
  if (take<char>(in, at) == 0) return std::nullopt;
  return take<T>(in, at);
}

void encode(std::vector<char>& out, const NetworkResult& r) {
  put(out, r.final_loss);
  put(out, r.accuracy);
  put(out, static_cast<char>(r.solved | r.broken << 1 | r.collapsed << 2 | r.frozen << 3 |
                             r.diverged << 4));
  put(out, r.epoch_solved);
  put(out, r.epoch_broken);
  put(out, r.fingerprint);
  put(out, static_cast<std::uint32_t>(r.distinct.size()));
  for (const int d : r.distinct)
    put(out, d);
  put(out, static_cast<std::uint32_t>(r.trace.size()));
  for (const TracePoint& p : r.trace) {
    put(out, p.epoch);
    put(out, p.loss);
    put(out, p.distinct_fraction);
    put(out, static_cast<char>(p.solved | p.broken << 1 | p.collapsed << 2 | p.diverged << 3));
  }
  put_optional(out, r.test_accuracy);
  put_optional(out, r.test_loss);
  put_optional(out, r.single_class);
  put(out, static_cast<char>(r.parameters_are_float));
  put(out, static_cast<std::uint64_t>(r.parameters.size()));
  for (const double v : r.parameters)
    put(out, v);
}

NetworkResult decode(const std::vector<char>& in, std::size_t& at) {
  NetworkResult r;
  r.final_loss = take<double>(in, at);
  r.accuracy = take<double>(in, at);
  const char flags = take<char>(in, at);
  r.solved = flags & 1;
  r.broken = flags & 2;
  r.collapsed = flags & 4;
  r.frozen = flags & 8;
  r.diverged = flags & 16;
  r.epoch_solved = take<int>(in, at);
  r.epoch_broken = take<int>(in, at);
  r.fingerprint = take<std::uint64_t>(in, at);
  r.distinct.resize(take<std::uint32_t>(in, at));
  for (int& d : r.distinct)
    d = take<int>(in, at);
  r.trace.resize(take<std::uint32_t>(in, at));
  for (TracePoint& p : r.trace) {
    p.epoch = take<int>(in, at);
    p.loss = take<double>(in, at);
    p.distinct_fraction = take<double>(in, at);
    const char f = take<char>(in, at);
    p.solved = f & 1;
    p.broken = f & 2;
    p.collapsed = f & 4;
    p.diverged = f & 8;
  }
  r.test_accuracy = take_optional<double>(in, at);
  r.test_loss = take_optional<double>(in, at);
  r.single_class = take_optional<bool>(in, at);
  r.parameters_are_float = take<char>(in, at) != 0;
  r.parameters.resize(take<std::uint64_t>(in, at));
  for (double& v : r.parameters)
    v = take<double>(in, at);
  return r;
}

int tag_of(std::int64_t chunk) {
  return static_cast<int>(chunk % 32768);  // MPI guarantees tags up to 32767
}

}  // namespace

MpiSession::MpiSession(int* argc, char*** argv) {
  // Only under a launcher: a plain start must not need an MPI runtime.
  if (std::getenv("OMPI_COMM_WORLD_SIZE") == nullptr && std::getenv("PMI_SIZE") == nullptr &&
      std::getenv("PMIX_RANK") == nullptr) {
    return;
  }
  check(MPI_Init(argc, argv), "MPI_Init");
}

MpiSession::~MpiSession() {
  if (mpi_active()) MPI_Finalize();
}

bool mpi_built() {
  return true;
}

int mpi_rank() {
  int rank = 0;
  if (mpi_active()) MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

int mpi_size() {
  int size = 1;
  if (mpi_active()) MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size;
}

int mpi_local_rank() {
  if (!mpi_active()) return 0;
  MPI_Comm machine;
  check(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &machine),
        "MPI_Comm_split_type");
  int rank = 0;
  MPI_Comm_rank(machine, &rank);
  MPI_Comm_free(&machine);
  return rank;
}

StartMessage mpi_broadcast_start(const StartMessage& from_rank0) {
  if (!mpi_active()) return from_rank0;
  std::int64_t values[3] = {from_rank0.status, from_rank0.first_item, from_rank0.chunk_items};
  check(MPI_Bcast(values, 3, MPI_INT64_T, 0, MPI_COMM_WORLD), "MPI_Bcast");
  return StartMessage{values[0], values[1], values[2]};
}

void mpi_send_chunk(std::int64_t chunk, bool stopped, std::span<const NetworkResult> results) {
  std::vector<char> bytes;
  put(bytes, static_cast<char>(stopped));
  put(bytes, chunk);
  put(bytes, static_cast<std::uint64_t>(results.size()));
  for (const NetworkResult& r : results)
    encode(bytes, r);
  check(MPI_Ssend(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, 0, tag_of(chunk),
                  MPI_COMM_WORLD),
        "MPI_Ssend");
}

bool mpi_receive_chunk(int rank, std::int64_t chunk, std::span<NetworkResult> results) {
  MPI_Status status;
  check(MPI_Probe(rank, tag_of(chunk), MPI_COMM_WORLD, &status), "MPI_Probe");
  int count = 0;
  check(MPI_Get_count(&status, MPI_BYTE, &count), "MPI_Get_count");
  std::vector<char> bytes(static_cast<std::size_t>(count));
  check(MPI_Recv(bytes.data(), count, MPI_BYTE, rank, tag_of(chunk), MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE),
        "MPI_Recv");
  std::size_t at = 0;
  if (take<char>(bytes, at) != 0) return false;
  if (take<std::int64_t>(bytes, at) != chunk || take<std::uint64_t>(bytes, at) != results.size()) {
    throw std::runtime_error("MPI: rank " + std::to_string(rank) + " sent another chunk");
  }
  for (NetworkResult& r : results)
    r = decode(bytes, at);
  return true;
}

void mpi_abort(int status) {
  if (mpi_active()) MPI_Abort(MPI_COMM_WORLD, status);
  std::exit(status);
}

}  // namespace symbreak
