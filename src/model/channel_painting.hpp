// Puts channels into a layered grid: adds one channel material per tissue layer it crosses,
// marks the cells whose centre lies inside a channel, and fills them from the film (MODEL §3-4).
#pragma once

#include <vector>

#include "channel_geometry.hpp"
#include "poreflux/problem.hpp"
#include "poreflux/study.hpp"

namespace poreflux::model {

struct ChannelAxis {
  double x_cm, y_cm;  // position of a channel's axis in the grid's lateral coordinates
};

// The layered skeleton with a depth grid cut at the channel bottom and the channel materials
// appended (channel_material[l] is the material of channel cells inside layer l).
DiscreteProblem treated_skeleton(const Study& study, const ChannelGeometry& geometry,
                                 std::vector<int>& channel_material);

// Marks channel cells: a cell is open when its centre lies within radius_at(z) of an axis.
void paint_channels(DiscreteProblem& p, const std::vector<ChannelAxis>& axes, const ChannelGeometry& geometry,
                    const std::vector<int>& channel_material);

// Formulation-filled channels start at the film's activity; the film gives up that volume, so
// dose and film concentration are both conserved. Sets applied_ug. Throws if the film is too
// thin to fill the channels.
void fill_channels_from_film(DiscreteProblem& p, bool formulation_filled);

}  // namespace poreflux::model
