// Initial parameters of one network (docs/method.md §5), computed in double by the same code on the
// host and the GPU. cpu-ref uses the values as they are; float engines round each to float once.
//
// Layout of `params`: see network_shape.cuh.
#pragma once

#include <cstdint>

#include "host_device.cuh"
#include "init_scheme.cuh"
#include "network_shape.cuh"
#include "philox_draws.cuh"

namespace symbreak {

// Where a layer sits decides what `symmetric:` shares (docs/method.md §5.1).
enum class LayerRole : std::uint8_t { first, hidden_to_hidden, output };

SYMBREAK_HD inline LayerRole layer_role(const NetworkShape& shape, int l) {
  if (l == 1) return LayerRole::first;
  return l == shape.layers() ? LayerRole::output : LayerRole::hidden_to_hidden;
}

// Scale applied to symmetric_unit() for the uniform family, or to standard_normal() for the
// Gaussian family. fan_in = cols, fan_out = rows.
SYMBREAK_HD inline double weight_scale(const WeightInit& w, int rows, int cols) {
  const double fan_in = cols;
  const double fan_sum = static_cast<double>(rows) + cols;
  switch (w.scheme) {
    case WeightScheme::uniform:
    case WeightScheme::normal:
    case WeightScheme::trunc_normal:
    case WeightScheme::orthogonal:
      return w.param;
    case WeightScheme::xavier_uniform:
      return w.param * sqrt(6.0 / fan_sum);
    case WeightScheme::xavier_normal:
      return w.param * sqrt(2.0 / fan_sum);
    case WeightScheme::he_uniform:
      return w.param * sqrt(6.0 / fan_in);
    case WeightScheme::he_normal:
      return w.param * sqrt(2.0 / fan_in);
    case WeightScheme::lecun_uniform:
      return w.param * sqrt(3.0 / fan_in);
    case WeightScheme::lecun_normal:
      return w.param * sqrt(1.0 / fan_in);
    case WeightScheme::torch_linear:
      return 1.0 / sqrt(fan_in);
    default:
      return 0.0;
  }
}

SYMBREAK_HD inline bool is_uniform_family(WeightScheme s) {
  return s == WeightScheme::uniform || s == WeightScheme::xavier_uniform ||
         s == WeightScheme::he_uniform || s == WeightScheme::lecun_uniform ||
         s == WeightScheme::torch_linear;
}

// Truncation at +-2 standard deviations by redrawing; after 64 rejected attempts (probability
// about 1e-86) the value is clamped so the function stays total.
SYMBREAK_HD inline double truncated_standard_normal(DrawKey key, DrawSite site) {
  for (std::uint32_t attempt = 0; attempt < 64; ++attempt) {
    const double z = standard_normal(key, site, attempt);
    if (z >= -2.0 && z <= 2.0) return z;
  }
  return 0.0;
}

// Entry (i, j) of the Sylvester Hadamard matrix of order p, divided by sqrt(p).
SYMBREAK_HD inline double hadamard_entry(int i, int j, int p) {
  unsigned bits = static_cast<unsigned>(i) & static_cast<unsigned>(j);
  int parity = 0;
  for (; bits != 0; bits &= bits - 1)
    parity ^= 1;
  return (parity ? -1.0 : 1.0) / sqrt(static_cast<double>(p));
}

SYMBREAK_HD inline int next_power_of_two(int n) {
  int p = 1;
  while (p < n)
    p *= 2;
  return p;
}

// Orthonormalises `count` vectors of `length` entries in place by Gram-Schmidt with one full
// re-orthogonalisation pass ("twice is enough"), which keeps orthonormality near 1e-15 even for
// ill-conditioned Gaussian matrices. Vector v, entry e is at m[v * vstride + e * estride]. The
// result equals Q of the QR decomposition with a positive diagonal of R, i.e. Q * sign(diag(R)).
SYMBREAK_HD inline void orthonormalize(double* m, int count, int length, int vstride, int estride) {
  for (int v = 0; v < count; ++v) {
    double* x = m + static_cast<std::int64_t>(v) * vstride;
    for (int pass = 0; pass < 2; ++pass) {
      for (int u = 0; u < v; ++u) {
        const double* q = m + static_cast<std::int64_t>(u) * vstride;
        double dot = 0.0;
        for (int e = 0; e < length; ++e)
          dot += q[e * estride] * x[e * estride];
        for (int e = 0; e < length; ++e)
          x[e * estride] -= dot * q[e * estride];
      }
    }
    double norm2 = 0.0;
    for (int e = 0; e < length; ++e)
      norm2 += x[e * estride] * x[e * estride];
    if (norm2 > 0.0) {
      const double inv = 1.0 / sqrt(norm2);
      for (int e = 0; e < length; ++e)
        x[e * estride] *= inv;
    }
  }
}

// Fills W [rows][cols] with scheme `w`, ignoring its sharing.
SYMBREAK_HD inline void draw_weight_matrix(const WeightInit& w, int rows, int cols, DrawKey key,
                                           int layer, double* out) {
  const double scale = weight_scale(w, rows, cols);
  const int p = next_power_of_two(rows);
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      const std::int64_t k = static_cast<std::int64_t>(i) * cols + j;
      const DrawSite site{static_cast<std::uint32_t>(layer), DrawStream::weights,
                          static_cast<std::uint32_t>(k)};
      double value = 0.0;
      switch (w.scheme) {
        case WeightScheme::zeros:
          break;
        case WeightScheme::constant:
          value = w.param;
          break;
        case WeightScheme::identity:
          value = i == j ? w.param : 0.0;
          break;
        case WeightScheme::hadamard:
          value = rows <= cols ? (i == j ? 1.0 : 0.0) : hadamard_entry(i, j, p);
          break;
        case WeightScheme::trunc_normal:
          value = scale * truncated_standard_normal(key, site);
          break;
        case WeightScheme::orthogonal:
          value = standard_normal(key, site);  // scaled after orthonormalisation
          break;
        default:
          value = scale * (is_uniform_family(w.scheme) ? symmetric_unit(key, site)
                                                       : standard_normal(key, site));
          break;
      }
      out[k] = value;
    }
  }
  if (w.scheme != WeightScheme::orthogonal) return;
  // Semi-orthogonal: orthonormal columns when tall, orthonormal rows when wide.
  if (rows >= cols) {
    orthonormalize(out, cols, rows, 1, cols);
  } else {
    orthonormalize(out, rows, cols, cols, 1);
  }
  for (std::int64_t k = 0; k < static_cast<std::int64_t>(rows) * cols; ++k)
    out[k] *= scale;
}

// Applies `tied:` / `symmetric:` to a drawn matrix in place (docs/method.md §5.1).
SYMBREAK_HD inline void share_weights(Sharing sharing, LayerRole role, int rows, int cols,
                                      double* w) {
  if (sharing == Sharing::independent) return;
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      double& entry = w[static_cast<std::int64_t>(i) * cols + j];
      if (sharing == Sharing::tied || role == LayerRole::first) {
        entry = w[j];  // row 0
      } else if (role == LayerRole::hidden_to_hidden) {
        entry = w[0];  // entry [0][0]
      } else {
        entry = w[static_cast<std::int64_t>(i) * cols];  // column 0 of row i
      }
    }
  }
}

SYMBREAK_HD inline void init_layer_weights(const WeightInit& w, const NetworkShape& shape, int l,
                                           DrawKey key, double* out) {
  const int rows = shape.units(l);
  const int cols = shape.units(l - 1);
  draw_weight_matrix(w, rows, cols, key, l, out);
  share_weights(w.sharing, layer_role(shape, l), rows, cols, out);
}

SYMBREAK_HD inline void init_layer_biases(const BiasInit& b, const NetworkShape& shape, int l,
                                          DrawKey key, double* out) {
  const int rows = shape.units(l);
  const double fan_in = shape.units(l - 1);
  for (int i = 0; i < rows; ++i) {
    const DrawSite site{static_cast<std::uint32_t>(l), DrawStream::biases,
                        static_cast<std::uint32_t>(i)};
    switch (b.scheme) {
      case BiasScheme::zeros:
        out[i] = 0.0;
        break;
      case BiasScheme::constant:
        out[i] = b.param;
        break;
      case BiasScheme::uniform:
        out[i] = b.param * symmetric_unit(key, site);
        break;
      case BiasScheme::normal:
        out[i] = b.param * standard_normal(key, site);
        break;
      case BiasScheme::torch_linear:
        out[i] = (1.0 / sqrt(fan_in)) * symmetric_unit(key, site);
        break;
    }
  }
}

// All parameters of one network: params has shape.parameter_count() entries.
SYMBREAK_HD inline void init_network(const WeightInit& w, const BiasInit& b,
                                     const NetworkShape& shape, DrawKey key, double* params) {
  for (int l = 1; l <= shape.layers(); ++l) {
    init_layer_weights(w, shape, l, key, params + shape.weight_offset(l));
    init_layer_biases(b, shape, l, key, params + shape.bias_offset(l));
  }
}

}  // namespace symbreak
