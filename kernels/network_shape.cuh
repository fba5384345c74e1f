// Layer sizes [d, H, ..., H, 1], or [d, H_1, ..., H_L, 1] when the hidden layers have their own
// sizes (docs/method.md §2), and the flat parameter layout shared by every engine.
//
// Parameters of one network are stored as [W_1][b_1][W_2][b_2]...[W_{L+1}][b_{L+1}], where W_l is
// row-major [n_l][n_{l-1}] (row i = incoming weights of neuron i) and b_l has n_l entries.
#pragma once

#include <cstdint>

#include "host_device.cuh"

namespace symbreak {

// The most hidden layers a width may list one by one (--width 10x5 lists two). A fixed bound keeps
// NetworkShape a plain value that crosses to the GPU by value; uniform widths have any depth.
inline constexpr int kMaxListedLayers = 16;

struct NetworkShape {
  int inputs = 2;  // d
  int width = 4;   // H, neurons per hidden layer; with listed sizes the widest of them
  int depth = 1;   // L, hidden layers
  // H_1 ... H_L when the hidden layers have their own sizes (then depth <= kMaxListedLayers and
  // width is their maximum); all zero when every hidden layer has `width` neurons.
  int listed[kMaxListedLayers] = {};

  SYMBREAK_HD bool has_listed_widths() const { return listed[0] != 0; }

  // Number of weight layers, L + 1; layer indices run 1 ... layers().
  SYMBREAK_HD int layers() const { return depth + 1; }

  // n_l: layer 0 is the input, 1 ... L are hidden (H_l), L + 1 is the single output unit.
  SYMBREAK_HD int units(int l) const {
    if (l == 0) return inputs;
    if (l > depth) return 1;
    return has_listed_widths() ? listed[l - 1] : width;
  }

  SYMBREAK_HD std::int64_t weight_count(int l) const {
    return static_cast<std::int64_t>(units(l)) * units(l - 1);
  }

  // Offset of W_l in the flat parameter vector.
  SYMBREAK_HD std::int64_t weight_offset(int l) const {
    std::int64_t offset = 0;
    for (int k = 1; k < l; ++k)
      offset += weight_count(k) + units(k);
    return offset;
  }

  // Offset of b_l in the flat parameter vector.
  SYMBREAK_HD std::int64_t bias_offset(int l) const { return weight_offset(l) + weight_count(l); }

  SYMBREAK_HD std::int64_t parameter_count() const { return weight_offset(layers() + 1); }

  // Hidden units of all layers, Σ H_l.
  SYMBREAK_HD std::int64_t hidden_units() const {
    std::int64_t total = 0;
    for (int l = 1; l <= depth; ++l)
      total += units(l);
    return total;
  }
};

// [inputs, sizes[0], ..., sizes[count - 1], 1]: hidden layers of their own sizes; 1 <= count <=
// kMaxListedLayers, every size >= 1.
inline NetworkShape shape_with_widths(int inputs, const int* sizes, int count) {
  NetworkShape s{inputs, 0, count};
  for (int l = 0; l < count; ++l) {
    s.listed[l] = sizes[l];
    s.width = sizes[l] > s.width ? sizes[l] : s.width;
  }
  return s;
}

}  // namespace symbreak
