// [sweep], [[sweep.axis]], [[sweep.case]], [population] and [[population.input]]: the tables of a
// study of many cases (docs/STUDIES.md). read_study_plan.cpp reads the plain keys through the
// generic path's typed reads (read_number_value, read_choice_value, ...) and the keys with rules
// across keys (an axis's values or range, an input's key or factor and its distribution's
// parameters) in named functions; both take every range, example and choice from here.
//
// None is written back into a resolved config: a case's resolved config is the study it runs,
// and the plan table itself is recorded as read (StudyPlan::plan_toml, `config/study_toml`).
#include "section_keys.hpp"

namespace poreflux::config {

namespace {

const char* const kAxisReader = "read_axis (values, or a range from, to, steps: not both)";
const char* const kInputReader = "read_input (a key or a factor; the parameters of its distribution)";

Bounds report_time() { return Bounds::positive().because("a time after the start of every case"); }

// Every key here shares the record of its table: not one key of it is written back separately.
KeyDecl plan_key(const char* section, const char* name) { return Key(section, name).not_written_back(""); }
KeyDecl entry_key(const char* section, const char* name) { return plan_key(section, name).array_section(); }

std::vector<KeyDecl> sweep_keys() {
  return {
      plan_key("sweep", "combine")
          .one_of({"grid", "zip"})
          .defaults_to("\"grid\"", "")
          .doc_line("`grid`: every combination of the axes, the first axis varying slowest; `zip`: the i-th values "
                    "of all axes together (all axes need the same count)")
          .lands("the plan's cases (expand_sweep)"),
      plan_key("sweep", "report_at")
          .quantity_list(Dimension::time, report_time())
          .no_default("the end only")
          .doc_line("the table also gives uptake, dermal delivery, the tissue amounts and the enhancement at these "
                    "times (columns `..._at_4h`); each must be an output time of every case")
          .lands("StudyPlan::report_times_s"),
      plan_key("sweep", "axis")
          .table_array()
          .no_default("none (an axis or a case is required)")
          .doc_line("one per axis: `[[sweep.axis]]`, below")
          .lands("the plan's cases")
          .read_by_function("read_sweep_entries (no two axes, nor an axis and a case, set one key)"),
      plan_key("sweep", "case")
          .table_array()
          .no_default("none (an axis or a case is required)")
          .doc_line("explicit cases: `[[sweep.case]]`, below; each is crossed with every combination of the axes")
          .lands("the plan's cases")
          .read_by_function("read_sweep_entries"),
  };
}

std::vector<KeyDecl> sweep_axis_keys() {
  auto axis = [](const char* name) { return entry_key("sweep.axis", name); };
  return {
      axis("key")
          .text("treatment.needle_length")
          .no_default("required")
          .doc_line("the key path the axis sets: `treatment.needle_length`, `layer[1].thickness` (not a key of "
                    "[sweep] or [population])")
          .lands("PlanColumn::key")
          .read_by_function("read_axis, read_path (a key path of the study)"),
      axis("values")
          .mixed("array of values")
          .no_default("or a range: `from`, `to`, `steps`")
          .doc_line("the values, each a number, string or boolean the key takes: `[\"0.25 mm\", \"0.5 mm\"]`, "
                    "`[1, 2, 4, 8]`")
          .lands("PlanCase::values")
          .read_by_function(kAxisReader),
      axis("from")
          .number(Bounds::any(), "0.25")
          .no_default("required in a range")
          .doc_line("the first value of a range")
          .lands("PlanCase::values")
          .read_by_function(kAxisReader),
      axis("to")
          .number(Bounds::any(), "2.0")
          .no_default("required in a range")
          .doc_line("the last value of a range")
          .lands("PlanCase::values")
          .read_by_function(kAxisReader),
      axis("steps")
          .number(Bounds::closed(2, 1000).because("a whole number: one value is no axis, more than 1000 a typo"), "8")
          .no_default("required in a range")
          .doc_line("how many values the range has, ends included")
          .lands("PlanCase::values")
          .read_by_function(kAxisReader),
      axis("scale")
          .one_of({"linear", "log"})
          .defaults_to("\"linear\"", "")
          .doc_line("`log`: geometric steps (needs from, to > 0)")
          .lands("PlanCase::values")
          .read_by_function(kAxisReader),
      axis("unit")
          .text("mm")
          .no_default("plain numbers (whole numbers when from, to and the step are)")
          .doc_line("the unit written after each value of a range")
          .lands("PlanColumn::unit")
          .read_by_function(kAxisReader),
  };
}

std::vector<KeyDecl> sweep_case_keys() {
  return {
      entry_key("sweep.case", "label")
          .text("vitamin C, pen")
          .no_default("the keys it sets, `key=value, ...`")
          .doc_line("the case's label in the table")
          .lands("PlanCase::label"),
      entry_key("sweep.case", "set")
          .table()
          .no_default("required")
          .doc_line("the keys this case changes: `{ \"compound.name\" = \"niacinamide\", \"vehicle.concentration\" = "
                    "\"5 % w/v\" }`, each a single value")
          .lands("PlanCase::values")
          .read_by_function("read_case (key paths of the study; not one an axis sets)"),
  };
}

std::vector<KeyDecl> population_table_keys() {
  return {
      plan_key("population", "subjects")
          .number(Bounds::closed(3, 10000).because("a whole number: fewer gives no percentiles, more a typo"), "64")
          .no_default("required")
          .doc_line("N, the number of virtual subjects (cases)")
          .lands("the plan's cases")
          .read_by_function("draw_population (a whole number)"),
      plan_key("population", "seed")
          .number(Bounds::closed(0, 9007199254740992.0).because("a whole number a double holds exactly"), "20261202")
          .defaults_to("1", "")
          .doc_line("the same seed gives the same subjects, on any machine")
          .lands("StudyPlan::seed")
          .read_by_function("draw_population (a whole number)"),
      plan_key("population", "sampling")
          .one_of({"latin_hypercube", "random"})
          .defaults_to("\"latin_hypercube\"", "")
          .doc_line("Latin hypercube: each input's probability range is cut into N equal strata and every stratum "
                    "is used once, in an order shuffled independently per input")
          .lands("StudyPlan::sampling"),
      plan_key("population", "report_at")
          .quantity_list(Dimension::time, report_time())
          .no_default("the end only")
          .doc_line("as for `[sweep]`")
          .lands("StudyPlan::report_times_s"),
      plan_key("population", "sensitivity_at")
          .quantity_list(Dimension::time, report_time())
          .no_default("the end of the study")
          .doc_line("times at which the sensitivity is measured; output times of every subject")
          .lands("StudyPlan::sensitivity_times_s"),
      plan_key("population", "input")
          .table_array()
          .no_default("required (at least one)")
          .doc_line("one per varying input: `[[population.input]]`, below")
          .lands("StudyPlan::distributions")
          .read_by_function("draw_population (no two inputs vary one key)"),
  };
}

std::vector<KeyDecl> population_input_keys() {
  auto input = [](const char* name) { return entry_key("population.input", name); };
  auto parameter = [&](const char* name, Bounds bounds, const char* example, const char* doc) {
    return input(name)
        .number(std::move(bounds), example)
        .no_default("required by its distribution")
        .doc_line(doc)
        .lands("Distribution::a, b")
        .read_by_function(kInputReader);
  };
  return {
      input("key")
          .text("layer[1].thickness")
          .no_default("this or `factor`")
          .doc_line("a config key path: `layer[1].thickness`, `treatment.closure_time_constant`, "
                    "`vehicle.film_thickness` ...")
          .lands("PlanColumn::key")
          .read_by_function(kInputReader),
      input("factor")
          .text("stratum_corneum.diffusivity")
          .no_default("this or `key`")
          .doc_line("a multiplicative factor on a derived value, named as a `[calibration]` target: a relation's "
                    "residual error; enters each case as a `[[calibration.factors]]` entry")
          .lands("PlanColumn::key (`factor:<target>`)")
          .read_by_function(kInputReader),
      input("unit")
          .text("um")
          .no_default("plain numbers")
          .doc_line("the unit written after each drawn value")
          .lands("PlanColumn::unit"),
      input("distribution")
          .one_of({"normal", "lognormal", "uniform"})
          .defaults_to("\"normal\"", "")
          .doc_line("`normal` (`mean`, `sd`), `lognormal` (`median`, `gsd`), `uniform` (`min`, `max`)")
          .lands("Distribution::kind")
          .read_by_function(kInputReader),
      parameter("mean", Bounds::any(), "15", "of a normal distribution"),
      parameter("sd", Bounds::positive().because("a spread"), "3", "of a normal distribution"),
      parameter("median", Bounds::positive().because("a lognormal value is > 0"), "15", "of a lognormal distribution"),
      parameter("gsd", Bounds::open(1.0, 1e3).because("exp(sd of ln x): 1 is no spread"), "1.3",
                "of a lognormal distribution: the geometric standard deviation, exp of the SD of ln x"),
      parameter("min", Bounds::any(), "0.1", "of a uniform distribution"),
      parameter("max", Bounds::any(), "0.3", "of a uniform distribution (> min)"),
      input("lower")
          .number(Bounds::any(), "5")
          .no_default("no truncation")
          .doc_line("truncation: samples are drawn within [lower, upper] (inverse CDF over the truncated "
                    "probability range), not clipped")
          .lands("Distribution::lower")
          .read_by_function(kInputReader),
      input("upper")
          .number(Bounds::any(), "30")
          .no_default("no truncation")
          .doc_line("the upper end of the truncation (> lower)")
          .lands("Distribution::upper")
          .read_by_function(kInputReader),
      input("source")
          .text("Sandby-Moller et al. 2003")
          .no_default("none")
          .doc_line("where the spread comes from; kept in the output with the distribution")
          .lands("PlanColumn::description"),
  };
}

}  // namespace

std::vector<KeyDecl> study_plan_keys() {
  std::vector<KeyDecl> keys;
  for (std::vector<KeyDecl> (*table)() :
       {sweep_keys, sweep_axis_keys, sweep_case_keys, population_table_keys, population_input_keys}) {
    std::vector<KeyDecl> more = table();
    keys.insert(keys.end(), more.begin(), more.end());
  }
  return keys;
}

}  // namespace poreflux::config
