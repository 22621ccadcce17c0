// The output registry and the HDF5 layout as one JSON document (`poreflux layout --json`), so
// that the Python readers (tools/poreflux_plots.py) take names, units and labels from the
// program instead of keeping their own lists.
#pragma once

#include <string>

namespace poreflux {

inline constexpr const char* kLayoutSchema = "poreflux-layout/1";

std::string layout_json();

}  // namespace poreflux
