// The dimensions of the run file (layout "poreflux-h5/1"), as HDF5 dimension scales: every 1-D
// axis (time_h, depth_um, the grid's and the slices' cell centres, the index datasets) is made a
// scale named after itself and attached to every dataset dimension it indexes. xarray (engine
// h5netcdf), netCDF-4 readers and Panoply then show named dimensions, e.g.
//   xr.open_dataset(f, engine="h5netcdf", group="scenarios/treated/profiles")
// has concentration(time_h, depth_um), instead of phony_dim_0 and phony_dim_1. Every group holds
// the coordinates of all its datasets' dimensions (time_h is repeated in amounts/, fractions/,
// profiles/ and slices/): a reader that opens one group sees only its variables, and xarray's
// `.sel(time_h=24)` on a dimension without coordinate values would select row 24, not 24 h.
#pragma once

namespace poreflux {

namespace h5 {
class Group;
}

// Called on a file's root once every dataset is written. The scales must already exist (the
// writer writes them); a missing one, or one whose length differs from its dimension, throws.
void attach_dimension_scales(h5::Group& root);

}  // namespace poreflux
