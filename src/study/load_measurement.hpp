// A measurement file of the qualification suite (data/measurements/README.md), read by the config
// layer (config/measurement.hpp) with this layer's resolve step (resolve_parameters) given to each
// run's study, as load_study gives it to a study.
#pragma once

#include <string>
#include <vector>

#include "config/measurement.hpp"

namespace poreflux::qualify {

// Reads one measurement file into resolved runs and their endpoints; throws ConfigError naming
// file, line and key. `overrides` are "key.path=value" changes applied to every study of the file
// before it is read (the physics alternatives of `poreflux qualify --set`).
MeasurementCase read_measurement_file(const std::string& path, const std::vector<std::string>& overrides = {});

}  // namespace poreflux::qualify
