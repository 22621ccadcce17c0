#include "sampling.hpp"

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

namespace poreflux::population {
namespace {

// A uniform in (0, 1), never 0 or 1 (the quantiles are infinite there): the top 53 bits.
double uniform_open(std::mt19937_64& rng) { return (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53; }

// Fisher-Yates with our uniforms (std::shuffle's use of the generator is implementation-defined).
std::vector<int> shuffled(int n, std::mt19937_64& rng) {
  std::vector<int> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  for (int i = n - 1; i > 0; --i) {
    const int j = std::min(i, static_cast<int>(uniform_open(rng) * (i + 1)));
    std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(j)]);
  }
  return order;
}

const boost::math::normal_distribution<double> kStandardNormal(0.0, 1.0);

// Cumulative probability of x without truncation.
double cdf(const Distribution& d, double x) {
  using boost::math::cdf;
  switch (d.kind) {
    case Distribution::Kind::normal:
      if (std::isinf(x)) return x < 0 ? 0.0 : 1.0;
      return cdf(kStandardNormal, (x - d.a) / d.b);
    case Distribution::Kind::lognormal:
      if (x <= 0.0) return 0.0;
      if (std::isinf(x)) return 1.0;
      return cdf(kStandardNormal, std::log(x / d.a) / std::log(d.b));
    case Distribution::Kind::uniform:
      return std::clamp((x - d.a) / (d.b - d.a), 0.0, 1.0);
  }
  return 0.0;
}

}  // namespace

double quantile(const Distribution& d, double u) {
  // Truncation: the probabilities are those within [lower, upper], so every sample lies there.
  const double lo = cdf(d, d.lower), hi = cdf(d, d.upper);
  if (!(hi > lo)) throw std::invalid_argument("the truncation [lower, upper] holds no probability of the distribution");
  const double p = std::clamp(lo + u * (hi - lo), 1e-300, 1.0 - 1e-16);
  double x = 0.0;
  switch (d.kind) {
    case Distribution::Kind::normal:
      x = d.a + d.b * boost::math::quantile(kStandardNormal, p);
      break;
    case Distribution::Kind::lognormal:
      x = d.a * std::pow(d.b, boost::math::quantile(kStandardNormal, p));
      break;
    case Distribution::Kind::uniform:
      x = d.a + (d.b - d.a) * p;
      break;
  }
  return std::clamp(x, d.lower, d.upper);  // rounding at the ends
}

std::vector<std::vector<double>> draw(const std::vector<Distribution>& inputs, int n, std::uint64_t seed,
                                      bool latin_hypercube) {
  std::mt19937_64 rng(seed);
  const std::size_t m = inputs.size();
  std::vector<std::vector<double>> samples(static_cast<std::size_t>(n), std::vector<double>(m));
  for (std::size_t j = 0; j < m; ++j) {
    const std::vector<int> stratum = latin_hypercube ? shuffled(n, rng) : std::vector<int>{};
    for (int i = 0; i < n; ++i) {
      const double u =
          latin_hypercube ? (stratum[static_cast<std::size_t>(i)] + uniform_open(rng)) / n : uniform_open(rng);
      samples[static_cast<std::size_t>(i)][j] = quantile(inputs[j], u);
    }
  }
  return samples;
}

}  // namespace poreflux::population
