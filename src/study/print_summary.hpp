// The human-readable summary printed after a run: the same numbers as the summary JSON.
#pragma once

#include <ostream>

#include "poreflux/results.hpp"
#include "poreflux/study.hpp"

namespace poreflux {

void print_summary(std::ostream& out, const Study& study, const RunResult& run);

}  // namespace poreflux
