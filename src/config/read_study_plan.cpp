// [sweep] and [population]: from one study config to a plan of cases (docs/STUDIES.md). The
// base config is the file without these tables; each case is that document with its values set
// (config_overlay.hpp), then read and resolved as `poreflux run` reads a config, so a case is
// checked as strictly as a single run and fails with the sweep entry that made it.
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <set>
#include <sstream>

#include "config_overlay.hpp"
#include "key_registry.hpp"
#include "population/sampling.hpp"
#include "poreflux/config.hpp"
#include "poreflux/sweep.hpp"
#include "read_sections.hpp"
#include "resolved_toml.hpp"
#include "study_document.hpp"
#include "table_reader.hpp"

namespace poreflux {
namespace {

using config::KeyDecl;
using config::KeySegment;
using config::TableReader;
using NodePtr = std::unique_ptr<toml::node>;

constexpr std::size_t kMaxCases = 20000;  // beyond this a sweep is a typo (or a job for several configs)

// The declarations of the plan's keys (keys_study_plan.cpp): every range, example and choice.
const KeyDecl& sweep_key(const char* name) { return config::declared_key("sweep", name); }
const KeyDecl& axis_key(const char* name) { return config::declared_key("sweep.axis", name); }
const KeyDecl& case_key(const char* name) { return config::declared_key("sweep.case", name); }
const KeyDecl& population_key(const char* name) { return config::declared_key("population", name); }
const KeyDecl& input_key(const char* name) { return config::declared_key("population.input", name); }

// A number the plan cannot do without, in its declared range.
double required_number(TableReader& table, const KeyDecl& key, std::string_view missing_hint = {}) {
  return table.required_number(key.name, key.range, key.example, missing_hint);
}

// A choice, or its declared default when absent.
std::string declared_choice(TableReader& table, const KeyDecl& key) {
  std::string fallback = key.default_text;
  if (fallback.size() >= 2 && fallback.front() == '"') fallback = fallback.substr(1, fallback.size() - 2);
  return config::read_choice_value(table, key, fallback);
}

std::string optional_text(TableReader& table, const KeyDecl& key) {
  return config::read_string_value(table, key).value_or("");
}

// FNV-1a, 64 bit: detects a changed config between reruns (not a security hash).
std::string content_hash(const std::string& text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(h));
  return buffer;
}

std::string canonical_text(const toml::table& table) {
  std::ostringstream out;
  out << table;
  return out.str();
}

// "0.5 mm" -> (0.5, "mm"); "4" -> (4, ""); otherwise nullopt.
struct NumberWithUnit {
  double number;
  std::string unit;
};
std::optional<NumberWithUnit> split_quantity(const toml::node& value) {
  if (const auto* i = value.as_integer()) return NumberWithUnit{static_cast<double>(i->get()), ""};
  if (const auto* f = value.as_floating_point()) return NumberWithUnit{f->get(), ""};
  const auto* s = value.as_string();
  if (!s) return std::nullopt;
  const std::string& text = s->get();
  char* end = nullptr;
  const double number = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || !std::isfinite(number)) return std::nullopt;
  std::string unit(end);
  unit.erase(0, unit.find_first_not_of(' '));
  unit.erase(unit.find_last_not_of(' ') + 1);
  if (unit.empty()) return std::nullopt;  // "4" as a string is text
  return NumberWithUnit{number, unit};
}

std::string short_name(const std::string& key) {
  const std::size_t dot = key.rfind('.');
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

std::string format_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

// What one case sets: a key and its value, and the entry of the sweep that asked for it.
struct Setting {
  std::size_t column;
  std::vector<KeySegment> path;
  NodePtr value;      // owned copy
  std::string entry;  // "sweep.axis[2].values[3]", for messages
  int line = 0;
  std::string key;  // the key path it sets, as written
};

NodePtr copy_node(const toml::node& node) {
  NodePtr copy;
  node.visit([&](const auto& concrete) { copy.reset(new std::decay_t<decltype(concrete)>(concrete)); });
  return copy;
}

struct Column {
  PlanColumn spec;
  std::vector<KeySegment> path;
};

struct Axis {
  std::size_t column = 0;
  std::vector<NodePtr> values;
  std::vector<int> lines;
  std::string entry;  // "sweep.axis[2]"
};

struct CaseEntry {
  std::string label;
  std::vector<Setting> settings;
};

std::vector<KeySegment> read_path(TableReader& table, const std::string& key_name, const std::string& path_text) {
  std::string why;
  std::optional<std::vector<KeySegment>> path = config::parse_key_path(path_text, &why);
  if (!path) table.fail(key_name, why);
  if (path->front().name == "sweep" || path->front().name == "population")
    table.fail(key_name, "a sweep cannot set its own [" + path->front().name + "] keys; name a key of the study");
  return *path;
}

std::size_t column_for(std::vector<Column>& columns, const std::string& key, const std::vector<KeySegment>& path) {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i].spec.key == key) return i;
  PlanColumn column;
  column.key = key;
  columns.push_back({column, path});
  return columns.size() - 1;
}

// An axis's own list: `values = [...]`, each a single value the key takes.
void read_axis_values(TableReader& entry, const toml::table& raw, Axis& axis) {
  for (const char* range_key : {"from", "to", "steps", "scale", "unit"})
    if (entry.has(range_key))
      entry.fail(range_key, "give either values = [...] or a range (from, to, steps, scale, unit), not both");
  const toml::array* values = raw.get_as<toml::array>("values");
  if (!values || values->empty())
    entry.fail("values", "expected a non-empty array of the key's values, e.g. values = [\"0.25 mm\", \"0.5 mm\"]");
  for (const toml::node& v : *values) {
    if (v.is_table() || v.is_array())
      entry.fail("values", "each value must be a single value (a number, string or boolean) the key takes");
    axis.values.push_back(copy_node(v));
    axis.lines.push_back(static_cast<int>(v.source().begin.line));
  }
}

// An axis as a range: `steps` values from `from` to `to`, linear or geometric, with a unit.
void read_axis_range(TableReader& entry, const toml::table& raw, Axis& axis) {
  const double from = required_number(entry, axis_key("from"), "; or give values = [...]");
  const double to = required_number(entry, axis_key("to"));
  const double steps = required_number(entry, axis_key("steps"));
  if (steps != std::floor(steps)) entry.fail("steps", "expected a whole number of values, from 2");
  const std::string scale = declared_choice(entry, axis_key("scale"));
  const std::string unit = optional_text(entry, axis_key("unit"));
  if (scale == "log" && !(from > 0.0 && to > 0.0)) entry.fail("from", "a log range needs from > 0 and to > 0");
  const int n = static_cast<int>(steps);
  const bool whole = unit.empty() && raw.get("from")->is_integer() && raw.get("to")->is_integer() &&
                     scale == "linear" && std::fmod(to - from, n - 1) == 0.0;
  for (int i = 0; i < n; ++i) {
    const double f = static_cast<double>(i) / (n - 1);
    const double v = scale == "log" ? from * std::pow(to / from, f) : from + (to - from) * f;
    if (whole) axis.values.push_back(NodePtr(new toml::value<int64_t>(std::llround(v))));
    else if (unit.empty()) axis.values.push_back(NodePtr(new toml::value<double>(v)));
    else axis.values.push_back(NodePtr(new toml::value<std::string>(format_number(v) + " " + unit)));
    axis.lines.push_back(entry.line_of("from"));
  }
}

// One [[sweep.axis]]: the key it sets, and its values or range.
Axis read_axis(TableReader& entry, const toml::table& raw, std::vector<Column>& columns) {
  Axis axis;
  axis.entry = entry.key_path("");
  if (!axis.entry.empty() && axis.entry.back() == '.') axis.entry.pop_back();
  const std::vector<KeySegment> path = read_path(entry, "key", entry.required_string("key", axis_key("key").example));
  const std::string key = config::key_path_text(path);
  axis.column = column_for(columns, key, path);
  columns[axis.column].spec.grid_axis = true;
  if (entry.has("values")) read_axis_values(entry, raw, axis);
  else read_axis_range(entry, raw, axis);
  entry.reject_unknown_keys();
  return axis;
}

// One [[sweep.case]]: label and set = { "key.path" = value, ... }.
CaseEntry read_case(TableReader& entry, const toml::table& raw, std::vector<Column>& columns) {
  CaseEntry c;
  c.label = optional_text(entry, case_key("label"));
  if (!entry.holds_table("set"))
    entry.fail("set",
               "expected set = { \"compound.name\" = \"niacinamide\", \"vehicle.concentration\" = \"5 % w/v\" }: "
               "the keys this case changes");
  const toml::table* set = raw.get_as<toml::table>("set");
  entry.has("set");
  for (const auto& [k, v] : *set) {
    const std::vector<KeySegment> path = read_path(entry, "set", std::string(k.str()));
    const std::string key = config::key_path_text(path);
    if (v.is_table() || v.is_array())
      entry.fail("set", "the value of \"" + key + "\" must be a single value (a number, string or boolean)");
    c.settings.push_back({column_for(columns, key, path), path, copy_node(v), entry.key_path("set") + "." + key,
                          static_cast<int>(v.source().begin.line), key});
  }
  entry.reject_unknown_keys();
  return c;
}

// Whether every value of a column is a number in one unit; then its numbers.
void classify(Column& column, const std::vector<const toml::node*>& values) {
  std::optional<std::string> unit;
  for (const toml::node* v : values) {
    const std::optional<NumberWithUnit> q = v ? split_quantity(*v) : std::nullopt;
    if (!q || (unit && *unit != q->unit)) {
      column.spec.numeric = false;
      column.spec.unit.clear();
      return;
    }
    unit = q->unit;
  }
  column.spec.numeric = true;
  column.spec.unit = unit.value_or("");
}

struct PopulationInput {
  std::size_t column;
  bool factor = false;  // a multiplicative factor on a derived value (calibration target)
  std::string target;
  std::string key_path;  // the config key it varies (not a factor)
  std::string unit;
  Distribution distribution;
};

// What an input varies: a config key, or a factor on a derived value (a calibration target).
std::vector<KeySegment> read_input_target(TableReader& entry, PopulationInput& input) {
  const std::optional<std::string> which = entry.at_most_one_of("key", "factor");
  if (!which)
    entry.fail("key", "give key = \"" + input_key("key").example + "\" (a config key) or factor = \"" +
                          input_key("factor").example +
                          "\" (a multiplicative factor on a derived value: a relation's residual error)");
  const std::string name = entry.required_string(*which, input_key("key").example);
  if (*which == "factor") {
    if (!config::calibration_target_known(name))
      entry.fail("factor", "unknown factor target \"" + name + "\"; valid: " + config::calibration_targets_text());
    input.factor = true;
    input.target = name;
    return {};
  }
  std::vector<KeySegment> path = read_path(entry, "key", name);
  input.key_path = config::key_path_text(path);
  return path;
}

// The distribution's kind and its two parameters, each in its declared range.
void read_distribution_parameters(TableReader& entry, const std::string& kind, Distribution& d) {
  if (kind == "normal") {
    d.kind = Distribution::Kind::normal;
    d.a = required_number(entry, input_key("mean"));
    d.b = required_number(entry, input_key("sd"));
  } else if (kind == "lognormal") {
    d.kind = Distribution::Kind::lognormal;
    d.a = required_number(entry, input_key("median"));
    d.b = required_number(entry, input_key("gsd"), "; the geometric standard deviation, exp(sd of ln x), > 1");
  } else {
    d.kind = Distribution::Kind::uniform;
    d.a = required_number(entry, input_key("min"));
    d.b = required_number(entry, input_key("max"));
    if (!(d.b > d.a)) entry.fail("max", "expected max > min");
  }
}

// The truncation [lower, upper]: it must hold some of the distribution's probability.
void read_truncation(TableReader& entry, Distribution& d) {
  d.lower = config::read_number_value(entry, input_key("lower")).value_or(d.lower);
  d.upper = config::read_number_value(entry, input_key("upper")).value_or(d.upper);
  if (!(d.upper > d.lower)) entry.fail("upper", "expected upper > lower (the truncation of the distribution)");
  try {
    (void)population::quantile(d, 0.5);
  } catch (const std::invalid_argument&) {
    entry.fail("lower", "the truncation [lower, upper] holds no probability of the distribution; widen it");
  }
}

// A factor multiplies a derived value: no draw may reach 0 or below.
void check_factor_stays_positive(TableReader& entry, const PopulationInput& input) {
  const Distribution& d = input.distribution;
  if (input.factor && d.kind == Distribution::Kind::normal && d.lower <= 0.0)
    entry.fail("lower", "a factor must stay > 0: give lower > 0, or use distribution = \"lognormal\"");
  if (input.factor && d.kind == Distribution::Kind::uniform && d.a <= 0.0)
    entry.fail("min", "a factor must stay > 0: give min > 0");
}

// "lognormal(median 15, gsd 1.3) truncated to [5, 30] um; source", for the table's column.
std::string describe_input(const std::string& kind, const PopulationInput& input, const std::string& source) {
  const Distribution& d = input.distribution;
  std::ostringstream description;
  description << kind << "("
              << (kind == "normal"      ? "mean "
                  : kind == "lognormal" ? "median "
                                        : "min ")
              << format_number(d.a)
              << (kind == "normal"      ? ", sd "
                  : kind == "lognormal" ? ", gsd "
                                        : ", max ")
              << format_number(d.b) << ")";
  if (std::isfinite(d.lower) || std::isfinite(d.upper))
    description << " truncated to [" << format_number(d.lower) << ", " << format_number(d.upper) << "]";
  if (!input.unit.empty()) description << " " << input.unit;
  if (!source.empty()) description << "; " << source;
  return description.str();
}

// One [[population.input]]: what it varies, its distribution and where the spread comes from.
PopulationInput read_input(TableReader& entry, std::vector<Column>& columns) {
  PopulationInput input;
  const std::vector<KeySegment> path = read_input_target(entry, input);
  input.unit = optional_text(entry, input_key("unit"));
  const std::string kind = declared_choice(entry, input_key("distribution"));
  read_distribution_parameters(entry, kind, input.distribution);
  read_truncation(entry, input.distribution);
  const std::string source = optional_text(entry, input_key("source"));
  check_factor_stays_positive(entry, input);
  const std::string column_key = input.factor ? "factor:" + input.target : input.key_path;
  input.column = column_for(columns, column_key, path);
  columns[input.column].spec.numeric = true;
  columns[input.column].spec.unit = input.unit;
  columns[input.column].spec.description = describe_input(kind, input, source);
  entry.reject_unknown_keys();
  return input;
}

// The base document with a case's values set and its factors added as calibration factors.
toml::table case_document(const toml::table& base_document, const std::string& path,
                          const std::vector<const Setting*>& settings,
                          const std::vector<std::pair<std::string, double>>& factors) {
  toml::table document = base_document;
  document.erase("sweep");
  document.erase("population");
  for (const Setting* s : settings) {
    const std::string why = config::set_key(document, s->path, *s->value);
    if (!why.empty()) throw ConfigError(path, s->line, s->entry, why);
  }
  if (factors.empty()) return document;
  // A residual on a derived value enters as a calibration factor (applied after the relation).
  toml::table* calibration = document.get_as<toml::table>("calibration");
  if (!calibration) calibration = document.insert_or_assign("calibration", toml::table{}).first->second.as_table();
  toml::array* list = calibration->get_as<toml::array>("factors");
  if (!list) list = calibration->insert_or_assign("factors", toml::array{}).first->second.as_array();
  for (const auto& [target, value] : factors)
    list->push_back(
        toml::table{{"target", target}, {"value", value}, {"source", "population: between-subject factor"}});
  return document;
}

// A ConfigError of a case, re-told as the case's: a value the case set has no line of its own
// (the reader falls back to its table's), so it points at the sweep entry that set it.
[[noreturn]] void throw_as_case_error(const ConfigError& e, const std::vector<const Setting*>& settings,
                                      const std::string& case_name) {
  int line = e.line();
  std::string key = e.key_path();
  std::string entry;
  for (const Setting* s : settings)
    if (!key.empty() && key == s->key) {
      line = s->line;
      entry = s->entry;
    }
  if (line == 0 && !settings.empty()) line = settings.front()->line;
  if (!entry.empty()) entry = ", the value from " + entry;
  throw ConfigError(e.file(), line, key, "in " + case_name + entry + ": " + e.message(), e.subject());
}

// Builds, reads and resolves one case; a ConfigError is re-told as the case's.
Study resolve_case(const toml::table& base_document, const std::string& path,
                   const std::vector<const Setting*>& settings,
                   const std::vector<std::pair<std::string, double>>& factors, const std::string& case_name,
                   std::string* config_text, std::string* intact_text, const config::StudyResolver& resolve) {
  const toml::table document = case_document(base_document, path, settings, factors);
  // What decides the numbers: not the title, nor [output] (a sweep writes its own file).
  toml::table hashed = document;
  hashed.erase("title");
  hashed.erase("output");
  *config_text = canonical_text(hashed);
  toml::table intact = hashed;
  intact.erase("treatment");
  *intact_text = canonical_text(intact);
  try {
    Study study = config::parse_study_document(document, path, "", resolve);
    // What the case resolves to counts too: a compound library or calibration file the config
    // names may change between runs while the config's text does not.
    Study untitled = study;
    untitled.title.clear();
    untitled.output = {};
    *config_text += config::render_resolved_toml(untitled);
    Study intact_only = untitled;
    intact_only.treatment.reset();
    *intact_text += config::render_resolved_toml(intact_only);
    return study;
  } catch (const ConfigError& e) {
    throw_as_case_error(e, settings, case_name);
  }
}

void read_report_times(TableReader& table, const KeyDecl& report_at, StudyPlan& plan) {
  if (std::optional<std::vector<double>> at = config::read_quantity_list_value(table, report_at))
    plan.report_times_s.insert(plan.report_times_s.end(), at->begin(), at->end());
}

std::string case_id(std::size_t index, std::size_t count) {
  const std::size_t width = std::max<std::size_t>(4, std::to_string(count).size());
  std::string number = std::to_string(index + 1);
  return "case_" + std::string(width - std::min(width, number.size()), '0') + number;
}

// The cases of a plan before they are read: the settings each applies (pointers into the owners
// below, which a move of the list keeps in place), its calibration factors and its label, and
// the columns of the table the plan writes.
struct CaseList {
  std::vector<Column> columns;
  std::vector<std::vector<const Setting*>> settings;  // per case: explicit case first, then the axes
  std::vector<std::vector<std::pair<std::string, double>>> factors;
  std::vector<std::string> labels;
  // Owners of the settings.
  std::vector<CaseEntry> cases;
  std::vector<std::vector<Setting>> axis_settings;  // [axis][value]
  std::vector<Setting> owned;                       // a population's drawn values
  // A population's inputs and each subject's drawn values.
  std::vector<PopulationInput> inputs;
  std::vector<std::vector<double>> samples;
};

// The config without its [sweep] or [population]: what every case starts from.
toml::table base_of(const toml::table& document) {
  toml::table base = document;
  base.erase("sweep");
  base.erase("population");
  return base;
}

// Which kind of plan the file holds, and the hashes that tell a changed config on a rerun.
void read_plan_kind(const toml::table& document, TableReader& root, const std::string& path, StudyPlan& plan) {
  plan.source_file = path;
  const bool sweep = document.contains("sweep"), population = document.contains("population");
  if (sweep && population)
    root.fail("population", "a study is either a [sweep] or a [population]; put them in two configs");
  if (!sweep && !population)
    throw ConfigError(path, 0, "sweep",
                      "no [sweep] or [population] table: this config is a single study; run it with `poreflux run " +
                          path + "`, or add a [sweep] (docs/STUDIES.md)");
  plan.kind = sweep ? StudyKind::sweep : StudyKind::population;
  // The title and [output] do not change a case's numbers (a sweep writes its own file).
  toml::table physics = base_of(document);
  physics.erase("title");
  physics.erase("output");
  plan.base_hash = content_hash(canonical_text(physics));
  plan.plan_toml =
      canonical_text(toml::table{{sweep ? "sweep" : "population", *document.get(sweep ? "sweep" : "population")}});
}

// [[sweep.axis]] and [[sweep.case]] entries; a key is set by an axis or by cases, not both.
std::vector<Axis> read_sweep_entries(TableReader& table, const toml::table& raw, CaseList& list) {
  std::vector<Axis> axes;
  std::vector<TableReader> axis_entries = table.optional_table_array("axis").value_or(std::vector<TableReader>{});
  std::vector<TableReader> case_entries = table.optional_table_array("case").value_or(std::vector<TableReader>{});
  if (axis_entries.empty() && case_entries.empty())
    table.fail_table(
        "a [sweep] needs [[sweep.axis]] tables (key and values) or [[sweep.case]] tables (label, set), "
        "see docs/STUDIES.md");
  for (std::size_t i = 0; i < axis_entries.size(); ++i)
    axes.push_back(read_axis(axis_entries[i], *raw.get_as<toml::array>("axis")->get(i)->as_table(), list.columns));
  for (std::size_t i = 0; i < case_entries.size(); ++i)
    list.cases.push_back(
        read_case(case_entries[i], *raw.get_as<toml::array>("case")->get(i)->as_table(), list.columns));
  table.reject_unknown_keys();
  std::set<std::size_t> axis_columns;
  for (const Axis& a : axes)
    if (!axis_columns.insert(a.column).second)
      table.fail("axis",
                 "two axes set the key \"" + list.columns[a.column].spec.key + "\"; give its values in one axis");
  for (const CaseEntry& c : list.cases)
    for (const Setting& setting : c.settings)
      if (axis_columns.count(setting.column))
        throw ConfigError(table.file(), setting.line, setting.entry,
                          "an axis also sets \"" + list.columns[setting.column].spec.key +
                              "\"; a key is set by a [[sweep.case]] or by an axis, not both");
  for (Axis& a : axes) {
    std::vector<Setting> settings;
    for (std::size_t v = 0; v < a.values.size(); ++v)
      settings.push_back({a.column, list.columns[a.column].path, copy_node(*a.values[v]),
                          a.entry + ".values[" + std::to_string(v + 1) + "]", a.lines[v],
                          list.columns[a.column].spec.key});
    list.axis_settings.push_back(std::move(settings));
  }
  return axes;
}

// The value index of every axis, per combination: the first axis varies slowest (nested loops
// in axis order), or the i-th value of every axis together with combine = "zip".
std::vector<std::vector<std::size_t>> axis_combinations(TableReader& table, const std::vector<Axis>& axes,
                                                        const std::vector<Column>& columns,
                                                        const std::string& combine) {
  std::vector<std::vector<std::size_t>> combos{{}};
  if (combine == "zip" && !axes.empty()) {
    const std::size_t n = axes.front().values.size();
    for (const Axis& a : axes)
      if (a.values.size() != n)
        table.fail("combine",
                   "combine = \"zip\" takes the i-th value of every axis together, so every axis needs the "
                   "same number of values; \"" +
                       columns[a.column].spec.key + "\" has " + std::to_string(a.values.size()) + ", the first axis " +
                       std::to_string(n));
    combos.clear();
    for (std::size_t i = 0; i < n; ++i) combos.push_back(std::vector<std::size_t>(axes.size(), i));
    return combos;
  }
  for (const Axis& a : axes) {
    std::vector<std::vector<std::size_t>> next;
    for (const auto& c : combos)
      for (std::size_t v = 0; v < a.values.size(); ++v) {
        next.push_back(c);
        next.back().push_back(v);
      }
    combos = std::move(next);
    if (combos.size() > kMaxCases) break;
  }
  return combos;
}

std::string setting_label(const std::vector<Column>& columns, const Setting& s) {
  return short_name(columns[s.column].spec.key) + "=" + config::value_text(*s.value);
}

// [sweep]: every explicit case (or the base) crossed with every combination of the axes.
CaseList expand_sweep(TableReader& root, const toml::table& document, StudyPlan& plan) {
  CaseList list;
  TableReader table = root.required_table("sweep", "");
  const std::string combine = declared_choice(table, sweep_key("combine"));
  read_report_times(table, sweep_key("report_at"), plan);
  const std::vector<Axis> axes = read_sweep_entries(table, *document.get_as<toml::table>("sweep"), list);
  const std::vector<std::vector<std::size_t>> combos = axis_combinations(table, axes, list.columns, combine);
  const std::size_t explicit_cases = std::max<std::size_t>(1, list.cases.size());
  if (combos.size() * explicit_cases > kMaxCases)
    table.fail_table("the sweep makes " + std::to_string(combos.size() * explicit_cases) + " cases, more than " +
                     std::to_string(kMaxCases) + "; split it into several configs (or shards of fewer axes)");
  for (std::size_t c = 0; c < explicit_cases; ++c) {
    for (const auto& combo : combos) {
      std::vector<const Setting*> settings;
      std::string label;
      if (!list.cases.empty()) {
        for (const Setting& s : list.cases[c].settings) settings.push_back(&s);
        label = list.cases[c].label;
        if (label.empty())
          for (const Setting& s : list.cases[c].settings)
            label += (label.empty() ? "" : ", ") + setting_label(list.columns, s);
      }
      for (std::size_t a = 0; a < axes.size(); ++a) {
        const Setting& s = list.axis_settings[a][combo[a]];
        settings.push_back(&s);
        label += (label.empty() ? "" : ", ") + setting_label(list.columns, s);
      }
      list.settings.push_back(settings);
      list.factors.emplace_back();
      list.labels.push_back(label.empty() ? "base" : label);
    }
  }
  return list;
}

// [population]: its inputs, and one case per subject with the values drawn for it.
CaseList draw_population(TableReader& root, StudyPlan& plan) {
  CaseList list;
  TableReader table = root.required_table("population", "");
  const double subjects = required_number(table, population_key("subjects"));
  if (subjects != std::floor(subjects)) table.fail("subjects", "expected a whole number of subjects");
  const double seed =
      config::read_number_value(table, population_key("seed")).value_or(std::stod(population_key("seed").default_text));
  if (seed != std::floor(seed)) table.fail("seed", "expected a whole number");
  plan.seed = static_cast<std::uint64_t>(seed);
  plan.sampling = declared_choice(table, population_key("sampling"));
  read_report_times(table, population_key("report_at"), plan);
  std::vector<TableReader> entries = table.optional_table_array("input").value_or(std::vector<TableReader>{});
  if (entries.empty())
    table.fail("input",
               "a [population] needs [[population.input]] tables: the inputs that vary between subjects, "
               "each a key (or factor) and a distribution (docs/STUDIES.md)");
  for (TableReader& entry : entries) list.inputs.push_back(read_input(entry, list.columns));
  if (std::optional<std::vector<double>> at = config::read_quantity_list_value(table, population_key("sensitivity_at")))
    plan.sensitivity_times_s = *at;
  table.reject_unknown_keys();
  std::set<std::size_t> seen;
  for (const PopulationInput& in : list.inputs)
    if (!seen.insert(in.column).second)
      table.fail("input", "two inputs vary \"" + list.columns[in.column].spec.key + "\"; give it one distribution");
  for (const PopulationInput& in : list.inputs) plan.distributions.push_back(in.distribution);
  list.samples =
      population::draw(plan.distributions, static_cast<int>(subjects), plan.seed, plan.sampling == "latin_hypercube");
  list.owned.reserve(list.samples.size() * list.inputs.size());  // the settings point into it
  for (std::size_t i = 0; i < list.samples.size(); ++i) {
    std::vector<const Setting*> settings;
    std::vector<std::pair<std::string, double>> factors;
    for (std::size_t j = 0; j < list.inputs.size(); ++j) {
      const PopulationInput& in = list.inputs[j];
      const double v = list.samples[i][j];
      if (in.factor) {
        factors.emplace_back(in.target, v);
        continue;
      }
      NodePtr value(in.unit.empty() ? static_cast<toml::node*>(new toml::value<double>(v))
                                    : new toml::value<std::string>(format_number(v) + " " + in.unit));
      list.owned.push_back({in.column, list.columns[in.column].path, std::move(value),
                            "population.input[" + std::to_string(j + 1) + "]", entries[j].line(), in.key_path});
      settings.push_back(&list.owned.back());
    }
    list.settings.push_back(settings);
    list.factors.push_back(factors);
    list.labels.push_back("subject " + std::to_string(i + 1));
  }
  return list;
}

// Reads and resolves every case as `poreflux run` would, and hashes what it ran.
void resolve_cases(const toml::table& document, const std::string& path, const CaseList& list, StudyPlan& plan,
                   const config::StudyResolver& resolve) {
  const std::size_t n = list.settings.size();
  std::string all_configs = plan.base_hash;
  for (std::size_t i = 0; i < n; ++i) {
    PlanCase c;
    c.index = i;
    c.id = case_id(i, n);
    c.label = list.labels[i];
    std::string config_text, intact_text;
    c.study = resolve_case(document, path, list.settings[i], list.factors[i], c.id + " (" + c.label + ")", &config_text,
                           &intact_text, resolve);
    c.config_hash = content_hash(config_text);
    c.baseline_id = "intact_" + content_hash(intact_text);
    all_configs += c.config_hash;
    plan.cases.push_back(std::move(c));
  }
  plan.plan_hash = content_hash(all_configs);
  if (plan.title.empty()) plan.title = plan.cases.front().study.title;
}

// The table's columns and each case's values in them: a sweep's keys (or the base config's
// value where a case does not set it), a population's drawn inputs.
void fill_table_columns(CaseList& list, const toml::table& base, StudyPlan& plan) {
  const std::size_t n = list.settings.size();
  for (Column& column : list.columns) {
    if (plan.kind == StudyKind::population) continue;  // numeric by construction
    std::vector<const toml::node*> values;
    for (std::size_t i = 0; i < n; ++i) {
      const toml::node* v = nullptr;
      for (const Setting* s : list.settings[i])
        if (&list.columns[s->column] == &column) v = s->value.get();
      if (!v) v = config::find_key(base, column.path);  // the base config's value, if it has one
      values.push_back(v);
    }
    classify(column, values);
    column.spec.description = "set by the sweep (" + column.spec.key + ")";
    for (std::size_t i = 0; i < n; ++i) {
      CaseValue value;
      if (values[i]) {
        value.text = config::value_text(*values[i]);
        if (column.spec.numeric) value.number = split_quantity(*values[i])->number;
      }
      plan.cases[i].values.push_back(value);
    }
  }
  if (plan.kind == StudyKind::population)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < list.inputs.size(); ++j) {
        const double v = list.samples[i][j];
        plan.cases[i].values.push_back(
            {format_number(v) + (list.inputs[j].unit.empty() ? "" : " " + list.inputs[j].unit), v});
      }
  for (const Column& column : list.columns) plan.columns.push_back(column.spec);
}

// The times the table and the sensitivity report at must be output times of every case, so
// that each column holds one time (not the nearest output of each case).
void check_report_times(const TableReader& root, StudyPlan& plan) {
  if (plan.kind == StudyKind::population && plan.sensitivity_times_s.empty())
    plan.sensitivity_times_s.push_back(plan.cases.front().study.protocol.duration_s);
  const std::string table_name = plan.kind == StudyKind::sweep ? "sweep" : "population";
  for (const auto& [times, key] :
       {std::pair<std::vector<double>*, const char*>{&plan.sensitivity_times_s, "sensitivity_at"},
        {&plan.report_times_s, "report_at"}}) {
    std::sort(times->begin(), times->end());
    for (std::size_t k = 0; k < times->size(); ++k) {
      const double t = (*times)[k];
      if (k > 0 && t == (*times)[k - 1])
        throw ConfigError(plan.source_file, root.line_of(table_name), table_name + "." + key,
                          "the time " + format_number(t / 3600.0) + " h is given twice");
      for (const PlanCase& c : plan.cases) {
        const std::vector<double>& out = c.study.protocol.output_times_s;
        const bool found = std::any_of(out.begin(), out.end(), [&](double o) {
          return std::abs(o - t) <= 1e-9 * std::max(1.0, c.study.protocol.duration_s);
        });
        if (!found)
          throw ConfigError(plan.source_file, root.line_of(table_name), table_name + "." + key,
                            format_number(t / 3600.0) + " h is not an output time of " + c.id + " (" + c.label +
                                ", which ends at " + format_number(c.study.protocol.duration_s / 3600.0) +
                                " h); give times that every case outputs (protocol.output_interval or output_times)");
      }
    }
  }
}


// A plan from its parsed document; `path` names it in messages and hashes.
StudyPlan study_plan_from_document(const toml::table& document, const std::string& path,
                                   const config::StudyResolver& resolve) {
  TableReader root(document, path, "", "at the top level");
  StudyPlan plan;
  read_plan_kind(document, root, path, plan);
  CaseList list = plan.kind == StudyKind::sweep ? expand_sweep(root, document, plan) : draw_population(root, plan);
  resolve_cases(document, path, list, plan, resolve);
  fill_table_columns(list, base_of(document), plan);
  check_report_times(root, plan);
  return plan;
}

}  // namespace

bool has_study_table(const std::string& path) {
  const toml::table document = config::read_toml_file(path);
  return document.contains("sweep") || document.contains("population");
}

StudyPlan config::read_study_plan_file(const std::string& path, const StudyResolver& resolve) {
  return study_plan_from_document(config::read_toml_file(path), path, resolve);
}

StudyPlan config::read_study_plan_text(const std::string& toml_text, const std::string& source_name,
                                       const StudyResolver& resolve) {
  return study_plan_from_document(config::parse_toml(toml_text, source_name), source_name, resolve);
}

}  // namespace poreflux
