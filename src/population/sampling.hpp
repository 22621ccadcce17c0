// Drawing a virtual population's inputs (docs/STUDIES.md): Latin hypercube or plain random
// sampling of each input's distribution, reproducible from the seed on any machine (the
// generator is std::mt19937_64, whose sequence the C++ standard fixes, and the conversion to
// uniforms and the quantile functions are ours or Boost.Math's, not the library's
// implementation-defined std:: distributions).
#pragma once

#include <cstdint>
#include <vector>

#include "poreflux/sweep.hpp"

namespace poreflux::population {

// The value of `d` at cumulative probability u in (0, 1), within its truncation.
double quantile(const Distribution& d, double u);

// samples[i][j]: subject i's value of input j. latin_hypercube: each input's range of
// probability is cut into n equal strata and every stratum is used exactly once, in an order
// shuffled independently per input.
std::vector<std::vector<double>> draw(const std::vector<Distribution>& inputs, int n, std::uint64_t seed,
                                      bool latin_hypercube);

}  // namespace poreflux::population
