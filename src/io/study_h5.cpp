#include "io/study_h5.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "io/atomic_text_file.hpp"
#include "io/csv_table.hpp"
#include "io/h5_copy.hpp"
#include "io/h5_handles.hpp"
#include "io/write_run_h5.hpp"
#include "population/population_summary.hpp"
#include "poreflux/outputs.hpp"
#include "poreflux/results.hpp"

namespace poreflux {
namespace {

using namespace h5layout;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : separator) + item;
  return text;
}

// The scenarios a case holds, in run order.
std::vector<std::string> scenario_names(const h5::Group& run) {
  if (!run.exists(kScenarios)) return {};
  const h5::Group scenarios = run.open_group(kScenarios);
  std::vector<std::string> names = h5::member_names(scenarios);
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return (a == "intact" ? 0 : 1) < (b == "intact" ? 0 : 1) || ((a == "intact") == (b == "intact") && a < b);
  });
  return names;
}

// Summary figures of one scenario, as the run file keeps them.
struct ScenarioFigures {
  std::vector<double> outputs;                            // by scalar_outputs(); NaN where the file has none
  std::vector<double> fractions;                          // by compartment_names()
  std::map<std::string, std::vector<double>> fraction_t;  // by compartment, over time
  ScenarioTrajectory trajectory;                          // the outputs sampled over time
  double output(const std::string& name) const {
    for (std::size_t k = 0; k < scalar_outputs().size(); ++k)
      if (scalar_outputs()[k].name == name) return outputs[k];
    return kNaN;
  }
};

// A category's share of the dose over time: the sum of its compartments' fractions.
std::vector<double> category_series(const ScenarioFigures& f, const char* category) {
  std::vector<double> sum(f.trajectory.time_h.size(), 0.0);
  for (const ReportedCategory& c : oecd_categories()) {
    if (std::string(c.name) != category) continue;
    for (const char* name : c.compartments) {
      const std::vector<double>& v = f.fraction_t.at(name);
      for (std::size_t t = 0; t < v.size() && t < sum.size(); ++t) sum[t] += v[t];
    }
  }
  return sum;
}

ScenarioFigures read_scenario(const h5::Group& scenario) {
  ScenarioFigures f;
  const h5::Group summary = scenario.open_group(kSummary);
  for (const ScalarOutput& o : scalar_outputs())
    f.outputs.push_back(summary.has_attr(keyed_name(o)) ? summary.read_attr_double(keyed_name(o)) : kNaN);
  const h5::Group fractions = summary.open_group(kFractionOfDose);
  for (const std::string& name : compartment_names()) f.fractions.push_back(fractions.read_attr_double(name));
  f.trajectory.time_h = scenario.read_1d(kTime);
  const h5::Group series = scenario.open_group(kFractions);
  for (const std::string& name : compartment_names()) f.fraction_t[name] = series.read_1d(name);
  // MODEL.md §6: the outputs sampled over time, their OECD categories as results.hpp sums them.
  for (const OutputReporting& r : output_reporting())
    if (r.category) f.trajectory.series[r.output] = category_series(f, r.category);
  return f;
}

double ratio(double treated, double intact) { return intact > 0.0 ? treated / intact : kNaN; }

class TableBuilder {
 public:
  TableColumn& text(const std::string& name, const std::string& description) {
    return add(name, "1", description, true);
  }
  TableColumn& number(const std::string& name, const std::string& units, const std::string& description) {
    return add(name, units, description, false);
  }
  StudyTable table;

 private:
  TableColumn& add(const std::string& name, const std::string& units, const std::string& description, bool text) {
    for (TableColumn& c : table.columns)
      if (c.name == name) return c;
    table.columns.push_back({name, units, description, text, {}, {}});
    return table.columns.back();
  }
};

// ---- the table: one row per case x scenario, in named column groups ----

struct TableRow {
  const PlanCase& c;
  const std::string& scenario;
  const ScenarioFigures& x;
  const ScenarioFigures* intact;  // the same case's intact scenario, if any
  double applied;
  std::size_t sharing;  // cases sharing c's baseline
};

void add_case_columns(TableBuilder& b, const StudyPlan& plan, const TableRow& r) {
  b.text("case", "case id (its group under /cases)").texts.push_back(r.c.id);
  // An intact row whose baseline other cases share (a needle sweep) is that baseline, not the
  // case: its label says so instead of repeating the case's treatment values.
  b.text("label", "the case's values (intact rows of a shared baseline: \"intact baseline (shared by N cases)\")")
      .texts.push_back(r.scenario == "intact" && r.sharing > 1
                           ? "intact baseline (shared by " + std::to_string(r.sharing) + " cases)"
                           : r.c.label);
  b.text("scenario", "intact skin, or treated (microneedle channels)").texts.push_back(r.scenario);
  for (std::size_t k = 0; k < plan.columns.size(); ++k) {
    const PlanColumn& col = plan.columns[k];
    const std::string desc = col.description.empty() ? "set by the plan" : col.description;
    if (col.numeric) b.number(col.key, col.unit.empty() ? "1" : col.unit, desc).numbers.push_back(r.c.values[k].number);
    else b.text(col.key, desc).texts.push_back(r.c.values[k].text);
  }
  b.number("applied", "ug/cm2", "active applied per skin area (every application)").numbers.push_back(r.applied);
}

// The registry's figures (poreflux/outputs.hpp); the treated / intact ratios after the results
// and before the checks.
void add_output_columns(TableBuilder& b, const TableRow& r) {
  const auto outputs_of_kind = [&](bool checks) {
    for (std::size_t k = 0; k < scalar_outputs().size(); ++k) {
      const ScalarOutput& o = scalar_outputs()[k];
      if ((o.kind == OutputKind::check) != checks) continue;
      b.number(table_name(o), o.unit, o.description).numbers.push_back(r.x.outputs[k]);
    }
  };
  outputs_of_kind(false);
  for (const OutputReporting& e : output_reporting()) {
    if (!e.enhancement_key || !e.enhancement_in_table) continue;
    b.number(enhancement_name(e), "1", std::string(e.words) + " treated / intact of the same case (1 for intact)")
        .numbers.push_back(r.intact ? ratio(r.x.output(e.output), r.intact->output(e.output)) : kNaN);
  }
  outputs_of_kind(true);
  for (std::size_t k = 0; k < compartment_names().size(); ++k)
    b.number("fraction_" + compartment_names()[k], "1", "amount in " + compartment_names()[k] + " at the end / dose")
        .numbers.push_back(r.x.fractions[k]);
}

// Columns at the plan's report times (an output time of every case, as the plan checks).
void add_report_time_columns(TableBuilder& b, const StudyPlan& plan, const TableRow& r) {
  const ScenarioTrajectory& x = r.x.trajectory;
  for (double ts : plan.report_times_s) {
    const std::size_t k = nearest_output(x.time_h, ts);
    const std::string hours = hours_text(ts / 3600.0);
    const std::string at = at_time_suffix(hours);
    const std::string when = " at " + hours;
    const ScenarioTrajectory* intact = r.intact ? &r.intact->trajectory : nullptr;
    for (const OutputReporting& o : output_reporting()) {
      if (!o.category) continue;
      const std::vector<double>& value = x.series.at(o.output);
      b.number(o.output + at, "1", std::string(o.words) + " / dose" + when).numbers.push_back(value[k]);
      if (!o.enhancement_key || !o.enhancement_at_report_times) continue;
      const std::vector<double>* base = intact ? &intact->series.at(o.output) : nullptr;
      b.number(enhancement_name(o) + at, "1", std::string(o.words) + " treated / intact" + when)
          .numbers.push_back(base && k < base->size() ? ratio(value[k], (*base)[k]) : kNaN);
    }
    for (const ReportTimeCompartment& c : report_time_compartments())
      b.number(std::string("fraction_") + c.name + at, "1", std::string("amount in ") + c.name + " / dose" + when)
          .numbers.push_back(r.x.fraction_t.at(c.name)[k]);
  }
}

void write_table(h5::Group& root, const StudyTable& table) {
  h5::Group g = root.create_group(kTable);
  std::vector<std::string> names;
  for (const TableColumn& c : table.columns) names.push_back(c.name);
  g.attr_string("columns", join(names, "\n"));
  g.attr_string("axes", join(table.axes, "\n"));
  g.attr_string("grid_axes", join(table.grid_axes, "\n"));
  g.attr_string("description", "one row per case x scenario; the columns in `columns` order, each with its units");
  // The row index: a dimension every column shares.
  std::vector<double> row(table.rows);
  for (std::size_t i = 0; i < row.size(); ++i) row[i] = static_cast<double>(i);
  h5::Dataset index = g.write_1d("row", row);
  index.attr_string("units", "1");
  index.attr_string("description", "row number of the table");
  index.make_scale("row");
  for (const TableColumn& c : table.columns) {
    h5::Dataset d = c.text ? g.write_strings(c.name, c.texts) : g.write_1d(c.name, c.numbers);
    d.attr_string("units", c.units);
    d.attr_string("description", c.description);
    d.attach_scale(index, 0);
  }
}

// ---- the population group: bands, inputs, sensitivity ----

// Index coordinates for the dimensions that have no numeric axis of their own.
h5::Dataset index_scale(h5::Group& group, const std::string& name, std::size_t n, const std::string& description) {
  std::vector<double> values(n);
  for (std::size_t i = 0; i < n; ++i) values[i] = static_cast<double>(i);
  h5::Dataset d = group.write_1d(name, values);
  d.attr_string("units", "1");
  d.attr_string("description", description);
  d.make_scale(name);
  return d;
}

void write_band(h5::Group& target, const std::string& dataset, const std::string& name,
                const std::vector<std::vector<double>>& band, std::size_t times, const h5::Dataset& pct_scale,
                const h5::Dataset& time_scale) {
  std::vector<double> flat;
  for (const auto& row : band) flat.insert(flat.end(), row.begin(), row.end());
  h5::Dataset d = target.write_2d(dataset, flat.data(), band.size(), times);
  d.attr_string("units", "1");
  d.attr_string("axes", "percentile, time");
  d.attr_string("description", name + " of the subjects at each time, at each percentile");
  d.attach_scale(pct_scale, 0);
  d.attach_scale(time_scale, 1);
}

// A scenario's group repeats time_h and percentile: xarray takes a dimension's coordinate values
// from the group it opens, and without them `.sel(time_h=24)` would select row 24.
h5::Group scenario_band_group(h5::Group& g, const std::string& scenario, const PopulationSummary& p) {
  if (g.exists(scenario)) return g.open_group(scenario);
  h5::Group target = g.create_group(scenario);
  h5::Dataset t = target.write_1d(kTime, p.time_h);
  t.attr_string("units", "h");
  t.attr_string("description", "output time since the first application (population/time_h, repeated here)");
  t.make_scale(kTime);
  h5::Dataset q = target.write_1d("percentile", p.percentiles);
  q.attr_string("units", "%");
  q.attr_string("description", "percentile of the subjects (population/percentile, repeated here)");
  q.make_scale("percentile");
  return target;
}

// "treated uptake_fraction" -> population/treated/uptake_fraction; "enhancement_uptake" -> population/.
void write_bands(h5::Group& g, const PopulationSummary& p) {
  h5::Dataset time = g.write_1d(kTime, p.time_h);
  time.attr_string("units", "h");
  time.attr_string("description", "output time since the first application");
  h5::Dataset pct = g.write_1d("percentile", p.percentiles);
  pct.attr_string("units", "%");
  pct.attr_string("description", "percentile of the subjects (linear interpolation between order statistics)");
  time.make_scale(kTime);
  pct.make_scale("percentile");
  for (const auto& [name, band] : p.bands) {
    const std::size_t space = name.find(' ');
    if (space == std::string::npos) {
      write_band(g, name, name, band, p.time_h.size(), pct, time);
      continue;
    }
    h5::Group target = scenario_band_group(g, name.substr(0, space), p);
    write_band(target, name.substr(space + 1), name, band, p.time_h.size(), target.open_dataset("percentile"),
               target.open_dataset(kTime));
  }
}

// population/inputs: each input's name, unit and distribution, and every subject's values.
void write_inputs(h5::Group& g, const StudyPlan& plan, const std::vector<std::size_t>& cases) {
  h5::Group inputs = g.create_group("inputs");
  const h5::Dataset subject =
      index_scale(inputs, "subject", cases.size(), "subject number (0-based; the cases in order)");
  const h5::Dataset input = index_scale(inputs, "input", plan.columns.size(), "input number (0-based), as in `name`");
  std::vector<std::string> names, units, descriptions;
  for (const PlanColumn& c : plan.columns) {
    names.push_back(c.key);
    units.push_back(c.unit.empty() ? "1" : c.unit);
    descriptions.push_back(c.description);
  }
  for (auto [dataset, values] : {std::pair<const char*, const std::vector<std::string>*>{"name", &names},
                                 {"units", &units},
                                 {"distribution", &descriptions}}) {
    h5::Dataset d = inputs.write_strings(dataset, *values);
    d.attr_string("units", "1");
    d.attach_scale(input, 0);
  }
  std::vector<double> samples;
  for (std::size_t i : cases)
    for (const CaseValue& v : plan.cases[i].values) samples.push_back(v.number);
  h5::Dataset s = inputs.write_2d("samples", samples.data(), cases.size(), plan.columns.size());
  s.attr_string("units", "see units");
  s.attr_string("axes", "subject, input");
  s.attr_string("description", "each subject's value of each input, in the unit of `units`");
  s.attach_scale(subject, 0);
  s.attach_scale(input, 1);
}

// population/sensitivity: Spearman and PRCC, [output][input].
void write_sensitivity(h5::Group& g, const PopulationSummary& p, const StudyPlan& plan) {
  h5::Group sens = g.create_group("sensitivity");
  sens.attr_string("method",
                   "Spearman rank correlation and partial rank correlation (PRCC) of each output with each input "
                   "over the subjects; |PRCC| ranks the inputs (Marino et al. 2008)");
  std::vector<std::string> names, outputs;
  for (const PlanColumn& c : plan.columns) names.push_back(c.key);
  std::vector<double> spearman, prcc;
  for (const SensitivityEntry& e : p.sensitivity) {
    outputs.push_back(e.output);
    spearman.insert(spearman.end(), e.spearman.begin(), e.spearman.end());
    prcc.insert(prcc.end(), e.prcc.begin(), e.prcc.end());
  }
  const h5::Dataset input_index =
      index_scale(sens, "input_index", names.size(), "input number (0-based), as in `input`");
  const h5::Dataset output_index =
      index_scale(sens, "output_index", outputs.size(), "output number (0-based), as in `output`");
  h5::Dataset input_names = sens.write_strings("input", names);
  input_names.attr_string("units", "1");
  input_names.attach_scale(input_index, 0);
  h5::Dataset output_names = sens.write_strings("output", outputs);
  output_names.attr_string("units", "1");
  output_names.attach_scale(output_index, 0);
  if (outputs.empty()) return;
  for (auto [name, values] :
       {std::pair<const char*, const std::vector<double>*>{"spearman", &spearman}, {"prcc", &prcc}}) {
    h5::Dataset d = sens.write_2d(name, values->data(), outputs.size(), names.size());
    d.attr_string("units", "1");
    d.attr_string("axes", "output, input");
    d.attach_scale(output_index, 0);
    d.attach_scale(input_index, 1);
  }
}

void write_population(h5::Group& root, const PopulationSummary& p, const StudyPlan& plan,
                      const std::vector<std::size_t>& cases) {
  h5::Group g = root.create_group(kPopulation);
  g.attr_int("subjects", static_cast<std::int64_t>(cases.size()));
  g.attr_int("seed", static_cast<std::int64_t>(plan.seed));
  g.attr_string("sampling", plan.sampling);
  write_bands(g, p);
  write_inputs(g, plan, cases);
  write_sensitivity(g, p, plan);
}

// ---- the steps of write_study_h5 ----

void write_study_attributes(h5::Group& root, const StudyPlan& plan, const StudyFileSpec& spec,
                            const std::string& version) {
  root.attr_string("schema", kStudyH5Schema);
  root.attr_string("kind", spec.kind);
  root.attr_string("title", plan.title);
  root.attr_string("poreflux_version", version);
  root.attr_int("n_cases", static_cast<std::int64_t>(plan.cases.size()));
  root.attr_int("n_cases_here", static_cast<std::int64_t>(spec.cases.size()));
  root.attr_string("source_file", plan.source_file);
  root.attr_string("base_config_hash", plan.base_hash);
  root.attr_string("plan_hash", plan.plan_hash);
  if (!spec.shard.empty()) root.attr_string("shard", spec.shard);
  root.attr_string("run_identity", spec.run_identity);
  h5::Group config = root.create_group(kConfig);
  config.write_string("study_toml", plan.plan_toml).attr_string("units", "1");
}

// Every baseline once, every case with its intact scenario linked to its baseline's.
void copy_runs(h5::Group& root, const StudyPlan& plan, const StudyFileSpec& spec) {
  h5::Group baselines = root.create_group(kBaselines);
  h5::Group cases = root.create_group(kCases);
  std::vector<std::string> copied;
  for (std::size_t i : spec.cases) {
    const PlanCase& c = plan.cases[i];
    if (std::find(copied.begin(), copied.end(), c.baseline_id) == copied.end()) {
      const H5Source& from = spec.sources.at(c.baseline_id);
      h5::copy_into(from.file, from.group, baselines, c.baseline_id);
      copied.push_back(c.baseline_id);
    }
    const H5Source& from = spec.sources.at(c.id);
    h5::copy_into(from.file, from.group, cases, c.id);
    h5::Group g = cases.open_group(c.id);
    if (!g.has_attr("index")) g.attr_int("index", static_cast<std::int64_t>(c.index));
    h5::Group scenarios = g.exists(kScenarios) ? g.open_group(kScenarios) : g.create_group(kScenarios);
    const std::string baseline_intact =
        "/" + std::string(kBaselines) + "/" + c.baseline_id + "/" + kScenarios + "/intact";
    if (spec.link_baselines) h5::link_hard(scenarios, "intact", baseline_intact);
  }
}

// The figures of each scenario of one case (a shard's intact one from its baseline).
std::map<std::string, ScenarioFigures> read_case(const h5::Group& root, const PlanCase& c, bool linked) {
  const h5::Group g = root.open_group(kCases).open_group(c.id);
  std::map<std::string, ScenarioFigures> f;
  if (!linked)
    f["intact"] = read_scenario(
        root.open_group(kBaselines).open_group(c.baseline_id).open_group(kScenarios).open_group("intact"));
  for (const std::string& s : scenario_names(g)) f[s] = read_scenario(g.open_group(kScenarios).open_group(s));
  return f;
}

StudyTable build_table(const h5::Group& root, const StudyPlan& plan, const StudyFileSpec& spec,
                       std::vector<SubjectTrajectories>& trajectories) {
  TableBuilder b;
  for (std::size_t i : spec.cases) {
    const PlanCase& c = plan.cases[i];
    const std::map<std::string, ScenarioFigures> f = read_case(root, c, spec.link_baselines);
    const double applied = root.open_group(kBaselines).open_group(c.baseline_id).read_attr_double("applied_ug_per_cm2");
    const std::size_t sharing = static_cast<std::size_t>(std::count_if(
        plan.cases.begin(), plan.cases.end(), [&](const PlanCase& o) { return o.baseline_id == c.baseline_id; }));
    SubjectTrajectories subject;
    for (const auto& [s, x] : f) {
      const TableRow row{c, s, x, f.count("intact") ? &f.at("intact") : nullptr, applied, sharing};
      add_case_columns(b, plan, row);
      add_output_columns(b, row);
      add_report_time_columns(b, plan, row);
      b.text("baseline", "the intact baseline (group under /baselines) the case shares").texts.push_back(c.baseline_id);
      ++b.table.rows;
      subject[s] = x.trajectory;
    }
    trajectories.push_back(std::move(subject));
  }
  for (const PlanColumn& col : plan.columns) {
    b.table.axes.push_back(col.key);
    if (col.grid_axis) b.table.grid_axes.push_back(col.key);
  }
  return b.table;
}

}  // namespace

const TableColumn* StudyTable::find(const std::string& name) const {
  for (const TableColumn& c : columns)
    if (c.name == name) return &c;
  return nullptr;
}

StudyOutputs write_study_h5(const std::string& path, const StudyPlan& plan, const StudyFileSpec& spec,
                            const std::string& version) {
  StudyOutputs outputs;
  write_h5_atomically(path, [&](h5::Group& root) {
    write_study_attributes(root, plan, spec, version);
    copy_runs(root, plan, spec);
    std::vector<SubjectTrajectories> trajectories;
    outputs.table = build_table(root, plan, spec, trajectories);
    write_table(root, outputs.table);
    if (spec.kind == "population" && !trajectories.empty()) {
      outputs.population = summarise_population(plan, spec.cases, trajectories);
      write_population(root, *outputs.population, plan, spec.cases);
    }
  });
  return outputs;
}

void write_table_csv(const std::string& path, const StudyTable& table) {
  CsvTable csv;
  for (const TableColumn& c : table.columns) {
    if (c.text) csv.add_strings(csv_header(c.name, c.units), c.texts);
    else csv.add_numbers(csv_header(c.name, c.units), c.numbers);
  }
  write_text_atomically(path, csv.text());
}

StudyFileInfo read_study_file_info(const std::string& path) {
  h5::File file = h5::File::open_read(path);
  const h5::Group& root = file.root();
  using namespace h5layout;
  if (!root.has_attr("schema") || root.read_attr_string("schema") != kStudyH5Schema)
    throw std::runtime_error("'" + path + "' is not a poreflux study file (schema " + kStudyH5Schema +
                             "); merge takes the files that `poreflux sweep --shard K/N` wrote");
  StudyFileInfo info;
  info.kind = root.read_attr_string("kind");
  info.shard = root.has_attr("shard") ? root.read_attr_string("shard") : "";
  info.source_file = root.read_attr_string("source_file");
  info.base_hash = root.read_attr_string("base_config_hash");
  info.plan_hash = root.read_attr_string("plan_hash");
  info.run_identity = root.has_attr("run_identity") ? root.read_attr_string("run_identity") : "";
  info.planned_cases = static_cast<std::size_t>(root.read_attr_int("n_cases"));
  info.case_ids = h5::member_names(root.open_group(kCases));
  info.baseline_ids = h5::member_names(root.open_group(kBaselines));
  return info;
}

}  // namespace poreflux
