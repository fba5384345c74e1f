// The fused per-thread and per-warp training functions, and the layered element operations,
// instantiated on FloatPack: the parameters of up to kPackLanes networks are moved lane by lane
// into one pack-valued network, trained exactly as a GPU thread (warp, or layered batch) trains
// one, and moved back. Lanes beyond `lanes` train a copy of the first network and are discarded.
#include "host/engines/cpu_lanes.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include "kernels/float_pack.hpp"
#include "kernels/for_each.cuh"
#include "kernels/fused_thread.cuh"
#include "kernels/fused_warp.cuh"
#include "kernels/layered_train.cuh"

namespace symbreak {
namespace {

PackState load_states(const TrainState* states, int lanes) {
  PackState state;
  for (int lane = 0; lane < kPackLanes; ++lane) {
    const TrainState& s = states[std::min(lane, lanes - 1)];
    state.epoch_solved[lane] = s.epoch_solved;
    state.correct[lane] = s.correct;
    state.loss.set(lane, s.loss);
  }
  return state;
}

void store_states(const PackState& state, TrainState* states, int lanes) {
  for (int lane = 0; lane < lanes; ++lane) {
    states[lane].epoch_solved = state.epoch_solved[lane];
    states[lane].correct = state.correct[lane];
    states[lane].loss = state.loss[lane];
  }
}

// Moves the flat vectors of networks 0 ... lanes-1 (network i at flat + i * P) into the lanes of
// `pack` through `scalar`, its float twin, which knows the flat layout: Scalar and Pack are the
// same template on float and on FloatPack, so zip walks both in the same order. Spare lanes get the
// first network. Flattened: the scalar network's float code is inlined here, never emitted as a
// symbol the program's other objects could share (tests/scripts/test_lane_symbols.sh).
template <class Scalar, class Pack>
[[gnu::flatten]] void load_lanes(Scalar& scalar, Pack& pack, const NetworkShape& shape,
                                 const float* flat, int lanes) {
  const std::int64_t count = shape.parameter_count();
  for (int lane = 0; lane < kPackLanes; ++lane) {
    const int source = std::min(lane, lanes - 1);
    scalar.template transfer<false>(shape, flat + source * count);
    pack.zip([&](FloatPack& pk, float& x) { pk.set(lane, x); }, scalar);
  }
}

// The way back: lanes 0 ... lanes-1 of `pack` into the flat vectors of networks 0 ... lanes-1.
template <class Scalar, class Pack>
[[gnu::flatten]] void store_lanes(Scalar& scalar, Pack& pack, const NetworkShape& shape,
                                  float* flat, int lanes) {
  const std::int64_t count = shape.parameter_count();
  for (int lane = 0; lane < lanes; ++lane) {
    scalar.zip([&](float& x, FloatPack& pk) { x = pk[lane]; }, pack);
    scalar.template transfer<true>(shape, flat + lane * count);
  }
}

// Trains `lanes` networks as one pack: parameters, the optimiser's state (state1 / state2, moved
// only where RULE keeps it: state_arrays) and TrainStates go into the lanes, train_segment runs on
// the pack, and everything comes back.
template <class Scalar, class Pack, class Activations, UpdateRule RULE>
void train_pack(const TrainJob& job, EpochSegment segment, int lanes, float* params, float* state1,
                float* state2, TrainState* states) {
  constexpr int kStates = state_arrays(RULE);
  // Per-warp networks are large (32 lanes of packs); keep them off the thread's stack.
  struct Work {
    Pack p, g, s1, s2;
    Activations act;
    Scalar scalar;
  };
  const auto w = std::make_unique<Work>();
  const NetworkShape& shape = job.shape;
  load_lanes(w->scalar, w->p, shape, params, lanes);
  if constexpr (kStates >= 1) load_lanes(w->scalar, w->s1, shape, state1, lanes);
  if constexpr (kStates >= 2) load_lanes(w->scalar, w->s2, shape, state2, lanes);
  PackState state = load_states(states, lanes);
  train_segment<RULE>(job, segment, w->p, w->g, w->s1, w->s2, w->act, state);
  store_lanes(w->scalar, w->p, shape, params, lanes);
  if constexpr (kStates >= 1) store_lanes(w->scalar, w->s1, shape, state1, lanes);
  if constexpr (kStates >= 2) store_lanes(w->scalar, w->s2, shape, state2, lanes);
  store_states(state, states, lanes);
}

template <int DEPTH>
void train_warp_pack(const TrainJob& job, EpochSegment segment, int lanes, float* params,
                     float* state1, float* state2, TrainState* states) {
  with_update_rule(update_rule(job), [&]<UpdateRule R>() {
    if constexpr (warp_kernel_trains(DEPTH, R)) {  // the variants the GPU has
      train_pack<WarpParams<HostWarp, DEPTH>, WarpParams<HostWarp, DEPTH, FloatPack>,
                 WarpActivations<HostWarp, DEPTH, FloatPack>, R>(job, segment, lanes, params,
                                                                 state1, state2, states);
    }
  });
}

// The layered element operations (layered_train.cuh) on a batch of one pack-valued network. The
// flat layout is the same for every lane, so parameters move entry by entry.
void train_layered_pack(const TrainJob& job, EpochSegment segment, int lanes, float* params,
                        float* velocity, float* moment2, const std::uint32_t* replicates,
                        TrainState* states) {
  const std::int64_t count = job.shape.parameter_count();
  LayeredBatchOf<FloatPack> b;
  b.job = job;
  b.networks = 1;
  b.capacity = job.batch;
  const bool adam = job.optimizer == Optimizer::adam, dropout = job.dropout > 0.0f;
  std::vector<FloatPack> p(count), v(count), m2(adam ? count : 0), z(b.total_units()), a(z.size()),
      delta(z.size()), mask(dropout ? z.size() : 0);
  FloatPack::Replicates replicate;
  for (int lane = 0; lane < kPackLanes; ++lane)
    replicate.lane[lane] = replicates == nullptr ? 0u : replicates[std::min(lane, lanes - 1)];
  const auto load = [&](std::vector<FloatPack>& pack, const float* flat) {
    for (int lane = 0; lane < kPackLanes; ++lane) {
      const float* source = flat + std::min(lane, lanes - 1) * count;
      for (std::int64_t k = 0; k < count; ++k)
        pack[k].set(lane, source[k]);
    }
  };
  const auto store = [&](const std::vector<FloatPack>& pack, float* flat) {
    for (int lane = 0; lane < lanes; ++lane) {
      for (std::int64_t k = 0; k < count; ++k)
        flat[lane * count + k] = pack[k][lane];
    }
  };
  load(p, params);
  load(v, velocity);
  if (adam) load(m2, moment2);
  FloatPack loss_sum = 0.0f;
  IntSimd correct = 0;
  PackState state = load_states(states, lanes);
  b.params = p.data();
  b.velocity = v.data();
  b.moment2 = m2.data();
  b.mask = mask.data();
  b.replicate = &replicate;
  b.z = z.data();
  b.a = a.data();
  b.delta = delta.data();
  b.loss_sum = &loss_sum;
  b.correct = &correct;
  b.state = &state;
  const HostExecutor exec;
  layered_train(exec, CustomProducts<HostExecutor>{exec}, b, segment);
  store(p, params);
  store(v, velocity);
  if (adam) store(m2, moment2);
  store_states(state, states, lanes);
}

}  // namespace

int pack_lanes() {
  return kPackLanes;
}

void train_pack_on_host(const TrainJob& job, KernelChoice choice, EpochSegment segment, int lanes,
                        float* params, float* velocity, TrainState* states, float* moment2,
                        const std::uint32_t* replicates) {
  // No std::string here: its inline code would be emitted for this file's instruction set and
  // could be shared with the rest of the program (tests/scripts/test_lane_symbols.sh).
  if (lanes < 1 || lanes > kPackLanes) {
    throw std::invalid_argument("train_pack_on_host: lanes must be 1 ... pack_lanes()");
  }
  if (choice.kind == KernelKind::fused_warp &&
      !warp_kernel_trains(job.shape.depth, update_rule(job))) {
    throw std::invalid_argument("train_pack_on_host: no per-warp kernel for this depth and rule");
  }
  if (job.optimizer == Optimizer::adam && moment2 == nullptr) {
    throw std::invalid_argument("train_pack_on_host: Adam needs the second moment's array");
  }
  if (choice.kind != KernelKind::layered && !fused_kernels_train(job)) {
    throw std::invalid_argument(
        "train_pack_on_host: dropout and gradient noise train with the layered kernels only");
  }
  if (choice.kind == KernelKind::layered) {
    train_layered_pack(job, segment, lanes, params, velocity, moment2, replicates, states);
    return;
  }
  if (choice.kind == KernelKind::fused_thread) {
    if (choice.bucket < 0 || choice.bucket >= static_cast<int>(kThreadBuckets.size()) ||
        kThreadBuckets[choice.bucket].rule != update_rule(job)) {
      throw std::invalid_argument(
          "train_pack_on_host: no thread bucket of that index for the job's update rule");
    }
    dispatch_thread_bucket(choice.bucket, [&]<int D, int W, int I, UpdateRule R>() {
      train_pack<ThreadParams<D, W, I>, ThreadParams<D, W, I, FloatPack>,
                 ThreadActivations<D, W, FloatPack>, R>(job, segment, lanes, params, velocity,
                                                        moment2, states);
    });
    return;
  }
  if (job.shape.depth == 1) {
    train_warp_pack<1>(job, segment, lanes, params, velocity, moment2, states);
  } else {
    train_warp_pack<2>(job, segment, lanes, params, velocity, moment2, states);
  }
}

}  // namespace symbreak
