#include "io/export_csv.hpp"

#include <algorithm>
#include <stdexcept>

#include "io/csv_table.hpp"
#include "io/h5_handles.hpp"
#include "poreflux/h5_layout.hpp"
#include "poreflux/outputs.hpp"
#include "poreflux/results.hpp"

namespace poreflux {
namespace {

using namespace h5layout;

std::string units_of(const h5::Dataset& ds) { return ds.has_attr("units") ? ds.read_attr_string("units") : ""; }

// A numeric 1-D column, headed `name [its units]`.
void add_dataset(CsvTable& table, const h5::Group& g, const std::string& path, const std::string& name) {
  const h5::Dataset ds = g.open_dataset(path);
  if (ds.number_type().kind == 's') table.add_strings(csv_header(name, units_of(ds)), ds.read_strings());
  else table.add_numbers(csv_header(name, units_of(ds)), ds.read_doubles());
}

// The children of a compartment group in compartment_names() order, then any others by name
// (a file from a later version may have more), so the columns keep the run's order.
std::vector<std::string> compartments_in(const h5::Group& g) {
  std::vector<std::string> names;
  for (const std::string& c : compartment_names())
    if (g.exists(c)) names.push_back(c);
  // time_h is the group's coordinate (the scenario's times, repeated there), not a compartment.
  for (const std::string& c : g.children())
    if (c != kTime && std::find(names.begin(), names.end(), c) == names.end()) names.push_back(c);
  return names;
}

std::string timeseries(const h5::Group& s) {
  CsvTable t;
  add_dataset(t, s, kTime, "time");
  const h5::Group amounts = s.open_group(kAmounts), fractions = s.open_group(kFractions);
  for (const std::string& c : compartments_in(amounts)) add_dataset(t, amounts, c, c);
  for (const std::string& c : compartments_in(fractions)) add_dataset(t, fractions, c, c + "_fraction");
  for (const SeriesOutput& series : series_outputs())
    if (s.exists(series.name)) add_dataset(t, s, series.name, series.name);
  return t.text();
}

// Long format: one row per (time, depth), time slowest, as the [time][depth] dataset is stored.
std::string profiles(const h5::Group& s) {
  const h5::Dataset time = s.open_dataset(kTime);
  const h5::Group p = s.open_group(kProfiles);
  const h5::Dataset depth = p.open_dataset("depth_um"), c = p.open_dataset("concentration");
  const std::vector<double> t = time.read_doubles(), z = depth.read_doubles(), values = c.read_doubles();
  if (values.size() != t.size() * z.size())
    throw std::runtime_error(c.path() + " has " + std::to_string(values.size()) + " values, not time_h x depth_um = " +
                             std::to_string(t.size()) + " x " + std::to_string(z.size()));
  std::vector<double> tt, zz;
  for (double ti : t)
    for (double zi : z) {
      tt.push_back(ti);
      zz.push_back(zi);
    }
  CsvTable table;
  table.add_numbers(csv_header("time", units_of(time)), tt);
  table.add_numbers(csv_header("depth", units_of(depth)), zz);
  table.add_numbers(csv_header("concentration", units_of(c)), values);
  return table.text();
}

// One row: the scenario's summary figures (attributes whose names carry their units), then
// their notes. A figure a file from an earlier version lacks is left out.
std::string summary(const h5::Group& s, const std::string& scenario) {
  const h5::Group g = s.open_group(kSummary);
  CsvTable t;
  t.add_strings("scenario", {scenario});
  for (const ScalarOutput& o : scalar_outputs())
    if (g.has_attr(keyed_name(o))) t.add_numbers(csv_header(o.name, o.unit), {g.read_attr_double(keyed_name(o))});
  for (const ScalarOutput& o : scalar_outputs()) {
    const std::string note = std::string(o.name) + "_note";
    if (o.note && g.has_attr(note)) t.add_strings(note, {g.read_attr_string(note)});
  }
  const h5::Group doses = g.open_group(kFractionOfDose);
  for (const std::string& c : compartment_names())
    if (doses.has_attr(c)) t.add_numbers(csv_header(c + "_fraction_of_dose", "1"), {doses.read_attr_double(c)});
  return t.text();
}

// One row per application; the index first, then the figures by name.
std::string film(const h5::Group& s) {
  const h5::Group g = s.open_group(kFilm);
  CsvTable t;
  if (g.exists("application")) add_dataset(t, g, "application", "application");
  for (const std::string& name : g.children())
    if (name != "application" && g.is_dataset(name)) add_dataset(t, g, name, name);
  return t.text();
}

// One row per derived or given value; each row's unit is in the unit column.
std::string parameters(const h5::Group& run) {
  CsvTable t;
  if (!run.exists(kParameters) || !run.open_group(kParameters).exists("name")) return t.text();
  const h5::Group g = run.open_group(kParameters);
  t.add_strings("name", g.open_dataset("name").read_strings());
  t.add_numbers("value", g.open_dataset("value").read_doubles());
  t.add_strings("unit", g.open_dataset("unit").read_strings());
  t.add_strings("relation", g.open_dataset("relation").read_strings());
  t.add_strings("inputs", g.open_dataset("inputs").read_strings());
  return t.text();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string safe_file_name(const std::string& name) {
  std::string out;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    out += ok ? c : '_';
  }
  if (out.empty() || out.front() == '.') out.insert(out.begin(), '_');
  return out;
}

std::vector<CsvFile> run_csv_files(const h5::Group& run, const std::string& folder) {
  std::vector<CsvFile> files;
  const h5::Group scenarios = run.open_group(kScenarios);
  std::vector<std::string> names = scenarios.children();
  // Run order (the writer's `index` attribute), since HDF5 lists groups by name.
  auto index = [&](const std::string& n) {
    const h5::Group g = scenarios.open_group(n);
    return g.has_attr("index") ? g.read_attr_int("index") : 0;
  };
  std::stable_sort(names.begin(), names.end(),
                   [&](const std::string& a, const std::string& b) { return index(a) < index(b); });
  for (const std::string& name : names) {
    const h5::Group s = scenarios.open_group(name);
    const std::string base = folder + safe_file_name(name);
    files.push_back({base + "_timeseries.csv", "time series of '" + name + "'", timeseries(s)});
    files.push_back({base + "_profiles.csv", "depth profiles of '" + name + "'", profiles(s)});
    files.push_back({base + "_summary.csv", "summary of '" + name + "'", summary(s, name)});
    if (s.exists(kFilm)) files.push_back({base + "_film.csv", "applications of '" + name + "'", film(s)});
  }
  files.push_back({folder + "parameters.csv", "parameters", parameters(run)});
  return files;
}

std::string table_csv(const h5::Group& table) {
  std::vector<std::string> columns;
  if (table.has_attr("columns")) {
    columns = split_lines(table.read_attr_string("columns"));
  } else {
    for (const std::string& name : table.children())
      if (table.is_dataset(name)) columns.push_back(name);
  }
  CsvTable t;
  for (const std::string& name : columns) {
    if (!table.is_dataset(name))
      throw std::runtime_error(table.path() + ": the column '" + name +
                               "' named in the columns attribute is not a dataset");
    add_dataset(t, table, name, name);
  }
  return t.text();
}

}  // namespace poreflux
