#include "io/run_h5_dimensions.hpp"

#include <string>
#include <vector>

#include "io/h5_handles.hpp"
#include "poreflux/h5_layout.hpp"

namespace poreflux {
namespace {

using namespace h5layout;

// Makes `group`/`name` a scale called `name` (netCDF's convention: the dimension has the name
// of its coordinate variable) and returns it.
h5::Dataset scale(const h5::Group& group, const std::string& name) {
  h5::Dataset ds = group.open_dataset(name);
  ds.make_scale(name);
  return ds;
}

// dims[d] indexes dimension d of `group`/`name`.
void attach(const h5::Group& group, const std::string& name, const std::vector<const h5::Dataset*>& dims) {
  h5::Dataset ds = group.open_dataset(name);
  for (unsigned d = 0; d < dims.size(); ++d) ds.attach_scale(*dims[d], d);
}

// A table of columns (film/, grid/materials/, parameters/): every other 1-D dataset of the
// group is indexed by the scale `index`.
void attach_columns(const h5::Group& group, const std::string& index) {
  const h5::Dataset rows = scale(group, index);
  for (const std::string& name : group.children())
    if (name != index && group.is_dataset(name)) attach(group, name, {&rows});
}

void grid_dimensions(const h5::Group& grid) {
  const std::string y = grid.exists("y_rad") ? "y_rad" : "y_um";  // axisymmetric: the wedge angle
  const std::string dy = grid.exists("dy_rad") ? "dy_rad" : "dy_um";
  const h5::Dataset x_um = scale(grid, "x_um"), y_c = scale(grid, y), z_um = scale(grid, "z_um");
  attach(grid, "dx_um", {&x_um});
  attach(grid, dy, {&y_c});
  attach(grid, "dz_um", {&z_um});
  attach(grid, "layer_of_z", {&z_um});
  const h5::Dataset layer = scale(grid, "layer");
  attach(grid, "layer_names", {&layer});
  for (const char* field : {"material_map", "initial_concentration"})
    if (grid.exists(field)) attach(grid, field, {&z_um, &y_c, &x_um});
  attach_columns(grid.open_group("materials"), "material");
}

void slice_dimensions(const h5::Group& slices) {
  const h5::Dataset time = scale(slices, kTime);
  const h5::Dataset x = scale(slices, "x_um"), y = scale(slices, "y_um"), z = scale(slices, "z_um");
  const h5::Dataset depth = scale(slices, "top_view_depth_um");
  const h5::Dataset surface = scale(slices, "channel_map_depth_um");
  attach(slices, "xz_concentration", {&time, &z, &x});
  attach(slices, "top_view_concentration", {&time, &depth, &y, &x});
  attach(slices, "channel_map", {&surface, &y, &x});
}

void scenario_dimensions(const h5::Group& g) {
  const h5::Dataset time = scale(g, kTime);
  // Each subgroup indexed by time holds its own copy of time_h (write_run_h5.cpp), so that it
  // opens alone in xarray with coordinate values; its datasets are attached to that copy.
  for (const char* series : {kAmounts, kFractions}) attach_columns(g.open_group(series), kTime);
  for (const char* name : {"supplied", "permeated", "flux", "mass_balance_error", "film_volume"})
    attach(g, name, {&time});
  const h5::Group profiles = g.open_group(kProfiles);
  const h5::Dataset profile_time = scale(profiles, kTime);
  const h5::Dataset depth = scale(profiles, "depth_um");
  attach(profiles, "concentration", {&profile_time, &depth});
  grid_dimensions(g.open_group(kGrid));
  attach_columns(g.open_group(kFilm), "application");
  if (g.exists(kSlices)) slice_dimensions(g.open_group(kSlices));
}

}  // namespace

void attach_dimension_scales(h5::Group& root) {
  if (root.exists("parameters") && root.open_group("parameters").exists("parameter"))
    attach_columns(root.open_group("parameters"), "parameter");
  // The warnings are their own coordinate: a list of strings indexed by nothing else.
  if (root.exists("warnings")) scale(root, "warnings");
  const h5::Group scenarios = root.open_group(kScenarios);
  for (const std::string& name : scenarios.children()) scenario_dimensions(scenarios.open_group(name));
}

}  // namespace poreflux
