#include "ionisation.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace poreflux::parameters {
namespace {

// 1 + sum_k 10^(sum_{i<=k} sign (pH - pKa_i)): the sum over the successive ionised species of
// their abundance relative to the neutral one. `sign` is +1 for acids, -1 for bases.
double ionised_over_neutral_plus_one(std::vector<double> pka, double ph, double sign) {
  if (sign > 0) std::sort(pka.begin(), pka.end());
  else std::sort(pka.begin(), pka.end(), std::greater<double>());
  double exponent = 0.0, total = 1.0;
  for (double value : pka) {
    exponent += sign * (ph - value);
    total += std::pow(10.0, exponent);
  }
  return total;
}

}  // namespace

double non_ionised_fraction(const std::vector<Pka>& pka, double ph) {
  std::vector<double> acids, bases;
  for (const Pka& group : pka) (group.type == PkaType::acid ? acids : bases).push_back(group.value);
  return 1.0 / (ionised_over_neutral_plus_one(acids, ph, +1.0) * ionised_over_neutral_plus_one(bases, ph, -1.0));
}

}  // namespace poreflux::parameters
