// The reference trainer: per sample forward and backward in double, written for reading, not
// speed. The only parallelism is across networks, in CpuReferenceEngine::train.
#include "host/engines/cpu_reference.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "host/engines/reference_metrics.hpp"
#include "host/sweep/parallel_for.hpp"
#include "kernels/breaker_draws.cuh"
#include "kernels/init_params.cuh"

namespace symbreak {
namespace {

double sigmoid(double z) {
  return 1.0 / (1.0 + std::exp(-z));
}

double activation_value(Activation f, double z) {
  switch (f) {
    case Activation::sigmoid:
      return sigmoid(z);
    case Activation::tanh:
      return std::tanh(z);
    case Activation::relu:
      return z > 0.0 ? z : 0.0;
    case Activation::leaky_relu:
      return z > 0.0 ? z : 0.01 * z;
    case Activation::linear:
      return z;
  }
  return z;
}

double activation_slope(Activation f, double z) {
  switch (f) {
    case Activation::sigmoid:
      return sigmoid(z) * (1.0 - sigmoid(z));
    case Activation::tanh:
      return 1.0 - std::tanh(z) * std::tanh(z);
    case Activation::relu:
      return z > 0.0 ? 1.0 : 0.0;  // f'(0) = 0, as in PyTorch
    case Activation::leaky_relu:
      return z > 0.0 ? 1.0 : 0.01;
    case Activation::linear:
      return 1.0;
  }
  return 1.0;
}

// ℓ(z, y) for the output logit z (docs/method.md §3); softplus written to avoid overflow.
double loss_value(Loss loss, double z, double y) {
  if (loss == Loss::bce) return std::max(z, 0.0) + std::log1p(std::exp(-std::fabs(z))) - y * z;
  const double e = sigmoid(z) - y;
  return 0.5 * e * e;
}

double loss_slope(Loss loss, double z, double y) {
  const double p = sigmoid(z);
  return loss == Loss::bce ? p - y : (p - y) * p * (1.0 - p);
}

// The samples a network sees: a task's training set or its test set.
struct SampleSet {
  const double* x;       // [sample][input]
  const double* target;  // [sample]
};

SampleSet training_set(const Task& task) {
  return SampleSet{task.x.data(), task.target.data()};
}

// Inverted dropout for one update (docs/method.md §4.1): which hidden units of a sample are kept,
// drawn from the shared Philox stream, and the 1/(1-p) that scales the kept ones.
struct DropoutDraw {
  DrawKey key;
  std::uint32_t step = 0;
  std::uint64_t threshold = 0;
  double scale = 1.0;
};

// One network's forward and backward passes over a set of samples.
class ReferenceNetwork {
 public:
  ReferenceNetwork(SampleSet samples, const NetworkShape& shape, Activation activation, Loss loss)
      : samples_(samples), shape_(shape), activation_(activation), loss_(loss) {
    z_.resize(shape.layers() + 1);
    a_.resize(shape.layers() + 1);
    delta_.resize(shape.layers() + 1);
    keep_.resize(shape.layers() + 1);
    for (int l = 0; l <= shape.layers(); ++l) {
      z_[l].resize(shape.units(l));
      a_[l].resize(shape.units(l));
      delta_[l].resize(shape.units(l));
      keep_[l].assign(shape.units(l), 1.0);
    }
  }

  // Returns the output logit for sample s; keeps z and a of every layer for backward(). With
  // `dropout`, each hidden activation is multiplied by its unit's factor: 1/(1-p) or 0.
  double forward(std::span<const double> params, int s, const DropoutDraw* dropout = nullptr) {
    for (int j = 0; j < shape_.inputs; ++j)
      a_[0][j] = samples_.x[static_cast<std::size_t>(s) * shape_.inputs + j];
    for (int l = 1; l <= shape_.layers(); ++l) {
      const double* w = params.data() + shape_.weight_offset(l);
      const double* b = params.data() + shape_.bias_offset(l);
      const int fan_in = shape_.units(l - 1);
      for (int i = 0; i < shape_.units(l); ++i) {
        double sum = b[i];
        for (int j = 0; j < fan_in; ++j)
          sum += w[static_cast<std::int64_t>(i) * fan_in + j] * a_[l - 1][j];
        z_[l][i] = sum;
        if (l == shape_.layers()) {
          a_[l][i] = sigmoid(sum);
          continue;
        }
        keep_[l][i] = 1.0;
        if (dropout != nullptr) {
          const BreakerSite site{dropout->step, static_cast<std::uint32_t>(s),
                                 static_cast<std::uint32_t>(l), static_cast<std::uint32_t>(i)};
          keep_[l][i] =
              dropout_keeps(dropout->key, site, dropout->threshold) ? dropout->scale : 0.0;
        }
        a_[l][i] = activation_value(activation_, sum) * keep_[l][i];
      }
    }
    return z_[shape_.layers()][0];
  }

  // Adds sample s's gradient to `grad` after forward(params, s); returns the sample's loss.
  double backward(std::span<const double> params, int s, std::span<double> grad) {
    const int out = shape_.layers();
    const double y = samples_.target[s];
    const double z = z_[out][0];
    delta_[out][0] = loss_slope(loss_, z, y);
    for (int l = out; l >= 1; --l) {
      const int fan_in = shape_.units(l - 1);
      const double* w = params.data() + shape_.weight_offset(l);
      double* gw = grad.data() + shape_.weight_offset(l);
      double* gb = grad.data() + shape_.bias_offset(l);
      for (int i = 0; i < shape_.units(l); ++i) {
        for (int j = 0; j < fan_in; ++j)
          gw[static_cast<std::int64_t>(i) * fan_in + j] += delta_[l][i] * a_[l - 1][j];
        gb[i] += delta_[l][i];
      }
      if (l == 1) break;
      for (int j = 0; j < fan_in; ++j) {
        double sum = 0.0;
        for (int i = 0; i < shape_.units(l); ++i)
          sum += w[static_cast<std::int64_t>(i) * fan_in + j] * delta_[l][i];
        delta_[l - 1][j] = sum * activation_slope(activation_, z_[l - 1][j]) * keep_[l - 1][j];
      }
    }
    return loss_value(loss_, z, y);
  }

  double sample_loss(double z, int s) const { return loss_value(loss_, z, samples_.target[s]); }
  bool correct(double z, int s) const { return (z > 0.0) == (samples_.target[s] > 0.5); }

 private:
  SampleSet samples_;
  NetworkShape shape_;
  Activation activation_;
  Loss loss_;
  std::vector<std::vector<double>> z_, a_, delta_;  // [layer][unit] for the current sample
  std::vector<std::vector<double>> keep_;           // dropout factor: 1, 1/(1-p) or 0
};

// Steps 2-4 of an update (docs/method.md §4.1): gradient noise on the batch-mean gradient, then
// coupled weight decay, then the optimiser, each on every weight and bias alone.
class ParameterUpdate {
 public:
  ParameterUpdate(const Config& c, const NetworkShape& shape, DrawKey key)
      : c_(c),
        shape_(shape),
        key_(key),
        first_(shape.parameter_count(), 0.0),
        second_(shape.parameter_count(), 0.0) {}

  void apply(std::uint32_t step, std::span<double> grad, std::span<double> params) {
    if (c_.grad_noise > 0.0) add_noise(step, grad);
    if (c_.weight_decay > 0.0)
      for (std::size_t k = 0; k < params.size(); ++k)
        grad[k] += c_.weight_decay * params[k];
    switch (c_.optimizer) {
      case Optimizer::sgd:
        // torch.optim.SGD: v <- mu v + g; theta <- theta - lr v (first_ is v).
        for (std::size_t k = 0; k < params.size(); ++k) {
          first_[k] = c_.momentum * first_[k] + grad[k];
          params[k] -= c_.lr * first_[k];
        }
        break;
      case Optimizer::adam: {
        // torch.optim.Adam, in its order of operations; k counts the updates so far, this one
        // included (not the 32-bit step, which wraps after 2^32 updates).
        const double updates = static_cast<double>(++updates_);
        const double correction1 = 1.0 - std::pow(kAdamBeta1, updates);
        const double correction2_sqrt = std::sqrt(1.0 - std::pow(kAdamBeta2, updates));
        const double step_size = c_.lr / correction1;
        for (std::size_t k = 0; k < params.size(); ++k) {
          first_[k] = kAdamBeta1 * first_[k] + (1.0 - kAdamBeta1) * grad[k];
          second_[k] = kAdamBeta2 * second_[k] + (1.0 - kAdamBeta2) * grad[k] * grad[k];
          const double denominator = std::sqrt(second_[k]) / correction2_sqrt + kAdamEps;
          params[k] -= step_size * (first_[k] / denominator);
        }
        break;
      }
      case Optimizer::rmsprop:
        // torch.optim.RMSprop, not centred, no momentum (second_ is the square average).
        for (std::size_t k = 0; k < params.size(); ++k) {
          second_[k] = kRmspropAlpha * second_[k] + (1.0 - kRmspropAlpha) * grad[k] * grad[k];
          params[k] -= c_.lr * (grad[k] / (std::sqrt(second_[k]) + kRmspropEps));
        }
        break;
    }
  }

 private:
  void add_noise(std::uint32_t step, std::span<double> grad) const {
    for (int l = 1; l <= shape_.layers(); ++l) {
      const auto layer = static_cast<std::uint32_t>(l);
      double* gw = grad.data() + shape_.weight_offset(l);
      double* gb = grad.data() + shape_.bias_offset(l);
      for (std::int64_t k = 0; k < shape_.weight_count(l); ++k)
        gw[k] += c_.grad_noise * gradient_noise(key_, BreakerStream::weight_noise,
                                                {step, 0, layer, static_cast<std::uint32_t>(k)});
      for (int i = 0; i < shape_.units(l); ++i)
        gb[i] += c_.grad_noise * gradient_noise(key_, BreakerStream::bias_noise,
                                                {step, 0, layer, static_cast<std::uint32_t>(i)});
    }
  }

  const Config& c_;
  NetworkShape shape_;
  DrawKey key_;
  std::vector<double> first_;   // SGD's velocity, Adam's first moment
  std::vector<double> second_;  // Adam's and RMSprop's average of squared gradients
  std::int64_t updates_ = 0;    // Adam's k
};

struct Evaluation {
  double loss = 0.0;
  int correct = 0;
  int positive = 0;  // samples predicted 1
};

Evaluation evaluate(ReferenceNetwork& net, std::span<const double> params, int samples) {
  Evaluation e;
  for (int s = 0; s < samples; ++s) {
    const double z = net.forward(params, s);
    e.loss += net.sample_loss(z, s);
    e.correct += net.correct(z, s) ? 1 : 0;
    e.positive += z > 0.0 ? 1 : 0;
  }
  e.loss /= samples;
  return e;
}

bool all_finite(std::span<const double> values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

TracePoint trace_point(int epoch, const Evaluation& e, int samples, const NetworkShape& shape,
                       std::span<const double> params, std::vector<int> distinct) {
  NetworkResult r;
  r.distinct = std::move(distinct);
  r.diverged = !std::isfinite(e.loss) || !all_finite(params);
  set_symmetry_verdicts(r, shape);
  return TracePoint{epoch,
                    e.loss,
                    !r.diverged && e.correct == samples,
                    distinct_fraction(r.distinct, shape),
                    r.broken,
                    r.collapsed,
                    r.diverged};
}

bool every_layer_split(std::span<const int> distinct) {
  return std::all_of(distinct.begin(), distinct.end(), [](int d) { return d > 1; });
}

}  // namespace

std::vector<double> reference_initial_parameters(const SweepPlan& plan, WorkItem item) {
  const Config& c = plan.configs[item.config];
  const NetworkShape shape = plan.shape_of(c);
  std::vector<double> params(shape.parameter_count());
  init_network(c.init.weights, c.bias.bias, shape, DrawKey{plan.run.seed, item.replicate},
               params.data());
  return params;
}

NetworkResult train_reference_network(const SweepPlan& plan, WorkItem item) {
  const Config& c = plan.configs[item.config];
  const Task& task = plan.task_of(c);
  const NetworkShape shape = plan.shape_of(c);
  const RunSettings& run = plan.run;
  const int n = task.samples;
  const int batch = effective_batch(c.batch, n);

  std::vector<double> params = reference_initial_parameters(plan, item);
  const std::vector<double> initial = params;
  std::vector<double> grad(params.size());
  ParameterUpdate update(c, shape, DrawKey{run.seed, item.replicate});
  ReferenceNetwork net(training_set(task), shape, c.activation, c.loss);
  DropoutDraw dropout{DrawKey{run.seed, item.replicate}, 0, dropout_threshold(c.dropout),
                      1.0 / (1.0 - c.dropout)};
  const std::uint32_t updates_per_epoch = static_cast<std::uint32_t>((n + batch - 1) / batch);

  NetworkResult result;
  Evaluation last;
  for (int epoch = 0;; ++epoch) {
    // The parameters after `epoch` epochs.
    last = evaluate(net, params, n);
    if (last.correct == n && result.epoch_solved < 0) result.epoch_solved = epoch;
    const bool traced =
        run.trace_every > 0 && (epoch % run.trace_every == 0 || epoch == run.epochs);
    if (traced) {
      std::vector<int> distinct = distinct_neurons(shape, params, run.tol);
      const bool split = every_layer_split(distinct);
      TracePoint point = trace_point(epoch, last, n, shape, params, std::move(distinct));
      // A diverged network is not broken (docs/method.md §6): finite but huge weights with an
      // overflowed loss are all distinct, and must not mark the epoch the symmetry broke.
      if (result.epoch_broken < 0 && split && !point.diverged) result.epoch_broken = epoch;
      result.trace.push_back(point);
    }
    if (epoch == run.epochs) break;
    for (int first = 0, u = 0; first < n; first += batch, ++u) {
      const int count = std::min(batch, n - first);
      // The update's number t = e*U + u of docs/method.md §4.1, 32 bits as the counter word.
      const std::uint32_t step =
          static_cast<std::uint32_t>(epoch) * updates_per_epoch + static_cast<std::uint32_t>(u);
      dropout.step = step;
      std::fill(grad.begin(), grad.end(), 0.0);
      for (int s = first; s < first + count; ++s) {
        net.forward(params, s, c.dropout > 0.0 ? &dropout : nullptr);
        net.backward(params, s, grad);
      }
      for (double& g : grad)
        g /= count;
      update.apply(step, grad, params);
    }
  }

  result.final_loss = last.loss;
  result.accuracy = static_cast<double>(last.correct) / n;
  result.diverged = !std::isfinite(last.loss) || !all_finite(params);
  result.solved = !result.diverged && last.correct == n;
  result.distinct = distinct_neurons(shape, params, run.tol);
  set_symmetry_verdicts(result, shape);
  result.frozen = !result.diverged && weights_unchanged(shape, params, initial);
  if (task.has_test_set()) {
    // Training never sees the test set: it is measured once, on the final parameters.
    ReferenceNetwork tester(SampleSet{task.test_x.data(), task.test_target.data()}, shape,
                            c.activation, c.loss);
    const Evaluation e = evaluate(tester, params, task.test_samples);
    result.test_accuracy = static_cast<double>(e.correct) / task.test_samples;
    result.test_loss = e.loss;
    result.single_class = last.positive == 0 || last.positive == n;
  }
  if (run.keeps_parameters(item.replicate)) result.parameters = std::move(params);
  return result;
}

LossAndGradient reference_loss_and_gradient(const Task& task, const NetworkShape& shape,
                                            Activation activation, Loss loss,
                                            std::span<const double> params, int first, int count) {
  ReferenceNetwork net(training_set(task), shape, activation, loss);
  LossAndGradient out;
  out.gradient.assign(params.size(), 0.0);
  for (int s = first; s < first + count; ++s) {
    net.forward(params, s);
    out.loss += net.backward(params, s, out.gradient);
  }
  out.loss /= count;
  for (double& g : out.gradient)
    g /= count;
  return out;
}

void CpuReferenceEngine::train(const SweepPlan& plan, std::span<const WorkItem> items,
                               std::span<NetworkResult> out) {
  parallel_for(static_cast<std::int64_t>(items.size()), threads_,
               [&](std::int64_t i) { out[i] = train_reference_network(plan, items[i]); });
}

}  // namespace symbreak
