// The study as the engine will run it, written back as config TOML: every default filled
// in, every quantity in internal units. Stored in the output file so that a result always
// says exactly what produced it; it reads back to the same Study.
#pragma once

#include <string>

#include "poreflux/study.hpp"

namespace poreflux::config {

std::string render_resolved_toml(const Study& study);

}  // namespace poreflux::config
