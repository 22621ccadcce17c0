// Reads a measurement file of the qualification suite (data/measurements/README.md) with the
// same TableReader as a study config, so a mistake is named by file, line and key. The
// [study] table is read by the study reader itself; each endpoint's `set` is applied to a copy
// of it as a sweep case's values are (config_overlay).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "config_overlay.hpp"
#include "measurement.hpp"
#include "poreflux/config.hpp"
#include "study_document.hpp"
#include "table_reader.hpp"

namespace poreflux::qualify {

const std::vector<Quantity>& all_quantities() {
  static const std::vector<Quantity> all{Quantity::dislodgeable, Quantity::stratum_corneum,
                                         Quantity::epidermis,    Quantity::dermis,
                                         Quantity::skin,         Quantity::receptor,
                                         Quantity::absorbed,     Quantity::potentially_absorbable,
                                         Quantity::uptake,       Quantity::flux,
                                         Quantity::max_flux,     Quantity::kp};
  return all;
}

const char* quantity_name(Quantity q) {
  switch (q) {
    case Quantity::dislodgeable:
      return "dislodgeable";
    case Quantity::stratum_corneum:
      return "stratum_corneum";
    case Quantity::epidermis:
      return "epidermis";
    case Quantity::dermis:
      return "dermis";
    case Quantity::skin:
      return "skin";
    case Quantity::receptor:
      return "receptor";
    case Quantity::absorbed:
      return "absorbed";
    case Quantity::potentially_absorbable:
      return "potentially_absorbable";
    case Quantity::uptake:
      return "uptake";
    case Quantity::flux:
      return "flux";
    case Quantity::max_flux:
      return "max_flux";
    case Quantity::kp:
      return "kp";
  }
  return "?";
}

const char* unit_name(MeasuredUnit u) {
  switch (u) {
    case MeasuredUnit::percent_of_dose:
      return "%";
    case MeasuredUnit::ug_per_cm2:
      return "ug/cm2";
    case MeasuredUnit::ug_per_cm2_h:
      return "ug/cm2/h";
    case MeasuredUnit::cm_per_h:
      return "cm/h";
    case MeasuredUnit::ratio:
      return "1";
  }
  return "?";
}

namespace {

using config::TableReader;

// The units an endpoint may be given in, for each kind of quantity.
bool unit_fits(Quantity q, MeasuredUnit u, const std::string& scenario) {
  if (scenario == "treated/intact") return u == MeasuredUnit::ratio;
  switch (q) {
    case Quantity::flux:
    case Quantity::max_flux:
      return u == MeasuredUnit::ug_per_cm2_h;
    case Quantity::kp:
      return u == MeasuredUnit::cm_per_h;
    default:
      return u == MeasuredUnit::percent_of_dose || u == MeasuredUnit::ug_per_cm2;
  }
}

// "18.4 %", "0.7 ug/cm2", "2.3 ug/cm2/h", "1.6e-4 cm/h", "2.19" / "2.19 1": number and unit.
bool read_measured_text(const std::string& text, double* value, MeasuredUnit* unit) {
  std::size_t used = 0;
  try {
    *value = std::stod(text, &used);
  } catch (...) {
    return false;
  }
  std::string rest = text.substr(used);
  rest.erase(std::remove(rest.begin(), rest.end(), ' '), rest.end());
  static const std::map<std::string, MeasuredUnit> units{{"%", MeasuredUnit::percent_of_dose},
                                                         {"ug/cm2", MeasuredUnit::ug_per_cm2},
                                                         {"µg/cm2", MeasuredUnit::ug_per_cm2},
                                                         {"ug/cm2/h", MeasuredUnit::ug_per_cm2_h},
                                                         {"µg/cm2/h", MeasuredUnit::ug_per_cm2_h},
                                                         {"cm/h", MeasuredUnit::cm_per_h},
                                                         {"", MeasuredUnit::ratio},
                                                         {"1", MeasuredUnit::ratio}};
  const auto it = units.find(rest);
  if (it == units.end() || !std::isfinite(*value)) return false;
  *unit = it->second;
  return true;
}

const char* kMeasuredExample =
    "\"18.4 %\" (of the applied dose), \"0.7 ug/cm2\", \"2.3 ug/cm2/h\", \"1.6e-4 cm/h\" or \"2.19\" (a ratio)";

// A value from its TOML text as a --set writes it: a TOML value if it parses as one, else a string.
toml::table override_value(const std::string& text) {
  try {
    return toml::parse("v = " + text);
  } catch (const toml::parse_error&) {
    toml::table t;
    t.insert("v", text);
    return t;
  }
}

void apply_set(toml::table& study, const std::string& path_text, const toml::node& value, const TableReader& where,
               const std::string& key) {
  std::string why;
  const auto path = config::parse_key_path(path_text, &why);
  if (!path) where.fail(key, why);
  const std::string error = config::set_key(study, *path, value);
  if (!error.empty()) where.fail(key, "cannot set '" + path_text + "': " + error);
}

}  // namespace

MeasurementCase read_measurement(const std::string& path, const std::vector<std::string>& overrides,
                                 const config::StudyResolver& resolve) {
  const toml::table document = config::read_toml_file(path);
  TableReader root(document, path, "", "at the top level");
  MeasurementCase c;
  c.file = path;
  c.id = std::filesystem::path(path).stem().string();
  const std::string schema = root.required_string("schema", "\"poreflux-measurement/1\"");
  if (schema != "poreflux-measurement/1")
    root.fail("schema", "this reader knows schema \"poreflux-measurement/1\" (data/measurements/README.md), not \"" +
                            schema + "\"");
  c.title = root.required_string("title", "\"Testosterone in acetone, rhesus forearm in vivo: dose series\"");

  TableReader source = root.required_table(
      "source", "[source] reference = \"...\", read = \"primary\" or \"secondary\", read_in = \"...\"");
  c.reference = source.required_string("reference", "\"Wester RC, Maibach HI. J Invest Dermatol 1976;67:518\"");
  c.read = source.choice("read", {"primary", "secondary"}, "");
  if (c.read.empty())
    source.fail("read",
                "required key is missing: say whether the values were read in the paper itself "
                "(\"primary\") or only in a source that quotes it (\"secondary\")");
  c.read_in = source.required_string("read_in", "\"the paper's Table 2\" or \"EDETOX database, record 131\"");
  c.definition = source.optional_string("definition").value_or("");
  c.note = source.optional_string("note").value_or("");
  source.reject_unknown_keys();

  if (!root.holds_table("study"))
    root.fail("study",
              "required table is missing: [study] holds the study config as `poreflux run` reads it (docs/CONFIG.md)");
  const toml::table& base = *document["study"].as_table();
  root.has("study");

  // --set changes, applied to the base study of every file.
  toml::table base_with_overrides = base;
  for (const std::string& o : overrides) {
    const std::size_t eq = o.find('=');
    if (eq == std::string::npos)
      throw ConfigError("--set", 0, o, "a change is written key.path=value, e.g. skin.hydration=partial");
    const toml::table v = override_value(o.substr(eq + 1));
    std::string why;
    const auto key = config::parse_key_path(o.substr(0, eq), &why);
    if (!key) throw ConfigError("--set", 0, o, why);
    const std::string error = config::set_key(base_with_overrides, *key, *v.get("v"));
    if (!error.empty()) throw ConfigError("--set", 0, o, error);
  }

  const auto endpoints = root.optional_table_array("endpoint");
  if (!endpoints || endpoints->empty())
    root.fail("endpoint", "required key is missing: at least one [[endpoint]] with label, quantity, time and measured");
  std::map<std::string, std::size_t> run_of_set;
  std::vector<std::vector<double>> extra_times;
  for (TableReader e : *endpoints) {
    Endpoint ep;
    ep.line = e.line();
    ep.label = e.required_string("label", "\"4 ug/cm2\"");
    for (const Endpoint& other : c.endpoints)
      if (other.label == ep.label)
        e.fail("label", "the label \"" + ep.label + "\" is used twice in this file; labels name endpoints");
    std::vector<std::string_view> names;
    for (Quantity q : all_quantities()) names.push_back(quantity_name(q));
    const std::string quantity = e.required_string("quantity", "\"absorbed\"");
    bool known = false;
    for (Quantity q : all_quantities())
      if (quantity == quantity_name(q)) ep.quantity = q, known = true;
    if (!known) {
      std::string list;
      for (Quantity q : all_quantities()) list += std::string(list.empty() ? "" : ", ") + quantity_name(q);
      e.fail("quantity", "unknown quantity \"" + quantity + "\"; valid: " + list + " (data/measurements/README.md)");
    }
    ep.scenario = e.choice("scenario", {"intact", "treated", "treated/intact"}, "intact");
    ep.time_s = e.required_quantity("time", Dimension::time, config::Bounds::positive());
    const std::string measured = e.required_string("measured", kMeasuredExample);
    if (!read_measured_text(measured, &ep.measured, &ep.unit))
      e.fail("measured", "cannot read \"" + measured + "\" as a measured value; write it as " + kMeasuredExample);
    if (!(ep.measured > 0.0))
      e.fail("measured", "a measured value must be > 0 to be scored as a fold error; got " + measured);
    if (!unit_fits(ep.quantity, ep.unit, ep.scenario))
      e.fail("measured", std::string("\"") + measured + "\" is not in a unit of " + quantity_name(ep.quantity) +
                             (ep.scenario == "treated/intact" ? " as a treated/intact ratio (a plain number)"
                              : ep.quantity == Quantity::flux || ep.quantity == Quantity::max_flux ? " (ug/cm2/h)"
                              : ep.quantity == Quantity::kp                                        ? " (cm/h)"
                                                            : " (% of the dose or ug/cm2)"));
    if (auto spread = e.optional_string("spread")) {
      double value = 0.0;
      MeasuredUnit unit{};
      if (!read_measured_text(*spread, &value, &unit) || unit != ep.unit || value < 0.0)
        e.fail("spread", "cannot read \"" + *spread + "\" as a spread in the unit of `measured` (" +
                             unit_name(ep.unit) + "), >= 0");
      ep.spread = value;
    }
    ep.peer_predictions = e.optional_string("peer_predictions").value_or("");

    toml::table study = base_with_overrides;
    if (e.holds_table("set")) {
      e.has("set");
      const toml::table& set =
          *document["endpoint"].as_array()->at(c.endpoints.size()).as_table()->get("set")->as_table();
      for (const auto& [key, value] : set) {
        apply_set(study, std::string(key.str()), value, e, "set");
        ep.set_text += (ep.set_text.empty() ? "" : ", ") + std::string(key.str()) + " = " + config::value_text(value);
      }
    } else if (e.has("set")) {
      e.fail("set",
             "`set` is a table of key paths and values, e.g. set = { \"vehicle.dose_per_area\" = \"40 ug/cm2\" }");
    }
    e.reject_unknown_keys();

    const auto found = run_of_set.find(ep.set_text);
    if (found == run_of_set.end()) {
      CaseRun run;
      run.set_text = ep.set_text;
      run.study = config::parse_study_document(study, path, "", resolve);
      ep.run = c.runs.size();
      run_of_set[ep.set_text] = c.runs.size();
      c.runs.push_back(std::move(run));
      extra_times.emplace_back();
    } else {
      ep.run = found->second;
    }
    Study& s = c.runs[ep.run].study;
    if (ep.time_s > s.protocol.duration_s * (1.0 + 1e-12))
      e.fail("time", "the endpoint's time is after the end of the study (" +
                         std::to_string(s.protocol.duration_s / 3600.0) + " h)");
    if (ep.scenario != "intact" && !s.treatment)
      e.fail("scenario", "\"" + ep.scenario + "\" needs a [study.treatment]: the study has no treated scenario");
    if ((ep.quantity == Quantity::kp) && s.vehicle.mode != DoseMode::infinite)
      e.fail("quantity",
             "kp is the flux over the donor concentration of an infinite dose; this study's dose is finite");
    extra_times[ep.run].push_back(std::min(ep.time_s, s.protocol.duration_s));
    c.endpoints.push_back(std::move(ep));
  }
  root.reject_unknown_keys();

  // Each endpoint is read at an output time of its own, never interpolated.
  for (std::size_t r = 0; r < c.runs.size(); ++r) {
    std::vector<double>& times = c.runs[r].study.protocol.output_times_s;
    for (double t : extra_times[r]) times.push_back(t);
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end(),
                            [](double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, b); }),
                times.end());
  }
  return c;
}

}  // namespace poreflux::qualify
