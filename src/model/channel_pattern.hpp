// Where a device puts its channels on a rectangular patch (for the "patch" domain):
// a regular lattice, roller tracks with a random phase per pass, or pen stamps with jitter.
// Reproducible: the same spec and seed give the same pattern.
#pragma once

#include <vector>

#include "channel_geometry.hpp"
#include "channel_painting.hpp"
#include "poreflux/study.hpp"

namespace poreflux::model {

std::vector<ChannelAxis> channel_pattern(const TreatmentSpec& treatment, const ChannelGeometry& geometry);

}  // namespace poreflux::model
