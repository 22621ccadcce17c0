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

// One line naming the relations of a set ("potts_guy" | "kasting"), for the printed summary
// and the JSON.
const char* relation_set_description(const std::string& relations);

}  // namespace poreflux
