#include "io/write_run_h5.hpp"
#include "io/output_paths.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <stdexcept>

#include "io/h5_handles.hpp"
#include "io/run_h5_dimensions.hpp"
#include "poreflux/outputs.hpp"

namespace poreflux {

namespace {

using namespace h5layout;

constexpr double kSecondsPerHour = 3600.0;
constexpr double kMicrometresPerCm = 1.0e4;
const double kNaN = std::numeric_limits<double>::quiet_NaN();

// Every dataset says what unit its numbers are in ("1" = dimensionless) and what they are.
void label(h5::Dataset dataset, const std::string& units, const std::string& description) {
  dataset.attr_string("units", units);
  dataset.attr_string("description", description);
}

// Cell centres from cell widths, starting at 0 (the skin surface, or the cell's first face).
std::vector<double> centres(const std::vector<double>& widths, double factor) {
  std::vector<double> out;
  double edge = 0.0;
  for (double w : widths) {
    out.push_back((edge + 0.5 * w) * factor);
    edge += w;
  }
  return out;
}

std::vector<double> scaled(const std::vector<double>& values, double factor) {
  std::vector<double> out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = values[i] * factor;
  return out;
}

// ---- input checks: done before the file exists, so bad data never leaves a temporary ----

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument("write_run_h5: " + message);
}

void check_length(const std::string& scenario, const std::string& what, std::size_t got, std::size_t want) {
  require(got == want, "scenario '" + scenario + "': " + what + " has " + std::to_string(got) + " values, expected " +
                           std::to_string(want));
}

void check_scenario(const ScenarioResult& s, const DiscreteProblem& problem) {
  // The name becomes an HDF5 link name, where '/' would nest and '.' means the parent.
  require(!s.name.empty() && s.name != "." && s.name.find('/') == std::string::npos,
          "scenario name '" + s.name + "' cannot name an HDF5 group");
  const std::size_t T = s.times_s.size();
  const std::size_t C = compartment_names().size();
  check_length(s.name, "amounts_ug_per_cm2 (compartments)", s.amounts_ug_per_cm2.size(), C);
  for (std::size_t c = 0; c < C; ++c)
    check_length(s.name, "amounts of " + compartment_names()[c], s.amounts_ug_per_cm2[c].size(), T);
  for (const SeriesOutput& series : series_outputs()) check_length(s.name, series.name, series.values(s).size(), T);
  check_length(s.name, "depth_profile_ug_per_cm3 (times)", s.depth_profile_ug_per_cm3.size(), T);
  for (const auto& profile : s.depth_profile_ug_per_cm3)
    check_length(s.name, "a depth profile", profile.size(), s.depth_um.size());
  check_length(s.name, "summary.fraction_of_dose", s.summary.fraction_of_dose.size(), C);
  if (s.slices) {
    check_length(s.name, "slices (x-z frames)", s.slices->xz_ug_per_cm3.size(), T);
    check_length(s.name, "slices (top-view frames)", s.slices->top_view_ug_per_cm3.size(), T);
  }
  check_length(s.name, "material map", problem.material.size(), problem.cell_count());
  check_length(s.name, "layer_of_z", problem.layer_of_z.size(), problem.dz.size());
}

void check_inputs(const RunResult& run, const std::vector<const DiscreteProblem*>& problems) {
  require(problems.size() == run.scenarios.size(),
          std::to_string(run.scenarios.size()) + " scenarios but " + std::to_string(problems.size()) + " problems");
  for (std::size_t i = 0; i < problems.size(); ++i) {
    require(problems[i] != nullptr, "no problem given for scenario '" + run.scenarios[i].name + "'");
    check_scenario(run.scenarios[i], *problems[i]);
  }
}

// ---- the groups of one scenario ----

// The scenario's output times, repeated in each subgroup indexed by them (amounts/, fractions/,
// profiles/, slices/): xarray and netCDF readers take a dimension's coordinate values from the
// group they open, so without this copy `.sel(time_h=24)` on such a group selects row 24.
void write_time_coordinate(h5::Group& group, const ScenarioResult& s) {
  label(group.write_1d(kTime, scaled(s.times_s, 1.0 / kSecondsPerHour)), "h",
        "output time since application (the scenario's time_h, repeated so that this group has its coordinate)");
}

// Arrays under one chunk (1 MiB) are stored uncompressed: deflating the axisymmetric cell's
// slices (~150 kB) saved ~80 kB of file and cost ~2.3 ms of its ~55 ms run (docs/BENCHMARKS.md,
// "The axisymmetric process under 50 ms"); a patch's slices and maps are compressed as before.
constexpr std::size_t kDeflateFromBytes = std::size_t{1} << 20;

// Concentration pictures around a channel: float32, chunked and compressed (patches are big).
void write_slices(h5::Group& g, const ScenarioResult& scenario, const ChannelSlices& s) {
  h5::Group sl = g.create_group(kSlices);
  sl.attr_int("row_j", s.row_j);
  write_time_coordinate(sl, scenario);
  label(sl.write_1d("x_um", s.x_um), "um", "cell centres along x (the radius in an axisymmetric cell)");
  label(sl.write_1d("y_um", s.y_um), "um", "cell centres along y");
  label(sl.write_1d("z_um", s.z_um), "um", "cell centres along depth");
  label(sl.write_1d("top_view_depth_um", s.top_view_depth_um), "um", "depths of the top views (cell centres)");
  const std::size_t T = s.xz_ug_per_cm3.size(), nx = s.x_um.size(), ny = s.y_um.size(), nz = s.z_um.size();
  const std::size_t D = s.top_view_depth_um.size();
  h5::Storage packed;
  packed.float32 = true;
  packed.deflate = 4;
  packed.deflate_from_bytes = kDeflateFromBytes;
  std::vector<double> buffer;
  buffer.reserve(T * nz * nx);
  for (const auto& frame : s.xz_ug_per_cm3) buffer.insert(buffer.end(), frame.begin(), frame.end());
  h5::Dataset xz = sl.write_doubles("xz_concentration", buffer.data(), {T, nz, nx}, packed);
  xz.attr_string("axes", "time, z, x");
  label(std::move(xz), "ug/cm3", "concentration C in the x-z plane through the channel row row_j, per output time");
  buffer.clear();
  for (const auto& frame : s.top_view_ug_per_cm3) buffer.insert(buffer.end(), frame.begin(), frame.end());
  h5::Dataset top = sl.write_doubles("top_view_concentration", buffer.data(), {T, D, ny, nx}, packed);
  top.attr_string("axes", "time, depth, y, x");
  label(std::move(top), "ug/cm3", "concentration C in horizontal planes at top_view_depth_um, per output time");
  h5::Dataset map = sl.write_uint8_3d("channel_map", s.channel_map.data(), 1, ny, nx);
  map.attr_string("axes", "1, y, x");
  label(std::move(map), "1", "1 where a channel opens at the surface (t = 0), else 0");
  // The coordinate of channel_map's first axis (so that no reader has to invent one).
  label(sl.write_1d("channel_map_depth_um", {0.0}), "um", "depth of channel_map: the skin surface");
}

void write_series(h5::Group& g, const ScenarioResult& s, double applied_ug_per_cm2) {
  label(g.write_1d(kTime, scaled(s.times_s, 1.0 / kSecondsPerHour)), "h", "output time since application");
  h5::Group amounts = g.create_group(kAmounts);
  h5::Group fractions = g.create_group(kFractions);
  write_time_coordinate(amounts, s);
  write_time_coordinate(fractions, s);
  // A zero dose has no fractions; NaN says so instead of dividing by zero.
  const double per_dose = applied_ug_per_cm2 > 0.0 ? 1.0 / applied_ug_per_cm2 : kNaN;
  for (std::size_t c = 0; c < compartment_names().size(); ++c) {
    const std::string& name = compartment_names()[c];
    const std::vector<double>& amount = s.amounts_ug_per_cm2[c];
    label(amounts.write_1d(name, amount), "ug/cm2", "amount in " + name + " per skin area");
    label(fractions.write_1d(name, scaled(amount, per_dose)), "1", "amount in " + name + " / applied dose");
  }
  for (const SeriesOutput& series : series_outputs())
    label(g.write_1d(series.name, series.values(s)), series.unit, series.description);
}

// The film's figures per application (MODEL.md §3); NaN where a figure does not apply.
void write_film(h5::Group& g, const ScenarioResult& s) {
  h5::Group film = g.create_group(kFilm);
  film.attr_string("description", "one row per application of the formulation");
  std::vector<double> at, dose, dry, partial, evaporated, saturation, saturated, deposit;
  for (const FilmApplicationSummary& a : s.applications) {
    at.push_back(a.applied_at_h);
    dose.push_back(a.dose_ug_per_cm2);
    dry.push_back(a.dry_after_h.value_or(kNaN));
    partial.push_back(a.sc_partial_after_h.value_or(kNaN));
    evaporated.push_back(a.vehicle_evaporated_fraction);
    saturation.push_back(a.max_degree_of_saturation.value_or(kNaN));
    saturated.push_back(a.saturated_after_h.value_or(kNaN));
    deposit.push_back(a.max_deposit_ug_per_cm2);
  }
  label(film.write_1d("applied_at_h", at), "h", "time of the application");
  label(film.write_1d("dose", dose), "ug/cm2", "active applied");
  label(film.write_1d("dry_after_h", dry), "h",
        "time from the application until the film was dry: 99 % of the volatile liquid it loses gone (NaN: stayed "
        "liquid)");
  label(film.write_1d("sc_partially_hydrated_after_h", partial), "h",
        "time from the application until the stratum corneum was partially hydrated ([skin] hydration; NaN: stayed "
        "hydrated)");
  label(film.write_1d("vehicle_evaporated_fraction", evaporated), "1",
        "of the film volume after the application, evaporated before the next");
  label(film.write_1d("max_degree_of_saturation", saturation), "1",
        "largest dissolved concentration / solubility (NaN: solubility unknown)");
  label(film.write_1d("saturated_after_h", saturated), "h",
        "time from the application until a deposit first formed (NaN: never)");
  label(film.write_1d("max_deposit", deposit), "ug/cm2", "largest undissolved amount on the skin");
  film.attr_double("total_dose_ug_per_cm2", s.total_dose_ug_per_cm2);
  label(film.write_index("application", at.size()), "1", "application number, 0 = the first (the rows of film/)");
}

void write_profiles(h5::Group& g, const ScenarioResult& s) {
  h5::Group profiles = g.create_group(kProfiles);
  write_time_coordinate(profiles, s);
  label(profiles.write_1d("depth_um", s.depth_um), "um", "depth of the z cell centres below the skin surface");
  std::vector<double> flat;
  flat.reserve(s.depth_profile_ug_per_cm3.size() * s.depth_um.size());
  for (const auto& profile : s.depth_profile_ug_per_cm3) flat.insert(flat.end(), profile.begin(), profile.end());
  h5::Dataset c = profiles.write_2d("concentration", flat.data(), s.depth_profile_ug_per_cm3.size(), s.depth_um.size());
  c.attr_string("axes", "time_h, depth_um");
  label(std::move(c), "ug/cm3", "laterally averaged concentration at each output time and depth");
}

void write_materials(h5::Group& grid, const std::vector<Material>& materials) {
  h5::Group g = grid.create_group("materials");
  std::vector<std::string> names;
  std::vector<double> D, K, kdeg, kclr;
  std::vector<std::int64_t> closes_into;
  for (const Material& m : materials) {
    names.push_back(m.name);
    D.push_back(m.diffusivity_cm2_s);
    K.push_back(m.partition);
    kdeg.push_back(m.degradation_per_s);
    kclr.push_back(m.clearance_per_s);
    closes_into.push_back(m.closes_into);
  }
  label(g.write_strings("name", names), "1", "material name, indexed by the values of material_map");
  label(g.write_1d("diffusivity_cm2_s", D), "cm2/s", "diffusivity D");
  label(g.write_1d("partition", K), "1", "partition coefficient K relative to the vehicle");
  label(g.write_1d("degradation_per_s", kdeg), "1/s", "first-order degradation rate");
  label(g.write_1d("clearance_per_s", kclr), "1/s", "first-order clearance rate");
  label(g.write_int64_1d("closes_into", closes_into), "1",
        "channel material: index of the tissue it relaxes into; -1 = not a channel");
  label(g.write_index("material", materials.size()), "1", "material index: the values of material_map");
}

void write_grid(h5::Group& g, const DiscreteProblem& p) {
  h5::Group grid = g.create_group(kGrid);
  const bool axisymmetric = p.geometry == Geometry::axisymmetric;
  grid.attr_string("geometry", axisymmetric ? "axisymmetric" : "cartesian");
  label(grid.write_1d("dx_um", scaled(p.dx, kMicrometresPerCm)), "um",
        axisymmetric ? "radial cell widths from the channel axis" : "cell widths along x");
  // The name carries the unit, so the axisymmetric wedge angle is not called dy_um.
  if (axisymmetric)
    label(grid.write_1d("dy_rad", p.dy), "rad", "wedge angle of the axisymmetric grid (2 pi = full circle)");
  else label(grid.write_1d("dy_um", scaled(p.dy, kMicrometresPerCm)), "um", "cell widths along y");
  label(grid.write_1d("dz_um", scaled(p.dz, kMicrometresPerCm)), "um", "cell widths along z, from the surface");
  // Cell centres: the coordinates of the grid's axes (dimension scales, XDMF geometry).
  label(grid.write_1d("x_um", centres(p.dx, kMicrometresPerCm)), "um",
        axisymmetric ? "cell centres: distance from the channel axis" : "cell centres along x");
  if (axisymmetric) label(grid.write_1d("y_rad", centres(p.dy, 1.0)), "rad", "cell centres of the wedge angle");
  else label(grid.write_1d("y_um", centres(p.dy, kMicrometresPerCm)), "um", "cell centres along y");
  label(grid.write_1d("z_um", centres(p.dz, kMicrometresPerCm)), "um", "cell centres: depth below the surface");
  std::vector<std::int64_t> layer_of_z(p.layer_of_z.begin(), p.layer_of_z.end());
  label(grid.write_int64_1d("layer_of_z", layer_of_z), "1", "index into layer_names of each z plane");
  label(grid.write_strings("layer_names", p.layer_names), "1", "tissue layers, top to bottom");
  label(grid.write_index("layer", p.layer_names.size()), "1", "layer index: the values of layer_of_z");
  // Same memory order as DiscreteProblem::material (i fastest), so [k][j][i] needs no copy.
  h5::Storage compressed;
  compressed.deflate = 4;
  compressed.deflate_from_bytes = kDeflateFromBytes;
  h5::Dataset map =
      grid.write_uint8_3d("material_map", p.material.data(), p.dz.size(), p.dy.size(), p.dx.size(), compressed);
  map.attr_string("axes", "z, y, x");
  label(std::move(map), "1", "material index of each cell, see materials/");
  write_materials(grid, p.materials);
  // What else defines the discrete problem, so that another solver can rebuild it from this file
  // (bench/compare_python.py does): boundaries, the film, closure and the initial state.
  grid.attr_string("periodic_x", p.periodic_x ? "true" : "false");
  grid.attr_string("periodic_y", p.periodic_y ? "true" : "false");
  grid.attr_string("bottom", p.sink_bottom ? "sink (C = 0, in vitro receptor)" : "no flux");
  grid.attr_string("dose", p.infinite_dose ? "infinite" : "finite");
  grid.attr_double("top_area_cm2", p.top_area_cm2());
  grid.attr_double("film_thickness_um", p.film_thickness_cm * kMicrometresPerCm);
  grid.attr_double("vehicle_concentration_ug_per_cm3", p.vehicle_concentration);
  grid.attr_double("vehicle_degradation_per_s", p.vehicle_degradation_per_s);
  grid.attr_double("applied_ug", p.applied_ug);
  grid.attr_double("closure_time_constant_s", p.closure_tau_s);  // inf: never closes
  if (!p.initial_concentration.empty())
    label(grid.write_3d("initial_concentration", p.initial_concentration.data(), p.dz.size(), p.dy.size(), p.dx.size(),
                        compressed),
          "ug/cm3", "concentration at t = 0 (channels filled with formulation), axes z, y, x");
}

// The scalar outputs as attributes named with their units (keyed_name), each note beside its value.
void write_summary(h5::Group& g, const ScenarioResult& scenario) {
  const ScenarioSummary& s = scenario.summary;
  h5::Group summary = g.create_group(kSummary);
  for (const ScalarOutput& o : scalar_outputs()) {
    summary.attr_double(keyed_name(o), o.value(scenario));
    if (o.note) summary.attr_string(std::string(o.name) + "_note", o.note(scenario));
  }
  h5::Group fractions = summary.create_group(kFractionOfDose);
  for (std::size_t c = 0; c < compartment_names().size(); ++c)
    fractions.attr_double(compartment_names()[c], s.fraction_of_dose[c]);
  // The OECD TG 428 / SCCS categories at the end, in ug/cm2 (attribute names carry the unit).
  h5::Group categories = summary.create_group(kOecdCategories);
  categories.attr_string("description",
                         "amounts at the end of the run by the OECD TG 428 / SCCS categories (MODEL.md §6)");
  for (std::size_t c = 0; c < oecd_categories().size() && c < s.oecd_ug_per_cm2.size(); ++c)
    categories.attr_double(std::string(oecd_categories()[c].name) + "_ug_per_cm2", s.oecd_ug_per_cm2[c]);
}

void write_solver(h5::Group& g, const SolverStats& s) {
  h5::Group solver = g.create_group(kSolver);
  solver.attr_string("method", s.method_name);
  solver.attr_string("method_description", s.method);
  solver.attr_string("method_choice", s.method_choice);
  solver.attr_string("linear_solver", s.linear_solver);
  solver.attr_int("operator_products", s.operator_products);
  solver.attr_int("linear_solves", s.linear_solves);
  solver.attr_int("linear_iterations", s.linear_iterations);
  solver.attr_int("factorizations", s.factorizations);
  solver.attr_double("spectral_radius_per_s", s.spectral_radius_per_s);
  solver.attr_int("steps", s.steps);
  solver.attr_int("rejected_steps", s.rejected_steps);
  solver.attr_int("rhs_evaluations", s.rhs_evaluations);
  solver.attr_int("max_stages", s.max_stages);
  solver.attr_int("cells", static_cast<std::int64_t>(s.cells));
  solver.attr_double("wall_s", s.wall_s);
}

// Every derived or checked value as a table of columns (one row per value), and the warnings.
void write_parameters(h5::Group& root, const Study& study) {
  h5::Group g = root.create_group(kParameters);
  g.attr_string("relations", study.parameter_model.relations);
  g.attr_string("site", study.parameter_model.site);
  g.attr_string("description", "one row per derived or given value; docs/PARAMETERS.md");
  std::vector<std::string> names, units, relations, inputs;
  std::vector<double> values;
  for (const DerivedParameter& p : study.parameters) {
    names.push_back(p.name);
    values.push_back(p.value);
    units.push_back(p.unit);
    relations.push_back(p.relation);
    std::string text;
    for (const DerivationInput& in : p.inputs) {
      char number[32];
      std::snprintf(number, sizeof number, "%.6g", in.value);
      text += (text.empty() ? "" : "; ") + in.name + " = " + number + (in.unit == "1" ? "" : " " + in.unit);
    }
    inputs.push_back(text);
  }
  if (!names.empty()) {
    label(g.write_strings("name", names), "1", "parameter name");
    label(g.write_1d("value", values), "see unit", "value, in the unit of the same row");
    label(g.write_strings("unit", units), "1", "unit of each value");
    label(g.write_strings("relation", relations), "1", "relation that produced it, or config");
    label(g.write_strings("inputs", inputs), "1", "inputs of the relation with their units");
    label(g.write_index("parameter", names.size()), "1", "row number of the parameter table");
  }
  std::vector<std::string> warnings;
  for (const StudyWarning& w : study.warnings) warnings.push_back(w.code + ": " + w.message);
  if (!warnings.empty()) label(root.write_strings("warnings", warnings), "1", "applicability warnings");
}

void write_root(h5::Group& root, const Study& study, const RunResult& run, const std::string& version) {
  root.attr_string("schema", kH5Schema);
  root.attr_string("poreflux_version", version);
  root.attr_string("backend", run.backend);
  root.attr_string("backend_description", run.backend_description);
  root.attr_double("applied_ug_per_cm2", run.applied_ug_per_cm2);
  root.attr_double("duration_h", run.duration_h);
  root.attr_string("title", study.title);
  root.attr_string("compound", study.compound.name);
  h5::Group config = root.create_group(kConfig);
  config.attr_string("source_file", study.source_file);
  label(config.write_string("resolved_toml", study.resolved_toml), "1",
        "the configuration as resolved, defaults filled in");
  write_parameters(root, study);
}

// Makes the bytes durable before the rename publishes them; otherwise a crash could leave
// the new name pointing at a file whose data never reached the disk.
void sync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0 || ::fsync(fd) != 0) {
    const std::string why = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot sync '" + path + "' to disk: " + why);
  }
  ::close(fd);
}

}  // namespace

void write_h5_atomically(const std::string& path, const H5Fill& fill) {
  const std::string temporary = temporary_path_for(path);
  register_temporary(temporary);  // a second Ctrl-C removes it (output_paths.hpp)
  try {
    h5::File file = h5::File::create(temporary);
    if (fill) fill(file.root());
    file.close();
    sync_file(temporary);
    std::filesystem::rename(temporary, path);
    release_temporary();
  } catch (...) {
    // The file (a local of the try block) is closed by now, so the temporary can go.
    release_temporary();
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw;
  }
}

void write_run_h5(const std::string& path, const Study& study, const RunResult& run,
                  const std::vector<const DiscreteProblem*>& problems, const std::string& poreflux_version,
                  const H5Fill& extra) {
  check_inputs(run, problems);
  write_h5_atomically(path, [&](h5::Group& root) {
    write_root(root, study, run, poreflux_version);
    h5::Group scenarios = root.create_group(kScenarios);
    for (std::size_t i = 0; i < run.scenarios.size(); ++i) {
      const ScenarioResult& s = run.scenarios[i];
      h5::Group g = scenarios.create_group(s.name);
      g.attr_int("index", static_cast<std::int64_t>(i));  // groups list by name; this keeps run order
      write_series(g, s, run.applied_ug_per_cm2);
      write_profiles(g, s);
      write_grid(g, *problems[i]);
      write_summary(g, s);
      write_film(g, s);
      write_solver(g, s.solver);
      if (s.slices) write_slices(g, s, *s.slices);
    }
    attach_dimension_scales(root);
    if (extra) extra(root);
  });
}

}  // namespace poreflux
