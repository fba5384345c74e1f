// Tests kernels/init_params.cuh and kernels/philox_draws.cuh on the host: the moments of every
// random scheme of docs/method.md §5 against its formula, the deterministic schemes entry by entry,
// the tied:/symmetric: layouts, common random numbers across a family, and exact uniform draws.
#include "kernels/init_params.cuh"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "host/config/init_scheme_names.hpp"

namespace symbreak {
namespace {

constexpr std::uint32_t kSeed = 12345;

std::vector<double> draw(const WeightInit& w, int rows, int cols, std::uint32_t replicate,
                         int layer = 1, std::uint32_t seed = kSeed) {
  std::vector<double> out(static_cast<std::size_t>(rows) * cols);
  draw_weight_matrix(w, rows, cols, DrawKey{seed, replicate}, layer, out.data());
  return out;
}

std::vector<double> draw(const char* scheme, int rows, int cols, std::uint32_t replicate,
                         int layer = 1) {
  return draw(parse_init_choice(scheme).weights, rows, cols, replicate, layer);
}

bool bit_equal(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// ---------------------------------------------------------------------------------------------
// Moments. For N independent draws with variance σ² and fourth central moment μ4, the sample mean
// has standard error sqrt(σ²/N) and the sample variance sqrt((μ4 - σ⁴)/N) (to first order in
// 1/N). Every check allows 4 standard errors; the draws are fixed by the seed, so the tests are
// deterministic, and a correct implementation fails one check with probability about 6e-5.

double standard_normal_pdf(double x) {
  return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi);
}

double standard_normal_cdf(double x) {
  return 0.5 * std::erfc(-x / std::numbers::sqrt2);
}

// The distribution a scheme promises, as its second and fourth moments.
struct Law {
  std::string name;
  double variance;
  double fourth;  // E[x^4]
  double bound;   // |x| <= bound, or infinity
};

// U(-a, a): E x² = a²/3, E x⁴ = a⁴/5.
Law uniform_law(const std::string& name, double a) {
  return Law{name, a * a / 3.0, std::pow(a, 4) / 5.0, a};
}

// N(0, s²): E x⁴ = 3 s⁴.
Law normal_law(const std::string& name, double s) {
  return Law{name, s * s, 3.0 * std::pow(s, 4), INFINITY};
}

// N(0, s²) restricted to [-2s, 2s]. With c = 2, φ the standard normal density and Z = Φ(c)-Φ(-c),
// integrating by parts (z φ(z) = -φ'(z)) gives for the standard truncated normal
//   E z² = 1 - 2cφ(c)/Z,   E z⁴ = 3 E z² - 2c³φ(c)/Z = 3 - (6c + 2c³)φ(c)/Z,
// so E z² = 1 - 4φ(2)/(Φ(2)-Φ(-2)) ≈ 0.7737.
Law truncated_normal_law(const std::string& name, double s) {
  const double c = 2.0;
  const double z = standard_normal_cdf(c) - standard_normal_cdf(-c);
  const double second = 1.0 - 2.0 * c * standard_normal_pdf(c) / z;
  const double fourth = 3.0 - (6.0 * c + 2.0 * c * c * c) * standard_normal_pdf(c) / z;
  return Law{name, s * s * second, std::pow(s, 4) * fourth, c * s};
}

void expect_moments(const Law& law, const std::vector<double>& x) {
  SCOPED_TRACE(law.name);
  const double n = static_cast<double>(x.size());
  double sum = 0.0;
  for (const double v : x) {
    sum += v;
    ASSERT_LE(std::fabs(v), law.bound) << "outside the scheme's support";
  }
  const double mean = sum / n;
  double m2 = 0.0;
  for (const double v : x)
    m2 += (v - mean) * (v - mean);
  const double variance = m2 / (n - 1.0);
  const double se_mean = std::sqrt(law.variance / n);
  const double se_variance = std::sqrt((law.fourth - law.variance * law.variance) / n);
  EXPECT_NEAR(mean, 0.0, 4.0 * se_mean);
  EXPECT_NEAR(variance, law.variance, 4.0 * se_variance)
      << "relative error " << variance / law.variance - 1.0;
}

// Many replicates of one rows x cols matrix, pooled. 200 x 24 x 40 = 192,000 draws: 4 standard
// errors of the variance are 1.3% of it for a Gaussian, enough to tell xavier's 2/(fan_in +
// fan_out) = 2/64 from he's 2/40.
std::vector<double> pooled(const char* scheme, int rows, int cols, int replicates = 200) {
  std::vector<double> all;
  for (int r = 0; r < replicates; ++r) {
    const std::vector<double> m = draw(scheme, rows, cols, static_cast<std::uint32_t>(r), 2);
    all.insert(all.end(), m.begin(), m.end());
  }
  return all;
}

TEST(InitMoments, EveryRandomWeightSchemeMatchesItsFormula) {
  const int rows = 24, cols = 40;  // fan_out 24, fan_in 40
  const double fi = cols, fo = rows;
  const struct {
    const char* scheme;
    Law law;
  } cases[] = {
      {"uniform:0.7", uniform_law("uniform:0.7", 0.7)},
      {"normal:1.3", normal_law("normal:1.3", 1.3)},
      {"xavier-uniform", uniform_law("xavier-uniform", std::sqrt(6.0 / (fi + fo)))},
      {"xavier-uniform:2.5", uniform_law("xavier-uniform:2.5", 2.5 * std::sqrt(6.0 / (fi + fo)))},
      {"xavier-normal", normal_law("xavier-normal", std::sqrt(2.0 / (fi + fo)))},
      {"xavier-normal:0.5", normal_law("xavier-normal:0.5", 0.5 * std::sqrt(2.0 / (fi + fo)))},
      {"he-uniform", uniform_law("he-uniform", std::sqrt(6.0 / fi))},
      {"he-normal", normal_law("he-normal", std::sqrt(2.0 / fi))},
      {"he-normal:3", normal_law("he-normal:3", 3.0 * std::sqrt(2.0 / fi))},
      {"lecun-uniform", uniform_law("lecun-uniform", std::sqrt(3.0 / fi))},
      {"lecun-normal", normal_law("lecun-normal", std::sqrt(1.0 / fi))},
      {"trunc-normal:0.02", truncated_normal_law("trunc-normal:0.02", 0.02)},
      {"trunc-normal:1", truncated_normal_law("trunc-normal:1", 1.0)},
      {"torch-linear", uniform_law("torch-linear", 1.0 / std::sqrt(fi))},
  };
  for (const auto& c : cases)
    expect_moments(c.law, pooled(c.scheme, rows, cols));
}

TEST(InitMoments, TruncatedNormalVarianceFactorIsAbout0Point7737) {
  EXPECT_NEAR(truncated_normal_law("", 1.0).variance, 0.7737, 5e-5);
}

TEST(InitMoments, EveryRandomBiasSchemeMatchesItsFormula) {
  // Layer 1 of a 40-input network: 64 biases with fan_in 40, over 3000 replicates.
  const NetworkShape shape{40, 64, 1};
  const struct {
    const char* scheme;
    Law law;
  } cases[] = {
      {"uniform:0.3", uniform_law("uniform:0.3", 0.3)},
      {"normal:2", normal_law("normal:2", 2.0)},
      {"torch-linear", uniform_law("torch-linear", 1.0 / std::sqrt(40.0))},
  };
  for (const auto& c : cases) {
    const BiasInit b = parse_bias_choice(c.scheme).bias;
    std::vector<double> all;
    for (std::uint32_t r = 0; r < 3000; ++r) {
      std::vector<double> out(shape.units(1));
      init_layer_biases(b, shape, 1, DrawKey{kSeed, r}, out.data());
      all.insert(all.end(), out.begin(), out.end());
    }
    expect_moments(c.law, all);
  }
}

// Draws for different coordinates are not copies of each other: their sample correlation over
// many entries is within 4 standard errors (1/sqrt(N)) of 0.
TEST(InitMoments, DrawsOfDifferentLayersStreamsReplicatesAndSeedsAreUncorrelated) {
  const WeightInit normal = parse_init_choice("normal:1").weights;
  const int rows = 100, cols = 100;
  const std::vector<double> base = draw(normal, rows, cols, 0, 1);
  const std::vector<std::pair<std::string, std::vector<double>>> others = {
      {"layer 2", draw(normal, rows, cols, 0, 2)},
      {"replicate 1", draw(normal, rows, cols, 1, 1)},
      {"seed + 1", draw(normal, rows, cols, 0, 1, kSeed + 1)},
  };
  for (const auto& [what, other] : others) {
    double xy = 0.0, xx = 0.0, yy = 0.0;
    for (std::size_t k = 0; k < base.size(); ++k) {
      xy += base[k] * other[k];
      xx += base[k] * base[k];
      yy += other[k] * other[k];
    }
    EXPECT_NEAR(xy / std::sqrt(xx * yy), 0.0, 4.0 / std::sqrt(static_cast<double>(base.size())))
        << what;
  }
  // Biases and weights of one layer come from different streams.
  const NetworkShape shape{100, 100, 1};
  std::vector<double> biases(100);
  init_layer_biases(BiasInit{BiasScheme::normal, 1.0}, shape, 1, DrawKey{kSeed, 0}, biases.data());
  for (int i = 0; i < 100; ++i)
    EXPECT_FALSE(bit_equal(biases[i], base[i])) << "bias " << i << " repeats weight " << i;
}

// ---------------------------------------------------------------------------------------------
// Orthogonal: g·Q with Q from the QR of the Gaussian matrix that normal:1 draws with the same key
// (common random numbers), sign of diag(R) folded in, i.e. R = Qᵀ A upper triangular with a
// positive diagonal (tall), or L = A Qᵀ lower triangular with a positive diagonal (wide).

struct Shape {
  int rows, cols;
};

TEST(InitOrthogonal, IsSemiOrthogonalWithGainAndMatchesQrOfItsGaussianMatrix) {
  for (const Shape s : {Shape{12, 5}, Shape{5, 12}, Shape{8, 8}, Shape{1, 6}, Shape{6, 1},
                        Shape{64, 64}, Shape{3, 2}}) {
    for (const double g : {1.0, 1.7}) {
      SCOPED_TRACE(std::to_string(s.rows) + "x" + std::to_string(s.cols) + " gain " +
                   std::to_string(g));
      for (std::uint32_t r = 0; r < 3; ++r) {
        const std::vector<double> q =
            draw(WeightInit{WeightScheme::orthogonal, Sharing::independent, g}, s.rows, s.cols, r);
        const std::vector<double> a = draw("normal:1", s.rows, s.cols, r);
        const bool tall = s.rows >= s.cols;
        const int k = tall ? s.cols : s.rows;  // number of orthonormal vectors
        const int len = tall ? s.rows : s.cols;
        // Entry e of orthonormal vector v: column v when tall, row v when wide.
        const auto at = [&](const std::vector<double>& m, int v, int e) {
          return tall ? m[static_cast<std::size_t>(e) * s.cols + v]
                      : m[static_cast<std::size_t>(v) * s.cols + e];
        };
        for (int u = 0; u < k; ++u) {
          for (int v = 0; v < k; ++v) {
            double dot = 0.0;
            for (int e = 0; e < len; ++e)
              dot += at(q, u, e) * at(q, v, e);
            EXPECT_NEAR(dot / (g * g), u == v ? 1.0 : 0.0, 1e-12) << u << "," << v;
            // R[u][v] = <q_u, a_v> / g: zero below the diagonal, positive on it.
            double r_uv = 0.0;
            for (int e = 0; e < len; ++e)
              r_uv += at(q, u, e) * at(a, v, e) / g;
            if (u > v) {
              EXPECT_NEAR(r_uv, 0.0, 1e-12 * len);
            } else if (u == v) {
              EXPECT_GT(r_uv, 0.0);
            }
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Deterministic schemes.

TEST(InitDeterministic, ZerosAndConstantFillEveryEntry) {
  for (const double v : draw("zeros", 3, 5, 0))
    EXPECT_TRUE(bit_equal(v, 0.0));
  for (const double v : draw("const:-0.37", 5, 3, 4))
    EXPECT_TRUE(bit_equal(v, -0.37));
}

TEST(InitDeterministic, IdentityPutsTheGainOnTheMainDiagonal) {
  for (const Shape s : {Shape{3, 5}, Shape{5, 3}, Shape{4, 4}, Shape{1, 4}}) {
    for (const char* scheme : {"identity", "identity:2.5"}) {
      const double g = parse_init_choice(scheme).weights.param;
      const std::vector<double> m = draw(scheme, s.rows, s.cols, 7);
      for (int i = 0; i < s.rows; ++i) {
        for (int j = 0; j < s.cols; ++j)
          EXPECT_TRUE(bit_equal(m[i * s.cols + j], i == j ? g : 0.0)) << scheme << " " << i << j;
      }
    }
  }
}

// The Sylvester construction written independently: H_1 = [1], H_2n = [[H, H], [H, -H]].
std::vector<std::vector<int>> sylvester(int p) {
  std::vector<std::vector<int>> h = {{1}};
  while (static_cast<int>(h.size()) < p) {
    const int n = static_cast<int>(h.size());
    std::vector<std::vector<int>> next(2 * n, std::vector<int>(2 * n));
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) {
        next[i][j] = next[i][j + n] = next[i + n][j] = h[i][j];
        next[i + n][j + n] = -h[i][j];
      }
    }
    h = next;
  }
  return h;
}

TEST(InitDeterministic, SylvesterReferenceHasOrthogonalRows) {
  for (const int p : {1, 2, 4, 8, 16}) {
    const auto h = sylvester(p);
    for (int i = 0; i < p; ++i) {
      for (int k = 0; k < p; ++k) {
        int dot = 0;
        for (int j = 0; j < p; ++j)
          dot += h[i][j] * h[k][j];
        EXPECT_EQ(dot, i == k ? p : 0);
      }
    }
  }
}

// ZerO (docs/method.md §5.1): partial identity when n_l <= n_{l-1}; otherwise the first n_l rows
// and n_{l-1} columns of the Sylvester Hadamard matrix of order p = 2^ceil(log2 n_l), divided by
// sqrt(p).
TEST(InitDeterministic, HadamardIsPartialIdentityOrScaledSylvesterRows) {
  for (const Shape s : {Shape{3, 5}, Shape{4, 4}, Shape{1, 6}, Shape{5, 3}, Shape{8, 3},
                        Shape{2, 1}, Shape{16, 7}, Shape{9, 2}}) {
    SCOPED_TRACE(std::to_string(s.rows) + "x" + std::to_string(s.cols));
    const std::vector<double> m = draw("hadamard", s.rows, s.cols, 3);
    if (s.rows <= s.cols) {
      for (int i = 0; i < s.rows; ++i) {
        for (int j = 0; j < s.cols; ++j)
          EXPECT_TRUE(bit_equal(m[i * s.cols + j], i == j ? 1.0 : 0.0));
      }
      continue;
    }
    int p = 1;
    while (p < s.rows)
      p *= 2;
    const auto h = sylvester(p);
    for (int i = 0; i < s.rows; ++i) {
      for (int j = 0; j < s.cols; ++j)
        EXPECT_NEAR(m[i * s.cols + j], h[i][j] / std::sqrt(static_cast<double>(p)), 1e-15);
    }
    // With n_l = p the matrix is p of the p orthonormal Hadamard rows cut to n_{l-1} columns, so
    // its columns are orthonormal.
    if (s.rows == p) {
      for (int j = 0; j < s.cols; ++j) {
        for (int k = 0; k < s.cols; ++k) {
          double dot = 0.0;
          for (int i = 0; i < s.rows; ++i)
            dot += m[i * s.cols + j] * m[i * s.cols + k];
          EXPECT_NEAR(dot, j == k ? 1.0 : 0.0, 1e-14);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// tied: and symmetric: on a whole network, [3, 5, 5, 5, 1]: a first layer, two hidden-to-hidden
// layers and the output layer.

struct Network {
  NetworkShape shape;
  std::vector<double> params;
  double at(int l, int i, int j) const {
    return params[shape.weight_offset(l) + i * shape.units(l - 1) + j];
  }
};

Network init(const char* scheme, std::uint32_t replicate, const char* bias = "zeros") {
  Network n{NetworkShape{3, 5, 3}, {}};
  n.params.resize(n.shape.parameter_count());
  init_network(parse_init_choice(scheme).weights, parse_bias_choice(bias).bias, n.shape,
               DrawKey{kSeed, replicate}, n.params.data());
  return n;
}

// The matrix the inner scheme draws for layer l with the layer's own fans, before sharing.
std::vector<double> unshared(const char* inner, const NetworkShape& shape, int l,
                             std::uint32_t replicate) {
  return draw(parse_init_choice(inner).weights, shape.units(l), shape.units(l - 1), replicate, l);
}

TEST(InitSharing, TiedCopiesRowZeroOfEveryLayer) {
  for (const char* inner : {"normal:1", "he-uniform", "orthogonal:2", "xavier-normal"}) {
    const std::string scheme = std::string("tied:") + inner;
    SCOPED_TRACE(scheme);
    const Network n = init(scheme.c_str(), 5);
    for (int l = 1; l <= n.shape.layers(); ++l) {
      const std::vector<double> drawn = unshared(inner, n.shape, l, 5);
      for (int i = 0; i < n.shape.units(l); ++i) {
        for (int j = 0; j < n.shape.units(l - 1); ++j)
          EXPECT_TRUE(bit_equal(n.at(l, i, j), drawn[j])) << "layer " << l << " " << i << j;
      }
    }
    // The output row holds H different values: neurons share inputs, not outputs.
    for (int i = 0; i < n.shape.width; ++i) {
      for (int k = 0; k < i; ++k)
        EXPECT_NE(n.at(n.shape.layers(), 0, i), n.at(n.shape.layers(), 0, k));
    }
  }
}

TEST(InitSharing, SymmetricMakesEveryHiddenNeuronIdentical) {
  for (const char* inner : {"normal:1", "he-uniform", "orthogonal:2", "lecun-normal:3"}) {
    const std::string scheme = std::string("symmetric:") + inner;
    SCOPED_TRACE(scheme);
    const Network n = init(scheme.c_str(), 9);
    const NetworkShape& s = n.shape;
    // First layer: row 0 of the drawn matrix in every row.
    const std::vector<double> first = unshared(inner, s, 1, 9);
    for (int i = 0; i < s.width; ++i) {
      for (int j = 0; j < s.inputs; ++j)
        EXPECT_TRUE(bit_equal(n.at(1, i, j), first[j]));
    }
    // Hidden-to-hidden layers: entry [0][0] everywhere.
    for (int l = 2; l <= s.depth; ++l) {
      const double v = unshared(inner, s, l, 9)[0];
      for (int i = 0; i < s.width; ++i) {
        for (int j = 0; j < s.width; ++j)
          EXPECT_TRUE(bit_equal(n.at(l, i, j), v)) << "layer " << l;
      }
    }
    // Output layer: its single row constant, equal to the drawn [0][0] (column 0 of row 0).
    const double out = unshared(inner, s, s.layers(), 9)[0];
    for (int j = 0; j < s.width; ++j)
      EXPECT_TRUE(bit_equal(n.at(s.layers(), 0, j), out));
  }
}

TEST(InitSharing, SharingLeavesBiasesToTheBiasScheme) {
  const Network plain = init("normal:1", 2, "normal:0.5");
  for (const char* scheme : {"tied:normal:1", "symmetric:normal:1"}) {
    const Network shared = init(scheme, 2, "normal:0.5");
    for (int l = 1; l <= shared.shape.layers(); ++l) {
      for (int i = 0; i < shared.shape.units(l); ++i) {
        const std::int64_t k = shared.shape.bias_offset(l) + i;
        EXPECT_TRUE(bit_equal(shared.params[k], plain.params[k])) << scheme << " bias " << k;
      }
    }
  }
}

// Hidden layers of their own sizes ([2, 10, 5, 1], --width 10x5): every layer draws with its own
// fans, so he-normal's layer l is normal:1's times sqrt(2 / n_{l-1}) and xavier-uniform's is
// uniform:1's times sqrt(6 / (n_l + n_{l-1})); hadamard and symmetric: follow each layer's shape.
TEST(InitPerLayerWidths, EveryLayerUsesItsOwnFans) {
  const int sizes[] = {10, 5};
  const NetworkShape s = shape_with_widths(2, sizes, 2);
  const auto network = [&](const char* scheme) {
    std::vector<double> p(s.parameter_count());
    init_network(parse_init_choice(scheme).weights, parse_bias_choice("zeros").bias, s,
                 DrawKey{kSeed, 3}, p.data());
    return p;
  };
  const std::vector<double> z = network("normal:1"), he = network("he-normal");
  const std::vector<double> u = network("uniform:1"), xavier = network("xavier-uniform");
  const int fan_in[] = {0, 2, 10, 5}, fan_out[] = {0, 10, 5, 1};
  for (int l = 1; l <= s.layers(); ++l) {
    const double he_scale = std::sqrt(2.0 / fan_in[l]);
    const double xavier_scale = std::sqrt(6.0 / (fan_in[l] + fan_out[l]));
    ASSERT_EQ(s.weight_count(l), static_cast<std::int64_t>(fan_in[l]) * fan_out[l]);
    for (std::int64_t k = s.weight_offset(l); k < s.bias_offset(l); ++k) {
      EXPECT_NEAR(he[k], he_scale * z[k],
                  2.0 * std::numeric_limits<double>::epsilon() * std::fabs(he[k]))
          << "layer " << l;
      EXPECT_TRUE(bit_equal(xavier[k], xavier_scale * u[k])) << "layer " << l;
    }
  }
  // hadamard: layer 1 (10 > 2) is Sylvester rows of order 16, layer 2 (5 <= 10) a partial
  // identity, the output (1 <= 5) too.
  const std::vector<double> h = network("hadamard");
  for (int i = 0; i < 10; ++i) {
    for (int j = 0; j < 2; ++j)
      EXPECT_DOUBLE_EQ(h[s.weight_offset(1) + i * 2 + j], hadamard_entry(i, j, 16));
  }
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 10; ++j)
      EXPECT_EQ(h[s.weight_offset(2) + i * 10 + j], i == j ? 1.0 : 0.0);
  }
  // symmetric: every neuron of each layer identical: layer 1 rows equal, layer 2 one value, the
  // output row constant.
  const std::vector<double> sym = network("symmetric:he-normal");
  for (int i = 1; i < 10; ++i) {
    for (int j = 0; j < 2; ++j)
      EXPECT_TRUE(bit_equal(sym[s.weight_offset(1) + i * 2 + j], sym[s.weight_offset(1) + j]));
  }
  for (std::int64_t k = s.weight_offset(2); k < s.bias_offset(2); ++k)
    EXPECT_TRUE(bit_equal(sym[k], sym[s.weight_offset(2)]));
  for (std::int64_t k = s.weight_offset(3); k < s.bias_offset(3); ++k)
    EXPECT_TRUE(bit_equal(sym[k], sym[s.weight_offset(3)]));
}

// ---------------------------------------------------------------------------------------------
// Common random numbers and exact uniform draws.

TEST(InitCommonRandomNumbers, GaussianSchemesDifferOnlyByTheirScale) {
  const int rows = 7, cols = 11;
  const std::vector<double> z = draw("normal:1", rows, cols, 4);
  const struct {
    const char* scheme;
    double scale;
  } cases[] = {
      {"normal:0.3", 0.3},
      {"xavier-normal", std::sqrt(2.0 / (rows + cols))},
      {"xavier-normal:2", 2.0 * std::sqrt(2.0 / (rows + cols))},
      {"he-normal", std::sqrt(2.0 / cols)},
      {"lecun-normal", std::sqrt(1.0 / cols)},
  };
  const std::vector<double> he = draw("he-normal", rows, cols, 4);
  const std::vector<double> xavier = draw("xavier-normal", rows, cols, 4);
  const double ratio = std::sqrt(2.0 / (rows + cols)) / std::sqrt(2.0 / cols);
  for (std::size_t k = 0; k < z.size(); ++k) {
    // Each value is one rounding of scale * z: within 2 ulp of the exact product.
    for (const auto& c : cases) {
      const double v = draw(c.scheme, rows, cols, 4)[k];
      EXPECT_NEAR(v, c.scale * z[k], 2.0 * std::numeric_limits<double>::epsilon() * std::fabs(v))
          << c.scheme;
    }
    EXPECT_NEAR(xavier[k], he[k] * ratio,
                4.0 * std::numeric_limits<double>::epsilon() * std::fabs(xavier[k]));
  }
  // trunc-normal redraws only what lies beyond 2s; inside, it is normal's draw.
  const std::vector<double> t = draw("trunc-normal:1", rows, cols, 4);
  int redrawn = 0;
  for (std::size_t k = 0; k < z.size(); ++k) {
    if (std::fabs(z[k]) <= 2.0) {
      EXPECT_TRUE(bit_equal(t[k], z[k]));
    } else {
      ++redrawn;
      EXPECT_LE(std::fabs(t[k]), 2.0);
    }
  }
  EXPECT_GT(redrawn, 0) << "no draw beyond 2s: the redraw branch went untested";
  RecordProperty("trunc_normal_redrawn", redrawn);
}

TEST(InitCommonRandomNumbers, UniformSchemesAreExactlyScaleTimesTheSameUnit) {
  const int rows = 9, cols = 13;
  const double fi = cols, fo = rows;
  const std::vector<double> u = draw("uniform:1", rows, cols, 6);
  const struct {
    const char* scheme;
    double scale;  // as docs/method.md §5.1 writes it; a*u rounds once, so the match is exact
  } cases[] = {
      {"uniform:0.25", 0.25},
      {"uniform:3", 3.0},
      {"xavier-uniform", 1.0 * std::sqrt(6.0 / (fo + fi))},
      {"xavier-uniform:1.5", 1.5 * std::sqrt(6.0 / (fo + fi))},
      {"he-uniform", 1.0 * std::sqrt(6.0 / fi)},
      {"lecun-uniform", 1.0 * std::sqrt(3.0 / fi)},
      {"torch-linear", 1.0 / std::sqrt(fi)},
  };
  for (const auto& c : cases) {
    const std::vector<double> v = draw(c.scheme, rows, cols, 6);
    for (std::size_t k = 0; k < u.size(); ++k)
      EXPECT_TRUE(bit_equal(v[k], c.scale * u[k])) << c.scheme << " entry " << k;
  }
  // Bias schemes scale their own unit draws the same way.
  const NetworkShape shape{cols, rows, 1};
  std::vector<double> unit(rows), scaled(rows), torch(rows);
  const DrawKey key{kSeed, 6};
  init_layer_biases(BiasInit{BiasScheme::uniform, 1.0}, shape, 1, key, unit.data());
  init_layer_biases(BiasInit{BiasScheme::uniform, 0.4}, shape, 1, key, scaled.data());
  init_layer_biases(BiasInit{BiasScheme::torch_linear, 0.0}, shape, 1, key, torch.data());
  for (int i = 0; i < rows; ++i) {
    EXPECT_TRUE(bit_equal(scaled[i], 0.4 * unit[i]));
    EXPECT_TRUE(bit_equal(torch[i], (1.0 / std::sqrt(fi)) * unit[i]));
  }
}

// symmetric_unit is ((2m+1) - 2^52) / 2^52 for a 52-bit m: strictly inside (-1, 1), an odd
// multiple of 2^-52 (so exact in double and in no need of rounding), and the same every call.
TEST(PhiloxDraws, SymmetricUnitIsAnExactOddMultipleOfTwoToMinus52InsideMinusOneOne) {
  double lo = 1.0, hi = -1.0, sum = 0.0;
  const int count = 200000;
  for (int e = 0; e < count; ++e) {
    const DrawSite site{3, DrawStream::weights, static_cast<std::uint32_t>(e)};
    const double u = symmetric_unit(DrawKey{kSeed, 1}, site);
    ASSERT_GT(u, -1.0);
    ASSERT_LT(u, 1.0);
    const double scaled = u * 0x1p52;  // exact: a power-of-two scaling
    ASSERT_EQ(scaled, std::trunc(scaled));
    ASSERT_EQ(std::fabs(std::fmod(scaled, 2.0)), 1.0) << "not an odd multiple of 2^-52";
    ASSERT_TRUE(bit_equal(u, symmetric_unit(DrawKey{kSeed, 1}, site)));
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    sum += u;
  }
  EXPECT_LT(lo, -0.9999);
  EXPECT_GT(hi, 0.9999);
  EXPECT_NEAR(sum / count, 0.0, 4.0 * std::sqrt(1.0 / 3.0 / count));
}

TEST(PhiloxDraws, StandardNormalIsFiniteAndReproducible) {
  for (std::uint32_t e = 0; e < 100000; ++e) {
    const DrawSite site{1, DrawStream::biases, e};
    const double z = standard_normal(DrawKey{kSeed, 2}, site);
    ASSERT_TRUE(std::isfinite(z));
    ASSERT_TRUE(bit_equal(z, standard_normal(DrawKey{kSeed, 2}, site)));
  }
}

}  // namespace
}  // namespace symbreak
