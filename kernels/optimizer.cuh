// The optimisers a configuration can train with (docs/method.md §4.1), with PyTorch's defaults.
// Adam, RMSprop and weight decay act on each parameter alone, so they cannot separate neurons
// that start identical; they are here to measure that, next to dropout and gradient noise.
#pragma once

namespace symbreak {

enum class Optimizer : unsigned char { sgd, adam, rmsprop };

// torch.optim.Adam defaults: betas (0.9, 0.999), eps 1e-8, bias correction.
inline constexpr double kAdamBeta1 = 0.9;
inline constexpr double kAdamBeta2 = 0.999;
inline constexpr double kAdamEps = 1e-8;

// torch.optim.RMSprop defaults: alpha 0.99, eps 1e-8, no momentum, not centred.
inline constexpr double kRmspropAlpha = 0.99;
inline constexpr double kRmspropEps = 1e-8;

}  // namespace symbreak
