// Henderson–Hasselbalch for molecules with any number of acidic and basic groups.
//
// Groups of one type are treated as successive (macroscopic) dissociation steps, sorted so
// that the first acid to lose a proton has the lowest pKa and the first base to gain one the
// highest; acid and base groups dissociate independently of each other. For an acid with
// pKa1 < pKa2 the neutral fraction is 1 / (1 + 10^(pH-pKa1) + 10^(2pH-pKa1-pKa2)); for an
// acid + base (a zwitterion-capable molecule such as tranexamic acid) it is
// 1 / ((1 + 10^(pH-pKa_acid)) (1 + 10^(pKa_base-pH))): the zwitterion, though net neutral,
// carries charges and is counted as ionised (it does not partition into the SC lipids).
#pragma once

#include <vector>

#include "poreflux/parameters.hpp"

namespace poreflux::parameters {

// Fraction of the active in the uncharged form at `ph` (1 for a non-ionisable compound).
double non_ionised_fraction(const std::vector<Pka>& pka, double ph);

}  // namespace poreflux::parameters
