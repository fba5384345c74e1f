// Layer sizes [d, H, ..., H, 1] and the flat parameter layout shared by every engine.
//
// Parameters of one network are stored as [W_1][b_1][W_2][b_2]...[W_{L+1}][b_{L+1}], where W_l is
// row-major [n_l][n_{l-1}] (row i = incoming weights of neuron i) and b_l has n_l entries.
#pragma once

#include <cstdint>

#include "host_device.cuh"

namespace symbreak {

struct NetworkShape {
  int inputs = 2;  // d
  int width = 4;   // H, neurons per hidden layer
  int depth = 1;   // L, hidden layers

  // Number of weight layers, L + 1; layer indices run 1 ... layers().
  SYMBREAK_HD int layers() const { return depth + 1; }

  // n_l: layer 0 is the input, 1 ... L are hidden, L + 1 is the single output unit.
  SYMBREAK_HD int units(int l) const { return l == 0 ? inputs : (l <= depth ? width : 1); }

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
};

}  // namespace symbreak
