// Fused training, one network per GPU thread: parameters, gradients, the optimiser's state
// (velocity, square average or Adam's two moments) and activations live in registers for a whole
// segment of epochs. The same function trains one network on the host for the `cpu` engine, so CI
// executes exactly what the kernel executes.
//
// Shapes are compile-time buckets: DEPTH hidden layers (1 or 2), at most MAXW neurons per layer and
// MAXD inputs; the real widths (H_1, and H_2 of depth 2, which may differ: 10x5) and input count
// are runtime values masked inside fully unrolled loops. Every neuron of a layer runs the same
// sequence of operations, so neurons that start identical stay bit-for-bit identical, as exact
// arithmetic demands.
//
// Arrays: params, state1 and state2 point at one network's flat vectors (layout of
// network_shape.cuh): its parameters, and the optimiser state the layered kernels keep in
// LayeredBatch::velocity and LayeredBatch::moment2, so segments may change kernels freely.
//
// Real is float on the GPU; the cpu engine instantiates the same code with a pack of floats, one
// network per lane (float_pack.hpp, host/engines/cpu_lanes.cpp). Branches here depend only on the
// shape, never on values, so every lane takes the same path.
#pragma once

#include <type_traits>

#include "host_device.cuh"
#include "train_job.cuh"
#include "train_segment.cuh"

namespace symbreak {

template <int DEPTH, int MAXW, int MAXD, class R = float>
struct ThreadParams {
  static_assert(DEPTH == 1 || DEPTH == 2, "fused per-thread kernels cover depth 1 and 2");
  using Real = R;
  // Samples trained side by side (train_segment.cuh's accumulate_batch): two on the host, where
  // the CPU overlaps their output chains; one on the GPU, where a second sample's activations
  // would cost registers and many threads already hide the latency.
  static constexpr int kLockstepSamples = std::is_same_v<R, float> ? 1 : 2;
  static constexpr int kInner = DEPTH == 2 ? MAXW : 1;  // size of the hidden-to-hidden layer
  Real w1[MAXW][MAXD];
  Real b1[MAXW];
  Real w2[kInner][kInner];
  Real b2[kInner];
  Real wo[MAXW];
  Real bo;

  // f(p, q...) for every parameter p of this and the matching q of each of `others`.
  template <class F, class... Others>
  SYMBREAK_HD void zip(F f, Others&... others) {
    SYMBREAK_UNROLL
    for (int i = 0; i < MAXW; ++i) {
      SYMBREAK_UNROLL
      for (int j = 0; j < MAXD; ++j)
        f(w1[i][j], others.w1[i][j]...);
      f(b1[i], others.b1[i]...);
      f(wo[i], others.wo[i]...);
    }
    SYMBREAK_UNROLL
    for (int k = 0; k < kInner; ++k) {
      SYMBREAK_UNROLL
      for (int i = 0; i < kInner; ++i)
        f(w2[k][i], others.w2[k][i]...);
      f(b2[k], others.b2[k]...);
    }
    f(bo, others.bo...);
  }

  SYMBREAK_HD void set_zero() {
    zip([](Real& p) { p = 0.0f; });
  }

  // zip for the parameters inside the network's real shape only: the entries beyond it are zero
  // and stay zero, so the update (Adam's square root and division per parameter) skips them.
  template <class F, class... Others>
  SYMBREAK_HD void zip_within(const NetworkShape& s, F f, Others&... others) {
    const int h1 = s.units(1), hl = s.units(DEPTH), d = s.inputs;
    SYMBREAK_UNROLL
    for (int i = 0; i < MAXW; ++i) {
      SYMBREAK_UNROLL
      for (int j = 0; j < MAXD; ++j) {
        if (i < h1 && j < d) f(w1[i][j], others.w1[i][j]...);
      }
      if (i < h1) f(b1[i], others.b1[i]...);
      if (i < hl) f(wo[i], others.wo[i]...);
    }
    if constexpr (DEPTH == 2) {
      SYMBREAK_UNROLL
      for (int k = 0; k < MAXW; ++k) {
        SYMBREAK_UNROLL
        for (int i = 0; i < MAXW; ++i) {
          if (k < hl && i < h1) f(w2[k][i], others.w2[k][i]...);
        }
        if (k < hl) f(b2[k], others.b2[k]...);
      }
    }
    f(bo, others.bo...);
  }

  // Copies between registers and the flat layout; entries beyond the real shape are zero.
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
    for (int i = 0; i < MAXW; ++i) {
      SYMBREAK_UNROLL
      for (int j = 0; j < MAXD; ++j)
        move(w1[i][j], ow1 + i * d + j, i < h1 && j < d);
      move(b1[i], ob1 + i, i < h1);
      move(wo[i], owo + i, i < hl);
    }
    if constexpr (DEPTH == 2) {
      SYMBREAK_UNROLL
      for (int k = 0; k < MAXW; ++k) {
        SYMBREAK_UNROLL
        for (int i = 0; i < MAXW; ++i)
          move(w2[k][i], ow2 + k * h1 + i, k < hl && i < h1);
        move(b2[k], ob2 + k, k < hl);
      }
    }
    move(bo, obo, true);
  }
};

// Activations of one sample, kept for the backward pass: z[l][i] and a[l][i] of hidden layer
// l + 1. Layers are indexed by constants only, so everything stays in registers.
template <int DEPTH, int MAXW, class Real = float>
struct ThreadActivations {
  Real z[DEPTH][MAXW], a[DEPTH][MAXW];
  Real zo;
};

// The sums here and in backward() are written FMAs (fma_f: one rounding per term, the same on the
// GPU and in every lane of the cpu engine, docs/method.md §13), in the same order for every neuron.
template <int DEPTH, int MAXW, int MAXD, class Real>
SYMBREAK_HD SYMBREAK_MATH_INLINE void forward(const ThreadParams<DEPTH, MAXW, MAXD, Real>& p,
                                              const TrainJob& job, const float* x,
                                              ThreadActivations<DEPTH, MAXW, Real>& act) {
  const int h1 = job.shape.units(1), hl = job.shape.units(DEPTH), d = job.shape.inputs;
  SYMBREAK_UNROLL
  for (int i = 0; i < MAXW; ++i) {
    Real z = p.b1[i];
    SYMBREAK_UNROLL
    for (int j = 0; j < MAXD; ++j) {
      if (j < d) z = fma_f(p.w1[i][j], Real(x[j]), z);
    }
    act.z[0][i] = z;
  }
  activate_layer(job.activation, act.z[0], act.a[0]);
  if constexpr (DEPTH == 2) {
    SYMBREAK_UNROLL
    for (int k = 0; k < MAXW; ++k) {
      Real z = p.b2[k];
      SYMBREAK_UNROLL
      for (int i = 0; i < MAXW; ++i) {
        if (i < h1) z = fma_f(p.w2[k][i], act.a[0][i], z);
      }
      act.z[1][k] = z;
    }
    activate_layer(job.activation, act.z[1], act.a[1]);
  }
  Real zo = p.bo;
  SYMBREAK_UNROLL
  for (int i = 0; i < MAXW; ++i) {
    if (i < hl) zo = fma_f(p.wo[i], act.a[DEPTH - 1][i], zo);
  }
  act.zo = zo;
}

// Adds one sample's gradient to g (docs/method.md §3), given the output's delta dzo:
// δ_l = (W_{l+1}ᵀ δ_{l+1}) ⊙ f'(z_l).
template <int DEPTH, int MAXW, int MAXD, class Real>
SYMBREAK_HD SYMBREAK_MATH_INLINE void backward_from_output(
    const ThreadParams<DEPTH, MAXW, MAXD, Real>& p, const TrainJob& job, const float* x, Real dzo,
    const ThreadActivations<DEPTH, MAXW, Real>& act, ThreadParams<DEPTH, MAXW, MAXD, Real>& g) {
  const int h1 = job.shape.units(1), hl = job.shape.units(DEPTH), d = job.shape.inputs;
  g.bo += dzo;
  const Real(&last_z)[MAXW] = act.z[DEPTH - 1];
  const Real(&last_a)[MAXW] = act.a[DEPTH - 1];
  Real slope[MAXW];  // f' of each neuron, then of the first layer's at depth 2
  derivative_layer(job.activation, last_z, last_a, slope);
  Real delta[MAXW];  // δ of the last hidden layer; zero beyond the real width
  SYMBREAK_UNROLL
  for (int i = 0; i < MAXW; ++i) {
    delta[i] = 0.0f;
    if (i < hl) {
      g.wo[i] = fma_f(dzo, last_a[i], g.wo[i]);
      delta[i] = p.wo[i] * dzo * slope[i];
    }
  }
  if constexpr (DEPTH == 2) {
    Real delta1[MAXW];
    derivative_layer(job.activation, act.z[0], act.a[0], slope);
    SYMBREAK_UNROLL
    for (int i = 0; i < MAXW; ++i) {
      Real sum = 0.0f;
      SYMBREAK_UNROLL
      for (int k = 0; k < MAXW; ++k) {
        if (k < hl) sum = fma_f(p.w2[k][i], delta[k], sum);
      }
      delta1[i] = i < h1 ? sum * slope[i] : Real(0.0f);
    }
    SYMBREAK_UNROLL
    for (int k = 0; k < MAXW; ++k) {
      g.b2[k] += delta[k];
      SYMBREAK_UNROLL
      for (int i = 0; i < MAXW; ++i) {
        if (i < h1) g.w2[k][i] = fma_f(delta[k], act.a[0][i], g.w2[k][i]);
      }
    }
    SYMBREAK_UNROLL
    for (int i = 0; i < MAXW; ++i)
      delta[i] = delta1[i];
  }
  SYMBREAK_UNROLL
  for (int i = 0; i < MAXW; ++i) {
    g.b1[i] += delta[i];
    SYMBREAK_UNROLL
    for (int j = 0; j < MAXD; ++j) {
      if (j < d) g.w1[i][j] = fma_f(delta[i], Real(x[j]), g.w1[i][j]);
    }
  }
}

// Adds one sample's gradient to g (docs/method.md §3).
template <int DEPTH, int MAXW, int MAXD, class Real>
SYMBREAK_HD SYMBREAK_MATH_INLINE void backward(const ThreadParams<DEPTH, MAXW, MAXD, Real>& p,
                                               const TrainJob& job, const float* x, float y,
                                               const ThreadActivations<DEPTH, MAXW, Real>& act,
                                               ThreadParams<DEPTH, MAXW, MAXD, Real>& g) {
  backward_from_output(p, job, x, output_delta(job.loss, act.zo, y), act, g);
}

template <int DEPTH, int MAXW, int MAXD, class Real>
SYMBREAK_HD inline typename LaneTypes<Real>::State evaluate(
    const ThreadParams<DEPTH, MAXW, MAXD, Real>& p, const TrainJob& job,
    ThreadActivations<DEPTH, MAXW, Real>& act) {
  return evaluate_samples(p, job, act);
}

// One segment of training for one network; see EpochSegment. state1 (velocity, RMSprop's square
// average, Adam's first moment) and state2 (Adam's second moment) are read and written only when
// RULE keeps them (state_arrays).
template <int DEPTH, int MAXW, int MAXD, UpdateRule RULE>
SYMBREAK_HD inline void fused_thread_train(const TrainJob& job, EpochSegment segment, float* params,
                                           float* state1, float* state2, TrainState& state) {
  using Params = ThreadParams<DEPTH, MAXW, MAXD>;
  constexpr int kStates = state_arrays(RULE);
  Params p, g, s1, s2;
  p.template transfer<false>(job.shape, params);
  if constexpr (kStates >= 1) s1.template transfer<false>(job.shape, state1);
  if constexpr (kStates >= 2) s2.template transfer<false>(job.shape, state2);
  ThreadActivations<DEPTH, MAXW> act;
  train_segment<RULE>(job, segment, p, g, s1, s2, act, state);
  p.template transfer<true>(job.shape, params);
  if constexpr (kStates >= 1) s1.template transfer<true>(job.shape, state1);
  if constexpr (kStates >= 2) s2.template transfer<true>(job.shape, state2);
}

}  // namespace symbreak
