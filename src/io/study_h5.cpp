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
#include "population/sensitivity.hpp"
#include "poreflux/results.hpp"

namespace poreflux {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : separator) + item;
  return text;
}

// The scenarios a case holds, in run order.
std::vector<std::string> scenario_names(const h5::Group& run) {
  if (!run.exists("scenarios")) return {};
  const h5::Group scenarios = run.open_group("scenarios");
  std::vector<std::string> names = h5::member_names(scenarios);
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return (a == "intact" ? 0 : 1) < (b == "intact" ? 0 : 1) || ((a == "intact") == (b == "intact") && a < b);
  });
  return names;
}

// Summary figures of one scenario, as the run file keeps them.
struct ScenarioFigures {
  double uptake = kNaN, dermal = kNaN, permeated = kNaN, flux_max = kNaN, t_flux_max = kNaN, lag = kNaN, balance = kNaN;
  std::vector<double> fractions;  // by compartment_names()
  std::vector<double> time_h;
  std::vector<double> uptake_t, dermal_t;  // over time
  std::map<std::string, std::vector<double>> fraction_t;  // by compartment, over time
};

ScenarioFigures read_scenario(const h5::Group& scenario) {
  ScenarioFigures f;
  const h5::Group summary = scenario.open_group("summary");
  f.uptake = summary.read_attr_double("uptake_fraction");
  f.dermal = summary.read_attr_double("dermal_delivery_fraction");
  f.permeated = summary.read_attr_double("cumulative_permeated_ug_per_cm2");
  f.flux_max = summary.read_attr_double("flux_max_ug_per_cm2_h");
  f.t_flux_max = summary.read_attr_double("t_flux_max_h");
  f.lag = summary.read_attr_double("lag_time_h");
  f.balance = summary.read_attr_double("mass_balance_error");
  const h5::Group fractions = summary.open_group("fraction_of_dose");
  for (const std::string& name : compartment_names()) f.fractions.push_back(fractions.read_attr_double(name));
  f.time_h = scenario.read_1d("time_h");
  const h5::Group series = scenario.open_group("fractions");
  for (const std::string& name : compartment_names()) f.fraction_t[name] = series.read_1d(name);
  f.uptake_t.assign(f.time_h.size(), 0.0);
  f.dermal_t.assign(f.time_h.size(), 0.0);
  // MODEL.md §6: uptake = SC + VE + dermis + receptor + systemic; dermal delivery leaves out the SC.
  for (const char* name : {"stratum_corneum", "viable_epidermis", "dermis", "receptor", "systemic"}) {
    const std::vector<double>& v = f.fraction_t.at(name);  // read once, above
    for (std::size_t t = 0; t < v.size() && t < f.time_h.size(); ++t) {
      f.uptake_t[t] += v[t];
      if (std::string(name) != "stratum_corneum") f.dermal_t[t] += v[t];
    }
  }
  return f;
}

std::string hours_text(double h) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g h", h);
  return buffer;
}

// The index of the output time `t_s` (one of them, as the plan checks; else the nearest).
std::size_t output_index(const std::vector<double>& time_h, double t_s) {
  std::size_t k = 0;
  for (std::size_t t = 0; t < time_h.size(); ++t)
    if (std::abs(time_h[t] - t_s / 3600.0) < std::abs(time_h[k] - t_s / 3600.0)) k = t;
  return k;
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

void write_table(h5::Group& root, const StudyTable& table) {
  h5::Group g = root.create_group("table");
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

void write_population(h5::Group& root, const PopulationSummary& p, const StudyPlan& plan,
                      const std::vector<std::size_t>& cases) {
  h5::Group g = root.create_group("population");
  g.attr_int("subjects", static_cast<std::int64_t>(cases.size()));
  g.attr_int("seed", static_cast<std::int64_t>(plan.seed));
  g.attr_string("sampling", plan.sampling);
  h5::Dataset time = g.write_1d("time_h", p.time_h);
  time.attr_string("units", "h");
  time.attr_string("description", "output time since the first application");
  h5::Dataset pct = g.write_1d("percentile", p.percentiles);
  pct.attr_string("units", "%");
  pct.attr_string("description", "percentile of the subjects (linear interpolation between order statistics)");
  time.make_scale("time_h");
  pct.make_scale("percentile");
  auto write_band = [&](h5::Group& target, const std::string& dataset, const std::string& name,
                        const std::vector<std::vector<double>>& band, const h5::Dataset& pct_scale,
                        const h5::Dataset& time_scale) {
    std::vector<double> flat;
    for (const auto& row : band) flat.insert(flat.end(), row.begin(), row.end());
    h5::Dataset d = target.write_2d(dataset, flat.data(), band.size(), p.time_h.size());
    d.attr_string("units", "1");
    d.attr_string("axes", "percentile, time");
    d.attr_string("description", name + " of the subjects at each time, at each percentile");
    d.attach_scale(pct_scale, 0);
    d.attach_scale(time_scale, 1);
  };
  // "treated uptake_fraction" -> population/treated/uptake_fraction; "enhancement_uptake" -> population/.
  // A scenario's group repeats time_h and percentile: xarray takes a dimension's coordinate
  // values from the group it opens, and without them `.sel(time_h=24)` would select row 24.
  for (const auto& [name, band] : p.bands) {
    const std::size_t space = name.find(' ');
    if (space == std::string::npos) {
      write_band(g, name, name, band, pct, time);
      continue;
    }
    const std::string scenario = name.substr(0, space);
    const bool first = !g.exists(scenario);
    h5::Group target = first ? g.create_group(scenario) : g.open_group(scenario);
    if (first) {
      h5::Dataset t = target.write_1d("time_h", p.time_h);
      t.attr_string("units", "h");
      t.attr_string("description", "output time since the first application (population/time_h, repeated here)");
      t.make_scale("time_h");
      h5::Dataset q = target.write_1d("percentile", p.percentiles);
      q.attr_string("units", "%");
      q.attr_string("description", "percentile of the subjects (population/percentile, repeated here)");
      q.make_scale("percentile");
    }
    write_band(target, name.substr(space + 1), name, band, target.open_dataset("percentile"),
               target.open_dataset("time_h"));
  }
  // Index coordinates for the dimensions that have no numeric axis of their own.
  auto index_scale = [](h5::Group& group, const std::string& name, std::size_t n, const std::string& description) {
    std::vector<double> values(n);
    for (std::size_t i = 0; i < n; ++i) values[i] = static_cast<double>(i);
    h5::Dataset d = group.write_1d(name, values);
    d.attr_string("units", "1");
    d.attr_string("description", description);
    d.make_scale(name);
    return d;
  };
  h5::Group inputs = g.create_group("inputs");
  const h5::Dataset subject = index_scale(inputs, "subject", cases.size(), "subject number (0-based; the cases in order)");
  const h5::Dataset input = index_scale(inputs, "input", plan.columns.size(), "input number (0-based), as in `name`");
  std::vector<std::string> names, units, descriptions;
  for (const PlanColumn& c : plan.columns) {
    names.push_back(c.key);
    units.push_back(c.unit.empty() ? "1" : c.unit);
    descriptions.push_back(c.description);
  }
  for (auto [dataset, values] : {std::pair<const char*, const std::vector<std::string>*>{"name", &names},
                                 {"units", &units}, {"distribution", &descriptions}}) {
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
  h5::Group sens = g.create_group("sensitivity");
  sens.attr_string("method", "Spearman rank correlation and partial rank correlation (PRCC) of each output with each input "
                             "over the subjects; |PRCC| ranks the inputs (Marino et al. 2008)");
  std::vector<std::string> outputs;
  std::vector<double> spearman, prcc;
  for (const SensitivityEntry& e : p.sensitivity) {
    outputs.push_back(e.output);
    spearman.insert(spearman.end(), e.spearman.begin(), e.spearman.end());
    prcc.insert(prcc.end(), e.prcc.begin(), e.prcc.end());
  }
  const h5::Dataset input_index = index_scale(sens, "input_index", names.size(), "input number (0-based), as in `input`");
  const h5::Dataset output_index =
      index_scale(sens, "output_index", outputs.size(), "output number (0-based), as in `output`");
  h5::Dataset input_names = sens.write_strings("input", names);
  input_names.attr_string("units", "1");
  input_names.attach_scale(input_index, 0);
  h5::Dataset output_names = sens.write_strings("output", outputs);
  output_names.attr_string("units", "1");
  output_names.attach_scale(output_index, 0);
  if (!outputs.empty()) {
    for (auto [name, values] : {std::pair<const char*, const std::vector<double>*>{"spearman", &spearman}, {"prcc", &prcc}}) {
      h5::Dataset d = sens.write_2d(name, values->data(), outputs.size(), names.size());
      d.attr_string("units", "1");
      d.attr_string("axes", "output, input");
      d.attach_scale(output_index, 0);
      d.attach_scale(input_index, 1);
    }
  }
}


PopulationSummary summarise_population(const StudyPlan& plan, const std::vector<std::size_t>& cases,
                                       const std::vector<std::map<std::string, ScenarioFigures>>& figures) {
  PopulationSummary p;
  for (const PlanColumn& c : plan.columns) p.inputs.push_back(c.key);
  p.time_h = figures.front().begin()->second.time_h;
  const std::size_t T = p.time_h.size();
  for (const auto& f : figures)
    for (const auto& [name, s] : f)
      if (s.time_h.size() != T) throw std::runtime_error("the subjects' output times differ; no percentile bands");
  // Every subject's series of each output.
  std::map<std::string, std::vector<std::vector<double>>> series;  // name -> [subject][time]
  for (const auto& f : figures) {
    for (const auto& [scenario, s] : f) {
      series[scenario + " uptake_fraction"].push_back(s.uptake_t);
      series[scenario + " dermal_delivery_fraction"].push_back(s.dermal_t);
    }
    if (f.count("treated") && f.count("intact")) {
      std::vector<double> eu(T), ed(T);
      for (std::size_t t = 0; t < T; ++t) {
        eu[t] = ratio(f.at("treated").uptake_t[t], f.at("intact").uptake_t[t]);
        ed[t] = ratio(f.at("treated").dermal_t[t], f.at("intact").dermal_t[t]);
      }
      series["enhancement_uptake"].push_back(eu);
      series["enhancement_dermal_delivery"].push_back(ed);
    }
  }
  for (const auto& [name, subjects] : series) {
    std::vector<std::vector<double>> band(p.percentiles.size(), std::vector<double>(T));
    for (std::size_t t = 0; t < T; ++t) {
      std::vector<double> at;
      for (const auto& s : subjects)
        if (std::isfinite(s[t])) at.push_back(s[t]);
      for (std::size_t k = 0; k < p.percentiles.size(); ++k) band[k][t] = population::percentile(at, p.percentiles[k]);
    }
    p.bands[name] = band;
  }
  // Sensitivity at the requested times (the nearest output time).
  std::vector<std::vector<double>> inputs(plan.columns.size());
  for (std::size_t i : cases)
    for (std::size_t j = 0; j < plan.columns.size(); ++j) inputs[j].push_back(plan.cases[i].values[j].number);
  for (double ts : plan.sensitivity_times_s) {
    const std::size_t k = output_index(p.time_h, ts);
    for (const auto& [name, subjects] : series) {
      std::vector<double> y;
      for (const auto& s : subjects) y.push_back(s[k]);
      SensitivityEntry e;
      e.output = name + " at " + hours_text(p.time_h[k]);
      for (const auto& x : inputs) e.spearman.push_back(population::spearman(x, y));
      e.prcc = population::partial_rank_correlations(inputs, y);
      p.sensitivity.push_back(e);
    }
  }
  return p;
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
    h5::Group config = root.create_group("config");
    config.write_string("study_toml", plan.plan_toml).attr_string("units", "1");

    // Every baseline once, every case with its intact scenario linked to its baseline's.
    h5::Group baselines = root.create_group("baselines");
    h5::Group cases = root.create_group("cases");
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
      h5::Group scenarios = g.exists("scenarios") ? g.open_group("scenarios") : g.create_group("scenarios");
      if (spec.link_baselines) h5::link_hard(scenarios, "intact", "/baselines/" + c.baseline_id + "/scenarios/intact");
    }

    // The table: one row per case x scenario.
    TableBuilder b;
    std::vector<std::map<std::string, ScenarioFigures>> figures;
    for (std::size_t i : spec.cases) {
      const PlanCase& c = plan.cases[i];
      const h5::Group g = cases.open_group(c.id);
      std::map<std::string, ScenarioFigures> f;
      if (!spec.link_baselines)
        f["intact"] = read_scenario(baselines.open_group(c.baseline_id).open_group("scenarios").open_group("intact"));
      for (const std::string& s : scenario_names(g)) f[s] = read_scenario(g.open_group("scenarios").open_group(s));
      const double applied = baselines.open_group(c.baseline_id).read_attr_double("applied_ug_per_cm2");
      for (const auto& [s, x] : f) {
        const ScenarioFigures* intact = f.count("intact") ? &f.at("intact") : nullptr;
        b.text("case", "case id (its group under /cases)").texts.push_back(c.id);
        // An intact row whose baseline other cases share (a needle sweep) is that baseline, not
        // the case: its label says so instead of repeating the case's treatment values.
        const std::size_t sharing = static_cast<std::size_t>(std::count_if(
            plan.cases.begin(), plan.cases.end(), [&](const PlanCase& o) { return o.baseline_id == c.baseline_id; }));
        b.text("label", "the case's values (intact rows of a shared baseline: \"intact baseline (shared by N cases)\")")
            .texts.push_back(s == "intact" && sharing > 1
                                 ? "intact baseline (shared by " + std::to_string(sharing) + " cases)"
                                 : c.label);
        b.text("scenario", "intact skin, or treated (microneedle channels)").texts.push_back(s);
        for (std::size_t k = 0; k < plan.columns.size(); ++k) {
          const PlanColumn& col = plan.columns[k];
          const std::string desc = col.description.empty() ? "set by the plan" : col.description;
          if (col.numeric) b.number(col.key, col.unit.empty() ? "1" : col.unit, desc).numbers.push_back(c.values[k].number);
          else b.text(col.key, desc).texts.push_back(c.values[k].text);
        }
        b.number("applied", "ug/cm2", "active applied per skin area (every application)").numbers.push_back(applied);
        b.number("uptake_fraction", "1", "SC + VE + dermis + receptor + systemic at the end / dose").numbers.push_back(x.uptake);
        b.number("dermal_delivery_fraction", "1", "VE + dermis + receptor + systemic at the end / dose").numbers.push_back(x.dermal);
        b.number("permeated", "ug/cm2", "receptor + systemic at the end").numbers.push_back(x.permeated);
        b.number("flux_max", "ug/cm2/h", "largest permeation flux").numbers.push_back(x.flux_max);
        b.number("t_flux_max", "h", "time of the largest permeation flux").numbers.push_back(x.t_flux_max);
        b.number("lag_time", "h", "lag time (NaN: no steady state approached)").numbers.push_back(x.lag);
        b.number("enhancement_uptake", "1", "uptake treated / intact of the same case (1 for intact)")
            .numbers.push_back(intact ? ratio(x.uptake, intact->uptake) : kNaN);
        b.number("enhancement_dermal_delivery", "1", "dermal delivery treated / intact of the same case (1 for intact)")
            .numbers.push_back(intact ? ratio(x.dermal, intact->dermal) : kNaN);
        b.number("mass_balance_error", "1", "largest |mass balance| / dose over the run").numbers.push_back(x.balance);
        for (std::size_t k = 0; k < compartment_names().size(); ++k)
          b.number("fraction_" + compartment_names()[k], "1", "amount in " + compartment_names()[k] + " at the end / dose")
              .numbers.push_back(x.fractions[k]);
        for (double ts : plan.report_times_s) {
          // An output time of every case (checked by the plan); the columns are named after it.
          const std::size_t k = output_index(x.time_h, ts);
          const std::string hours = hours_text(ts / 3600.0);
          const std::string at = "_at_" + hours.substr(0, hours.size() - 2) + "h";
          const std::string when = " at " + hours;
          b.number("uptake_fraction" + at, "1", "uptake / dose" + when).numbers.push_back(x.uptake_t[k]);
          b.number("dermal_delivery_fraction" + at, "1", "dermal delivery / dose" + when).numbers.push_back(x.dermal_t[k]);
          b.number("enhancement_dermal_delivery" + at, "1", "dermal delivery treated / intact" + when)
              .numbers.push_back(intact && k < intact->dermal_t.size() ? ratio(x.dermal_t[k], intact->dermal_t[k]) : kNaN);
          for (const char* c : {"viable_epidermis", "dermis", "receptor", "systemic"})
            b.number(std::string("fraction_") + c + at, "1", std::string("amount in ") + c + " / dose" + when)
                .numbers.push_back(x.fraction_t.at(c)[k]);
        }
        b.text("baseline", "the intact baseline (group under /baselines) the case shares").texts.push_back(c.baseline_id);
        ++b.table.rows;
      }
      figures.push_back(std::move(f));
    }
    for (const PlanColumn& col : plan.columns) {
      b.table.axes.push_back(col.key);
      if (col.grid_axis) b.table.grid_axes.push_back(col.key);
    }
    outputs.table = b.table;
    write_table(root, outputs.table);
    if (spec.kind == "population" && !figures.empty()) {
      outputs.population = summarise_population(plan, spec.cases, figures);
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
  info.case_ids = h5::member_names(root.open_group("cases"));
  info.baseline_ids = h5::member_names(root.open_group("baselines"));
  return info;
}

}  // namespace poreflux
