// Fused training, one network per warp, one lane per neuron (widths up to 32, depth 1 or 2):
// each lane keeps its neuron's incoming row, bias, outgoing weight, their gradients and the
// optimiser's state for them (velocity, square average or Adam's two moments) in registers for a
// whole segment of epochs. Cross-lane work is a warp sum or a broadcast (warp_lanes.cuh). With
// Warp = HostWarp the same function trains the network on the host for the `cpu` engine; with
// DeviceWarp it is the body of the kernel.
//
// Every neuron of a layer runs the same sequence of operations; sums over the neurons of the
// layer below use the same butterfly tree for every neuron, so symmetric neurons stay identical.
//
// Real is float on the GPU; with HostWarp the cpu engine also instantiates it with a pack of
// floats, one network per pack lane (float_pack.hpp). Branches depend only on the shape and the
// warp lane, never on values.
#pragma once

#include "host_device.cuh"
#include "kernel_choice.cuh"
#include "train_job.cuh"
#include "train_segment.cuh"
#include "warp_lanes.cuh"

namespace symbreak {

// Per-lane parameters; lane l holds neuron Warp::lane(l) of each hidden layer.
template <class Warp, int DEPTH, class R = float>
struct WarpParams {
  static_assert(DEPTH == 1 || DEPTH == 2, "fused per-warp kernels cover depth 1 and 2");
  using Real = R;
  static constexpr int kLockstepSamples = 1;  // train_segment.cuh's accumulate_batch
  static constexpr int L = Warp::kLanes;
  static constexpr int kRows2 = DEPTH == 2 ? L : 1;
  static constexpr int kCols2 = DEPTH == 2 ? kWarpMaxWidth : 1;
  Real w1[L][kWarpMaxInputs];  // incoming row of layer-1 neuron
  Real b1[L];
  Real w2[kRows2][kCols2];  // incoming row of layer-2 neuron (depth 2)
  Real b2[kRows2];
  Real wo[L];  // the output unit's weight from this lane's last-layer neuron
  Real bo;     // the same in every lane

  // f(p, q...) for every parameter p of this and the matching q of each of `others`.
  template <class F, class... Others>
  SYMBREAK_HD void zip(F f, Others&... others) {
    SYMBREAK_UNROLL
    for (int l = 0; l < L; ++l) {
      SYMBREAK_UNROLL
      for (int j = 0; j < kWarpMaxInputs; ++j)
        f(w1[l][j], others.w1[l][j]...);
      f(b1[l], others.b1[l]...);
      f(wo[l], others.wo[l]...);
    }
    SYMBREAK_UNROLL
    for (int l = 0; l < kRows2; ++l) {
      SYMBREAK_UNROLL
      for (int i = 0; i < kCols2; ++i)
        f(w2[l][i], others.w2[l][i]...);
      f(b2[l], others.b2[l]...);
    }
    f(bo, others.bo...);
  }

  SYMBREAK_HD void set_zero() {
    zip([](Real& p) { p = 0.0f; });
  }

  // zip for the parameters inside the network's real shape only: the entries beyond it (columns
  // past the inputs, lanes past the width) are zero and stay zero, so the update skips them.
  template <class F, class... Others>
  SYMBREAK_HD void zip_within(const NetworkShape& s, F f, Others&... others) {
    const int h1 = s.units(1), hl = s.units(DEPTH), d = s.inputs;
    SYMBREAK_UNROLL
    for (int l = 0; l < L; ++l) {
      const int i = Warp::lane(l);
      SYMBREAK_UNROLL
      for (int j = 0; j < kWarpMaxInputs; ++j) {
        if (i < h1 && j < d) f(w1[l][j], others.w1[l][j]...);
      }
      if (i < h1) f(b1[l], others.b1[l]...);
      if (i < hl) f(wo[l], others.wo[l]...);
      if constexpr (DEPTH == 2) {
        SYMBREAK_UNROLL
        for (int k = 0; k < kWarpMaxWidth; ++k) {
          if (i < hl && k < h1) f(w2[l][k], others.w2[l][k]...);
        }
        if (i < hl) f(b2[l], others.b2[l]...);
      }
    }
    f(bo, others.bo...);
  }

  // Copies between lanes and the flat layout; entries beyond the real shape are zero. Only lane 0
  // stores the output bias, which every lane holds.
  template <bool kStore, class Ptr>
  SYMBREAK_HD void transfer(const NetworkShape& s, Ptr flat) {
    const int h1 = s.units(1), hl = s.units(DEPTH), d = s.inputs;
    const auto move = [&](float& reg, long long index, bool valid) {
      if constexpr (kStore) {
        if (valid) flat[index] = reg;
      } else {
        reg = valid ? flat[index] : 0.0f;
      }
    };
    const long long ow1 = s.weight_offset(1), ob1 = s.bias_offset(1);
    const long long ow2 = s.weight_offset(2), ob2 = s.bias_offset(2);
    const long long owo = s.weight_offset(DEPTH + 1), obo = s.bias_offset(DEPTH + 1);
    SYMBREAK_UNROLL
    for (int l = 0; l < L; ++l) {
      const int i = Warp::lane(l);
      SYMBREAK_UNROLL
      for (int j = 0; j < kWarpMaxInputs; ++j)
        move(w1[l][j], ow1 + i * d + j, i < h1 && j < d);
      move(b1[l], ob1 + i, i < h1);
      move(wo[l], owo + i, i < hl);
      if constexpr (DEPTH == 2) {
        SYMBREAK_UNROLL
        for (int k = 0; k < kWarpMaxWidth; ++k)
          move(w2[l][k], ow2 + i * h1 + k, i < hl && k < h1);
        move(b2[l], ob2 + i, i < hl);
      }
    }
    if constexpr (kStore) {
      if (Warp::lane(0) == 0) flat[obo] = bo;
    } else {
      bo = flat[obo];
    }
  }
};

// One sample's activations per lane, and (depth 2) every layer-1 activation broadcast to all.
template <class Warp, int DEPTH, class Real = float>
struct WarpActivations {
  static constexpr int L = Warp::kLanes;
  Real z[DEPTH][L], a[DEPTH][L];
  Real a1_all[DEPTH == 2 ? kWarpMaxWidth : 1];
  Real zo;
};

template <class Warp, int DEPTH, class Real>
SYMBREAK_HD inline void forward(const WarpParams<Warp, DEPTH, Real>& p, const TrainJob& job,
                                const float* x, WarpActivations<Warp, DEPTH, Real>& act) {
  constexpr int L = Warp::kLanes;
  const int h1 = job.shape.units(1), hl = job.shape.units(DEPTH), d = job.shape.inputs;
  SYMBREAK_UNROLL
  for (int l = 0; l < L; ++l) {
    Real z = p.b1[l];
    SYMBREAK_UNROLL
    for (int j = 0; j < kWarpMaxInputs; ++j) {
      if (j < d) z += p.w1[l][j] * x[j];
    }
    act.z[0][l] = z;
    act.a[0][l] = Warp::lane(l) < h1 ? activate(job.activation, z) : Real(0.0f);
  }
  if constexpr (DEPTH == 2) {
    SYMBREAK_UNROLL
    for (int i = 0; i < kWarpMaxWidth; ++i) {
      act.a1_all[i] = i < h1 ? Warp::broadcast(act.a[0], i) : Real(0.0f);
    }
    SYMBREAK_UNROLL
    for (int l = 0; l < L; ++l) {
      Real z = p.b2[l];
      SYMBREAK_UNROLL
      for (int i = 0; i < kWarpMaxWidth; ++i) {
        if (i < h1) z += p.w2[l][i] * act.a1_all[i];
      }
      act.z[1][l] = z;
      act.a[1][l] = Warp::lane(l) < hl ? activate(job.activation, z) : Real(0.0f);
    }
  }
  Real part[L];
  SYMBREAK_UNROLL
  for (int l = 0; l < L; ++l)
    part[l] = Warp::lane(l) < hl ? p.wo[l] * act.a[DEPTH - 1][l] : Real(0.0f);
  act.zo = p.bo + Warp::sum(part);
}

template <class Warp, int DEPTH, class Real>
SYMBREAK_HD inline void backward(const WarpParams<Warp, DEPTH, Real>& p, const TrainJob& job,
                                 const float* x, float y,
                                 const WarpActivations<Warp, DEPTH, Real>& act,
                                 WarpParams<Warp, DEPTH, Real>& g) {
  constexpr int L = Warp::kLanes;
  const int h1 = job.shape.units(1), hl = job.shape.units(DEPTH), d = job.shape.inputs;
  const Real dzo = output_delta(job.loss, act.zo, y);
  g.bo += dzo;
  Real delta[L];  // δ of this lane's neuron in the last hidden layer
  SYMBREAK_UNROLL
  for (int l = 0; l < L; ++l) {
    delta[l] = 0.0f;
    if (Warp::lane(l) < hl) {
      const Real z = act.z[DEPTH - 1][l], a = act.a[DEPTH - 1][l];
      g.wo[l] += dzo * a;
      delta[l] = p.wo[l] * dzo * activation_derivative(job.activation, z, a);
    }
  }
  if constexpr (DEPTH == 2) {
    // δ1_i = f'(z1_i) Σ_k W2[k][i] δ2_k: the column i lives across lanes, so one warp sum per i.
    Real back[L];
    SYMBREAK_UNROLL
    for (int l = 0; l < L; ++l)
      back[l] = 0.0f;
    SYMBREAK_UNROLL
    for (int i = 0; i < kWarpMaxWidth; ++i) {
      if (i < h1) {
        Real prod[L];
        SYMBREAK_UNROLL
        for (int l = 0; l < L; ++l)
          prod[l] = p.w2[l][i] * delta[l];
        const Real s = Warp::sum(prod);
        SYMBREAK_UNROLL
        for (int l = 0; l < L; ++l) {
          if (Warp::lane(l) == i) back[l] = s;
        }
      }
    }
    SYMBREAK_UNROLL
    for (int l = 0; l < L; ++l) {
      g.b2[l] += delta[l];
      SYMBREAK_UNROLL
      for (int i = 0; i < kWarpMaxWidth; ++i) {
        if (i < h1) g.w2[l][i] += delta[l] * act.a1_all[i];
      }
      delta[l] = Warp::lane(l) < h1
                     ? back[l] * activation_derivative(job.activation, act.z[0][l], act.a[0][l])
                     : Real(0.0f);
    }
  }
  SYMBREAK_UNROLL
  for (int l = 0; l < L; ++l) {
    g.b1[l] += delta[l];
    SYMBREAK_UNROLL
    for (int j = 0; j < kWarpMaxInputs; ++j) {
      if (j < d) g.w1[l][j] += delta[l] * x[j];
    }
  }
}

template <class Warp, int DEPTH, class Real>
SYMBREAK_HD inline typename LaneTypes<Real>::State evaluate(
    const WarpParams<Warp, DEPTH, Real>& p, const TrainJob& job,
    WarpActivations<Warp, DEPTH, Real>& act) {
  return evaluate_samples(p, job, act);
}

// One segment of training for one network (see EpochSegment). Every lane returns the same state.
// params, state1 and state2 as for fused_thread_train (fused_thread.cuh).
template <class Warp, int DEPTH, UpdateRule RULE>
SYMBREAK_HD inline void fused_warp_train(const TrainJob& job, EpochSegment segment, float* params,
                                         float* state1, float* state2, TrainState& state) {
  using Params = WarpParams<Warp, DEPTH>;
  constexpr int kStates = state_arrays(RULE);
  Params p, g, s1, s2;
  p.template transfer<false>(job.shape, params);
  if constexpr (kStates >= 1) s1.template transfer<false>(job.shape, state1);
  if constexpr (kStates >= 2) s2.template transfer<false>(job.shape, state2);
  WarpActivations<Warp, DEPTH> act;
  train_segment<RULE>(job, segment, p, g, s1, s2, act, state);
  p.template transfer<true>(job.shape, params);
  if constexpr (kStates >= 1) s1.template transfer<true>(job.shape, state1);
  if constexpr (kStates >= 2) s2.template transfer<true>(job.shape, state2);
}

}  // namespace symbreak
