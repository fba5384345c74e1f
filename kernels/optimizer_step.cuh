// One parameter's update (docs/method.md §4 and §4.1), shared by every kernel and the cpu engine:
// the batch-mean gradient g, then gradient noise g <- g + ξ, then coupled weight decay
// g <- g + λθ, then the optimiser's step with PyTorch's definitions:
//   sgd        θ <- θ - η g
//   momentum   v <- μ v + g;  θ <- θ - η v                       (torch.optim.SGD, momentum μ)
//   adam       m <- β1 m + (1-β1) g;  v <- β2 v + (1-β2) g²;
//              θ <- θ - (η / (1-β1^t)) · m / (√v / √(1-β2^t) + ε)   (torch.optim.Adam)
//   rmsprop    v <- α v + (1-α) g²;  θ <- θ - η · g / (√v + ε)      (torch.optim.RMSprop)
// Every operation acts on one parameter with per-update scalars that are the same for all of
// them, so two neurons with identical parameters and gradients stay identical bit for bit: the
// square root and the division are the same IEEE operations for every neuron.
#pragma once

#include "float_math.cuh"
#include "host_device.cuh"
#include "optimizer.cuh"
#include "train_job.cuh"

namespace symbreak {

// The optimiser of a job with momentum told apart from plain SGD, so that kernels without
// momentum keep no velocity.
enum class UpdateRule : unsigned char { sgd, momentum, adam, rmsprop };

SYMBREAK_HD inline UpdateRule update_rule(const TrainJob& job) {
  switch (job.optimizer) {
    case Optimizer::adam:
      return UpdateRule::adam;
    case Optimizer::rmsprop:
      return UpdateRule::rmsprop;
    default:
      return job.momentum != 0.0f ? UpdateRule::momentum : UpdateRule::sgd;
  }
}

// State arrays a rule keeps per parameter: velocity (momentum), square average (RMSprop), first
// and second moment (Adam).
SYMBREAK_HD constexpr int state_arrays(UpdateRule rule) {
  return rule == UpdateRule::sgd ? 0 : rule == UpdateRule::adam ? 2 : 1;
}

// The constants of optimizer.cuh rounded to float once. ln β is used for β^t = e^(t ln β), with
// the own float exp (float_math.cuh), so no engine needs a library pow.
inline constexpr float kAdamBeta1F = static_cast<float>(kAdamBeta1);
inline constexpr float kAdamOneMinusBeta1F = static_cast<float>(1.0 - kAdamBeta1);
inline constexpr float kAdamBeta2F = static_cast<float>(kAdamBeta2);
inline constexpr float kAdamOneMinusBeta2F = static_cast<float>(1.0 - kAdamBeta2);
inline constexpr float kAdamEpsF = static_cast<float>(kAdamEps);
inline constexpr float kAdamLnBeta1F = -0.105360515657826301f;  // ln 0.9
inline constexpr float kAdamLnBeta2F = -0.00100050033358353f;   // ln 0.999
inline constexpr float kRmspropAlphaF = static_cast<float>(kRmspropAlpha);
inline constexpr float kRmspropOneMinusAlphaF = static_cast<float>(1.0 - kRmspropAlpha);
inline constexpr float kRmspropEpsF = static_cast<float>(kRmspropEps);

// What one update needs besides the parameter itself; the same for every parameter (and every
// network) of a job.
struct UpdateScalars {
  float inv_count = 1.0f;  // 1 / samples in the batch
  float lr = 0.5f;
  float momentum = 0.0f;
  float weight_decay = 0.0f;
  float adam_step_size = 0.0f;  // η / (1 - β1^t)
  float adam_bias_root = 1.0f;  // √(1 - β2^t)
  bool decay = false;           // weight_decay != 0
  bool noisy = false;           // gradient noise is added
};

// step: the update's number since training began (0-based); Adam counts t = step + 1.
SYMBREAK_HD inline UpdateScalars update_scalars(const TrainJob& job, int count, long long step) {
  UpdateScalars k;
  k.inv_count = 1.0f / static_cast<float>(count);
  k.lr = job.lr;
  k.momentum = job.momentum;
  k.weight_decay = job.weight_decay;
  k.decay = job.weight_decay != 0.0f;
  k.noisy = job.grad_noise != 0.0;
  if (job.optimizer == Optimizer::adam) {
    const float t = static_cast<float>(step + 1);
    k.adam_step_size = job.lr / (1.0f - exp_f(t * kAdamLnBeta1F));
    k.adam_bias_root = sqrt_f(1.0f - exp_f(t * kAdamLnBeta2F));
  }
  return k;
}

// theta: the parameter; s1, s2: its optimiser state (see state_arrays; unused ones untouched);
// grad_sum: its gradient summed over the batch; noise: the gradient noise ξ (used when k.noisy).
// Real: float, or a pack of floats updating one network per lane (float_pack.hpp).
template <UpdateRule RULE, class Real>
SYMBREAK_HD inline void optimizer_step(Real& theta, Real& s1, Real& s2, Real grad_sum, Real noise,
                                       const UpdateScalars& k) {
  Real g = grad_sum * k.inv_count;
  if (k.noisy) g = g + noise;
  if (k.decay) g = g + k.weight_decay * theta;
  if constexpr (RULE == UpdateRule::sgd) {
    theta -= k.lr * g;
  } else if constexpr (RULE == UpdateRule::momentum) {
    s1 = k.momentum * s1 + g;
    theta -= k.lr * s1;
  } else if constexpr (RULE == UpdateRule::adam) {
    s1 = kAdamBeta1F * s1 + kAdamOneMinusBeta1F * g;
    s2 = kAdamBeta2F * s2 + kAdamOneMinusBeta2F * (g * g);
    const Real denominator = sqrt_f(s2) / k.adam_bias_root + kAdamEpsF;
    theta -= k.adam_step_size * (s1 / denominator);
  } else {
    s1 = kRmspropAlphaF * s1 + kRmspropOneMinusAlphaF * (g * g);
    theta -= k.lr * (g / (sqrt_f(s1) + kRmspropEpsF));
  }
}

// Calls f.template operator()<RULE>() for a rule known only at run time (the layered kernels).
template <class F>
SYMBREAK_HD inline void with_update_rule(UpdateRule rule, F&& f) {
  switch (rule) {
    case UpdateRule::sgd:
      f.template operator()<UpdateRule::sgd>();
      break;
    case UpdateRule::momentum:
      f.template operator()<UpdateRule::momentum>();
      break;
    case UpdateRule::adam:
      f.template operator()<UpdateRule::adam>();
      break;
    case UpdateRule::rmsprop:
      f.template operator()<UpdateRule::rmsprop>();
      break;
  }
}

}  // namespace symbreak
