// Study -> DiscreteProblem for each scenario.
#pragma once

#include "poreflux/problem.hpp"
#include "poreflux/study.hpp"

namespace poreflux::model {

// Intact skin: a one-cell-wide column of 1 cm x 1 cm, so cell amounts are per cm².
DiscreteProblem build_intact_problem(const Study& study);

}  // namespace poreflux::model
