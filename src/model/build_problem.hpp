// Study -> DiscreteProblem for each scenario.
#pragma once

#include "poreflux/problem.hpp"
#include "poreflux/study.hpp"

namespace poreflux::model {

// Intact skin: a one-cell-wide column of 1 cm x 1 cm, so cell amounts are per cm².
DiscreteProblem build_intact_problem(const Study& study);

}  // namespace poreflux::model

namespace poreflux::model {

// The treated scenario in the domain the [treatment] asks for.
DiscreteProblem build_treated_problem(const Study& study);

// The domains, callable on their own (tests compare them with each other).
// Unit cell of the lattice; `quarter` uses the mirror symmetry of the cell (exact).
DiscreteProblem build_unit_cell(const Study& study, bool quarter);
// r-z cell of equal area around one channel.
DiscreteProblem build_axisymmetric_cell(const Study& study);
// A rectangular patch with the device's channel pattern.
DiscreteProblem build_patch(const Study& study);

}  // namespace poreflux::model
