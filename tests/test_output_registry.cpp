// The output registry (include/poreflux/outputs.hpp) drives every place a scalar output is
// reported: a run of the default study must show each registered output, with one value, in the
// JSON summary, the HDF5 summary attributes, the CSV export, the printed summary and
// `poreflux layout --json`. A new output that one of them missed fails here.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli_fixture.hpp"
#include "io/h5_handles.hpp"
#include "poreflux/outputs.hpp"

namespace poreflux::testing {
namespace {

// The cells of a one-row CSV file, by header.
std::vector<std::pair<std::string, std::string>> csv_row(const std::string& text) {
  std::istringstream in(text);
  std::string header, row;
  std::getline(in, header);
  std::getline(in, row);
  auto split = [](const std::string& line) {
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      else if (c == ',' && !quoted) cells.push_back(cell), cell.clear();
      else cell += c;
    }
    cells.push_back(cell);
    return cells;
  };
  const std::vector<std::string> names = split(header), values = split(row);
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) out.emplace_back(names[i], values[i]);
  return out;
}

const std::string* cell(const std::vector<std::pair<std::string, std::string>>& row, const std::string& name) {
  for (const auto& [n, v] : row)
    if (n == name) return &v;
  return nullptr;
}

void expect_same(double a, double b, const std::string& what) {
  if (std::isnan(a) || std::isnan(b)) {
    EXPECT_TRUE(std::isnan(a) && std::isnan(b)) << what << ": " << a << " vs " << b;
    return;
  }
  EXPECT_NEAR(a, b, 1e-12 * std::max(1.0, std::abs(b))) << what;
}

// The names the files have always used: the registry's spelling must keep them.
TEST(OutputRegistry, KeyedNamesKeepTheSummarySpelling) {
  std::vector<std::string> keys;
  for (const ScalarOutput& o : scalar_outputs()) keys.push_back(keyed_name(o));
  for (const char* expected : {"uptake_fraction", "dermal_delivery_fraction", "cumulative_permeated_ug_per_cm2",
                               "flux_max_ug_per_cm2_h", "t_flux_max_h", "lag_time_h", "mass_balance_error"})
    EXPECT_NE(std::find(keys.begin(), keys.end(), expected), keys.end()) << expected;
}

// Every reporting entry names a registered output; a series over time names an OECD category;
// a ratio in the table or at report times needs that series; every ratio reads as a fraction of
// the dose (the scale its floor is on).
TEST(OutputRegistry, ReportingEntriesAreConsistent) {
  for (const OutputReporting& r : output_reporting()) {
    SCOPED_TRACE(r.output);
    const ScalarOutput& o = scalar_output(r.output);
    if (r.category) {
      bool known = false;
      for (const ReportedCategory& c : oecd_categories()) known |= std::string(c.name) == r.category;
      EXPECT_TRUE(known) << r.category;
      EXPECT_EQ(std::string(o.unit), "1") << "a category's share of the dose is dimensionless";
    }
    if (r.enhancement_in_table || r.enhancement_at_report_times) {
      EXPECT_NE(r.enhancement_key, nullptr);
      EXPECT_NE(r.category, nullptr) << "table and population ratios are taken of the series over time";
    }
    if (r.enhancement_key) EXPECT_FALSE(std::isnan(as_fraction_of_dose(o, 2.0, 4.0, 24.0)));
  }
  EXPECT_THROW(scalar_output("no_such_output"), std::invalid_argument);
}

// The time to 1 % of the dose absorbed: interpolated between output times, absent (with its
// note) when the absorbed amount never gets there.
TEST(OutputRegistry, TimeToOnePercentAbsorbed) {
  const ScalarOutput& o = scalar_output("t_absorbed_1pct");
  EXPECT_EQ(keyed_name(o), "t_absorbed_1pct_h");
  ScenarioResult s;
  s.total_dose_ug_per_cm2 = 100.0;  // 1 % = 1 ug/cm2
  s.times_s = {0.0, 3600.0, 7200.0, 10800.0};
  s.permeated_ug_per_cm2 = {0.0, 0.5, 1.5, 3.0};  // crosses 1 halfway through the second hour
  EXPECT_NEAR(o.value(s), 1.5, 1e-12);
  EXPECT_NE(o.note(s).find("interpolation"), std::string::npos);
  s.permeated_ug_per_cm2 = {0.0, 0.2, 0.5, 0.9};
  EXPECT_TRUE(std::isnan(o.value(s)));
  EXPECT_NE(o.note(s).find("below 1 %"), std::string::npos);
}

class OutputRegistryRun : public Cli {};

TEST_F(OutputRegistryRun, EveryOutputIsInTheJsonTheHdf5TheCsvThePrintoutAndTheLayout) {
  const std::string config = std::string(POREFLUX_SOURCE_DIR) + "/configs/default.toml";
  const auto o = run("run " + quote(config) + " -o s.h5 --backend cpu --summary-json s.json");
  ASSERT_EQ(o.code, 0) << o.output;
  ASSERT_EQ(run("export s.h5 --csv csv -q").code, 0);
  const auto verbose = run("run " + quote(config) + " -o v.h5 --backend cpu --verbose");  // every row
  ASSERT_EQ(verbose.code, 0) << verbose.output;
  const auto layout = run("layout --json");
  ASSERT_EQ(layout.code, 0) << layout.output;
  const nlohmann::json j = nlohmann::json::parse(read_file(dir / "s.json"));
  const nlohmann::json l = nlohmann::json::parse(layout.output);
  const h5::File file = h5::File::open_read((dir / "s.h5").string());
  const h5::Group summary = file.root().open_group("scenarios/intact/summary");
  const auto csv = csv_row(read_file(dir / "csv" / "intact_summary.csv"));
  for (const ScalarOutput& out : scalar_outputs()) {
    const std::string key = keyed_name(out);
    SCOPED_TRACE(key);
    const nlohmann::json& value = j.at("scenarios").at("intact").at(key);
    const double from_json = value.is_null() ? NAN : value.get<double>();
    ASSERT_TRUE(summary.has_attr(key));
    expect_same(summary.read_attr_double(key), from_json, "HDF5 attribute vs JSON");
    const std::string* text = cell(csv, std::string(out.name) + " [" + out.unit + "]");
    ASSERT_NE(text, nullptr) << "no CSV column";
    expect_same(text->empty() || *text == "nan" || *text == "NaN" ? NAN : std::stod(*text), from_json, "CSV vs JSON");
    EXPECT_NE((out.first_screen ? o : verbose).output.find("\n  " + std::string(out.label)), std::string::npos)
        << "no printed row";
    bool listed = false;
    for (const auto& e : l.at("scalar_outputs")) listed |= e.at("key") == key && e.at("unit") == out.unit;
    EXPECT_TRUE(listed) << "not in `poreflux layout --json`";
  }
  // t_absorbed_1pct: the permeated series stays below 1 % of the dose before it and reaches it
  // at the next output time.
  const h5::Group intact = file.root().open_group("scenarios/intact");
  const std::vector<double> t_h = intact.read_1d("time_h"), q = intact.read_1d("permeated");
  const double dose = j.at("applied_ug_per_cm2").get<double>();
  const nlohmann::json& t1 = j.at("scenarios").at("intact").at("t_absorbed_1pct_h");
  for (std::size_t k = 0; k < t_h.size(); ++k) {
    if (t1.is_null() || t_h[k] < t1.get<double>()) EXPECT_LT(q[k], 0.01 * dose) << t_h[k];
    else if (k > 0 && t_h[k - 1] < t1.get<double>()) EXPECT_GE(q[k], 0.01 * dose) << t_h[k];
  }
  // flux_at_end is the last value of the flux series.
  const std::vector<double> flux = file.root().open_group("scenarios/intact").read_1d("flux");
  ASSERT_FALSE(flux.empty());
  EXPECT_EQ(j.at("scenarios").at("intact").at("flux_at_end_ug_per_cm2_h").get<double>(), flux.back());
}

// Every output with an enhancement key has its ratio in the JSON "enhancement" block (a number,
// treated / intact of the scenarios' own values, or null with a note) and in the printed line.
TEST_F(OutputRegistryRun, EveryEnhancementIsInTheJsonAndThePrintout) {
  const std::string config = std::string(POREFLUX_SOURCE_DIR) + "/tests/data/treated_small.toml";
  const auto o = run("run " + quote(config) + " -o t.h5 --backend cpu --summary-json t.json");
  ASSERT_EQ(o.code, 0) << o.output;
  const nlohmann::json j = nlohmann::json::parse(read_file(dir / "t.json"));
  const nlohmann::json& e = j.at("enhancement");
  const std::size_t line = o.output.find("Enhancement (treated / intact):");
  ASSERT_NE(line, std::string::npos);
  const std::string printed = o.output.substr(line, o.output.find('\n', line) - line);
  for (const OutputReporting& r : output_reporting()) {
    if (!r.enhancement_key) continue;
    SCOPED_TRACE(r.enhancement_key);
    EXPECT_NE(printed.find(std::string(r.words) + ' '), std::string::npos) << printed;
    const nlohmann::json& value = e.at(r.enhancement_key);
    if (value.is_null()) {
      EXPECT_TRUE(e.contains(std::string(r.enhancement_key) + "_note"));
      continue;
    }
    const std::string key = keyed_name(scalar_output(r.output));
    const double treated = j.at("scenarios").at("treated").at(key).get<double>();
    const double intact = j.at("scenarios").at("intact").at(key).get<double>();
    EXPECT_NEAR(value.get<double>(), treated / intact, 1e-9 * std::abs(treated / intact));
  }
}

}  // namespace
}  // namespace poreflux::testing
