// The resolve step between reading a config and discretising it (MODEL.md §5): fills every
// layer's D, K and clearance, and the channel diffusivity, that the config leaves out, from the
// compound by the selected relations; applies calibration factors; records every value with its
// relation and inputs in Study::parameters; collects applicability warnings. A value the config
// gives always wins (and is checked against the derived one).
#pragma once

#include "poreflux/study.hpp"

namespace poreflux {

// Throws ConfigError (naming the layer or [compound]) when a value is needed and cannot be
// derived, e.g. no molecular weight.
void resolve_parameters(Study& study);

// The non-ionised fractions and per-layer derivations a study would use, without running it
// (for `poreflux compounds NAME`): same code path as resolve_parameters.
const char* relation_set_description(const std::string& relations);

}  // namespace poreflux
