// Studies of many cases (docs/STUDIES.md): the plan a [sweep] or [population] makes, the
// sampling and sensitivity measures, and `poreflux sweep` / `merge` as a user runs them: a
// sweep equals its cases run one by one, a sweep killed with SIGKILL resumes without redoing or
// losing a case, shards merged equal the unsharded sweep, a population is reproducible from its
// seed and its sensitivity ranks first the input built to dominate.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <thread>

#include "cli_fixture.hpp"
#include "population/sampling.hpp"
#include "population/sensitivity.hpp"
#include "poreflux/config.hpp"
#include "poreflux/sweep.hpp"

namespace poreflux::testing {
namespace {

// Intact skin in vitro, three layers, 4 h: a few hundredths of a second per case.
const char* const kBase = R"(title = "study test"
[compound]
name = "caffeine"
[vehicle]
concentration = "10 mg/mL"
volume_per_area = "5 uL/cm2"
[[layer]]
name = "stratum_corneum"
thickness = "15 um"
max_cell = "1.5 um"
[[layer]]
name = "viable_epidermis"
thickness = "80 um"
max_cell = "10 um"
[[layer]]
name = "dermis"
thickness = "1 mm"
max_cell = "100 um"
[protocol]
duration = "4 h"
output_interval = "1 h"
[numerics]
backend = "cpu"
)";

// The same skin with dermaroller channels on an axisymmetric cell: about half a second a case.
const char* const kTreatment = R"(
[treatment]
device = "dermaroller"
needle_length = "0.5 mm"
domain = "axisymmetric"
)";

const char* const kGrid = R"(
[sweep]
[[sweep.axis]]
key = "vehicle.concentration"
values = ["5 mg/mL", "10 mg/mL", "20 mg/mL"]
[[sweep.axis]]
key = "layer[1].thickness"
from = 10
to = 20
steps = 2
unit = "um"
)";

// A CSV with a header; quoted fields as the writer quotes them.
struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::size_t column(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return i;
    ADD_FAILURE() << "no column '" << name << "'";
    return 0;
  }
  double number(std::size_t row, const std::string& name) const { return std::stod(rows.at(row).at(column(name))); }
};

Csv read_csv(const fs::path& path) {
  Csv csv;
  std::istringstream in(read_file(path));
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (quoted) {
        if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') field += '"', ++i;
        else if (c == '"') quoted = false;
        else field += c;
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.push_back(field);
        field.clear();
      } else {
        field += c;
      }
    }
    fields.push_back(field);
    if (first) csv.header = fields;
    else csv.rows.push_back(fields);
    first = false;
  }
  return csv;
}

// Every numeric field equal within `rtol`, every text field identical.
void expect_same_table(const Csv& a, const Csv& b, double rtol) {
  ASSERT_EQ(a.header, b.header);
  ASSERT_EQ(a.rows.size(), b.rows.size());
  for (std::size_t r = 0; r < a.rows.size(); ++r)
    for (std::size_t c = 0; c < a.header.size(); ++c) {
      const std::string& x = a.rows[r][c];
      const std::string& y = b.rows[r][c];
      char* end = nullptr;
      const double fx = std::strtod(x.c_str(), &end);
      if (!x.empty() && *end == '\0') {
        const double fy = std::stod(y);
        if (std::isnan(fx) || std::isnan(fy)) EXPECT_EQ(std::isnan(fx), std::isnan(fy)) << a.header[c] << " row " << r;
        else EXPECT_NEAR(fx, fy, rtol * std::max(1e-300, std::abs(fx))) << a.header[c] << " row " << r;
      } else {
        EXPECT_EQ(x, y) << a.header[c] << " row " << r;
      }
    }
}

class Studies : public Cli {};

// ---- the plan ----------------------------------------------------------------------------

TEST_F(Studies, GridPlanHasEveryCombinationWithItsValuesInTheStudy) {
  write_file(dir / "grid.toml", std::string(kBase) + kGrid);
  const StudyPlan plan = load_study_plan((dir / "grid.toml").string());
  ASSERT_EQ(plan.cases.size(), 6u);
  ASSERT_EQ(plan.columns.size(), 2u);
  EXPECT_EQ(plan.columns[0].key, "vehicle.concentration");
  EXPECT_TRUE(plan.columns[0].numeric);
  EXPECT_EQ(plan.columns[0].unit, "mg/mL");
  EXPECT_EQ(plan.columns[1].unit, "um");
  // The first axis varies slowest; each case's study holds its values.
  const double concentration[] = {5, 5, 10, 10, 20, 20};
  const double thickness[] = {10, 20, 10, 20, 10, 20};
  for (std::size_t i = 0; i < 6; ++i) {
    const PlanCase& c = plan.cases[i];
    EXPECT_EQ(c.values[0].number, concentration[i]);
    EXPECT_EQ(c.values[1].number, thickness[i]);
    EXPECT_NEAR(c.study.vehicle.concentration_ug_per_cm3, concentration[i] * 1000.0, 1e-9);
    EXPECT_NEAR(c.study.layers[0].thickness_cm, thickness[i] * 1e-4, 1e-15);
  }
  EXPECT_EQ(plan.cases[3].label, "concentration=10 mg/mL, thickness=20 um");
  EXPECT_EQ(plan.cases[3].id, "case_0004");
  // Intact skin only: every case is its own intact setting.
  EXPECT_NE(plan.cases[0].baseline_id, plan.cases[1].baseline_id);
}

TEST_F(Studies, TreatedCasesThatDifferOnlyInTheTreatmentShareOneBaseline) {
  write_file(dir / "t.toml", std::string(kBase) + kTreatment + R"(
[sweep]
[[sweep.axis]]
key = "treatment.needle_length"
from = 0.25
to = 1.0
steps = 3
scale = "log"
unit = "mm"
[[sweep.case]]
label = "5 mg/mL"
set = { "vehicle.concentration" = "5 mg/mL" }
[[sweep.case]]
set = { "vehicle.concentration" = "20 mg/mL" }
)");
  const StudyPlan plan = load_study_plan((dir / "t.toml").string());
  ASSERT_EQ(plan.cases.size(), 6u);  // 2 cases x 3 needle lengths
  EXPECT_EQ(plan.cases[0].baseline_id, plan.cases[2].baseline_id);
  EXPECT_NE(plan.cases[0].baseline_id, plan.cases[3].baseline_id);
  EXPECT_NEAR(plan.cases[1].study.treatment->needle_length_cm.value(), 0.05,
              1e-9);  // geometric middle of 0.25 and 1 mm
  EXPECT_EQ(plan.cases[0].label, "5 mg/mL, needle_length=0.25 mm");
  EXPECT_EQ(plan.cases[4].label, "concentration=20 mg/mL, needle_length=0.5 mm");
}

TEST_F(Studies, ZipTakesTheAxesTogether) {
  write_file(dir / "z.toml", std::string(kBase) + R"(
[sweep]
combine = "zip"
[[sweep.axis]]
key = "compound.name"
values = ["caffeine", "niacinamide"]
[[sweep.axis]]
key = "vehicle.ph"
values = [6.0, 6.5]
)");
  const StudyPlan plan = load_study_plan((dir / "z.toml").string());
  ASSERT_EQ(plan.cases.size(), 2u);
  EXPECT_FALSE(plan.columns[0].numeric);
  EXPECT_EQ(plan.cases[1].study.compound.name, "niacinamide");
  EXPECT_EQ(plan.cases[1].study.vehicle.ph, 6.5);
}

struct BadPlan {
  const char* name;
  const char* sweep;
  const char* expected;  // in the message
  int line;              // of the config (counted in the base + sweep text); 0: don't check
};

void PrintTo(const BadPlan& bad, std::ostream* out) { *out << bad.name; }

class BadPlans : public Studies, public ::testing::WithParamInterface<BadPlan> {};

TEST_P(BadPlans, AreRefusedNamingTheEntry) {
  const BadPlan& bad = GetParam();
  const std::string text = std::string(kBase) + bad.sweep;
  write_file(dir / "bad.toml", text);
  try {
    (void)load_study_plan((dir / "bad.toml").string());
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(bad.expected), std::string::npos) << e.what();
    if (bad.line) {
      const int base_lines = static_cast<int>(std::count(kBase, kBase + std::strlen(kBase), '\n'));
      EXPECT_EQ(e.line(), base_lines + bad.line) << e.what();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Sweep, BadPlans,
    ::testing::Values(
        BadPlan{"unknown_key", "[sweep]\n[[sweep.axis]]\nkey = \"vehicle.concentrashun\"\nvalues = [\"1 mg/mL\"]\n",
                "concentrashun", 0},
        BadPlan{"bad_value",
                "[sweep]\n[[sweep.axis]]\nkey = \"vehicle.concentration\"\nvalues = [\"1 mg/mL\",\n \"-3 mg/mL\"]\n",
                "case_0002", 5},
        BadPlan{"bad_unit", "[sweep]\n[[sweep.axis]]\nkey = \"layer[1].thickness\"\nvalues = [\"15 kg\"]\n",
                "case_0001", 4},
        BadPlan{"no_such_layer", "[sweep]\n[[sweep.axis]]\nkey = \"layer[7].thickness\"\nvalues = [\"15 um\"]\n",
                "has 3 [[layer]] tables", 4},
        BadPlan{"key_path", "[sweep]\n[[sweep.axis]]\nkey = \"layer[].thickness\"\nvalues = [\"15 um\"]\n",
                "not a key path", 3},
        BadPlan{"zip_lengths",
                "[sweep]\ncombine = \"zip\"\n[[sweep.axis]]\nkey = \"vehicle.ph\"\nvalues = [5, 6]\n"
                "[[sweep.axis]]\nkey = \"vehicle.concentration\"\nvalues = [\"1 mg/mL\"]\n",
                "same number of values", 2},
        BadPlan{"empty", "[sweep]\n", "needs [[sweep.axis]]", 0},
        BadPlan{"unknown_sweep_key", "[sweep]\nfoo = 1\n[[sweep.axis]]\nkey = \"vehicle.ph\"\nvalues = [5]\n", "foo",
                2},
        BadPlan{"both", "[sweep]\n[[sweep.axis]]\nkey = \"vehicle.ph\"\nvalues = [5]\n[population]\nsubjects = 4\n",
                "either a [sweep] or a [population]", 0},
        BadPlan{"self", "[sweep]\n[[sweep.axis]]\nkey = \"sweep.combine\"\nvalues = [\"zip\"]\n", "its own", 3},
        BadPlan{"log_range",
                "[sweep]\n[[sweep.axis]]\nkey = \"vehicle.ph\"\nfrom = 0\nto = 6\nsteps = 3\nscale = \"log\"\n",
                "from > 0", 4},
        BadPlan{"population_distribution",
                "[population]\nsubjects = 8\n[[population.input]]\nkey = \"vehicle.ph\"\ndistribution = \"lognormal\"\n"
                "median = 5\ngsd = 0.5\n",
                "gsd", 7},
        BadPlan{"population_truncation",
                "[population]\nsubjects = 8\n[[population.input]]\nkey = \"vehicle.ph\"\nmean = 5\nsd = 0.1\n"
                "lower = 7\nupper = 8\n",
                "no probability", 0},
        BadPlan{"report_not_an_output_time",
                "[sweep]\nreport_at = [\"1.5 h\"]\n[[sweep.axis]]\nkey = \"vehicle.ph\"\nvalues = [5]\n",
                "not an output time of case_0001", 0},
        BadPlan{"report_twice",
                "[sweep]\nreport_at = [\"1 h\", \"60 min\"]\n[[sweep.axis]]\nkey = \"vehicle.ph\"\nvalues = [5]\n",
                "given twice", 0},
        BadPlan{"case_and_axis_on_one_key",
                "[sweep]\n[[sweep.axis]]\nkey = \"vehicle.ph\"\nvalues = [5]\n[[sweep.case]]\nset = { \"vehicle.ph\" = "
                "6 }\n",
                "not both", 6},
        BadPlan{"same_key_written_two_ways",
                "[sweep]\n[[sweep.axis]]\nkey = \"layer[1].thickness\"\nvalues = [\"15 um\"]\n"
                "[[sweep.axis]]\nkey = \"layer[01].thickness\"\nvalues = [\"16 um\"]\n",
                "two axes set the key", 0},
        BadPlan{"population_factor_uniform_below_zero",
                "[population]\nsubjects = 8\n[[population.input]]\nfactor = \"stratum_corneum.diffusivity\"\n"
                "distribution = \"uniform\"\nmin = -1\nmax = 2\n",
                "stay > 0", 0},
        BadPlan{"range_steps", "[sweep]\n[[sweep.axis]]\nkey = \"vehicle.ph\"\nfrom = 4\nto = 6\nsteps = 1\n", "steps",
                6},
        BadPlan{"range_scale",
                "[sweep]\n[[sweep.axis]]\nkey = \"vehicle.ph\"\nfrom = 4\nto = 6\nsteps = 3\nscale = \"cubic\"\n",
                "scale", 7},
        BadPlan{"values_and_range", "[sweep]\n[[sweep.axis]]\nkey = \"vehicle.ph\"\nvalues = [5]\nfrom = 4\n",
                "not both", 5},
        BadPlan{"combine", "[sweep]\ncombine = \"cross\"\n[[sweep.axis]]\nkey = \"vehicle.ph\"\nvalues = [5]\n",
                "combine", 2},
        BadPlan{"population_subjects",
                "[population]\nsubjects = 2\n[[population.input]]\nkey = \"vehicle.ph\"\nmean = 5\nsd = 0.1\n",
                "subjects", 2},
        BadPlan{
            "population_seed",
            "[population]\nsubjects = 8\nseed = -1\n[[population.input]]\nkey = \"vehicle.ph\"\nmean = 5\nsd = 0.1\n",
            "seed", 3},
        BadPlan{"population_sampling",
                "[population]\nsubjects = 8\nsampling = \"sobol\"\n[[population.input]]\nkey = \"vehicle.ph\"\nmean = "
                "5\nsd = 0.1\n",
                "sampling", 3},
        BadPlan{"population_sensitivity_at",
                "[population]\nsubjects = 8\nsensitivity_at = [\"2.5 h\"]\n[[population.input]]\nkey = "
                "\"vehicle.ph\"\nmean = 5\nsd = 0.1\n",
                "not an output time", 0},
        BadPlan{"population_unknown_distribution",
                "[population]\nsubjects = 8\n[[population.input]]\nkey = \"vehicle.ph\"\ndistribution = \"gamma\"\n",
                "distribution", 5},
        BadPlan{"population_no_inputs", "[population]\nsubjects = 8\n", "population.input", 0},
        BadPlan{"population_factor",
                "[population]\nsubjects = 8\n[[population.input]]\nfactor = \"stratum_corneum.diffusivty\"\n"
                "distribution = \"lognormal\"\nmedian = 1\ngsd = 2\n",
                "unknown factor target", 4}),
    [](const ::testing::TestParamInfo<BadPlan>& info) { return std::string(info.param.name); });

TEST_F(Studies, RunRefusesASweepConfigAndPointsToSweep) {
  write_file(dir / "grid.toml", std::string(kBase) + kGrid);
  const Outcome o = run("run grid.toml");
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.output.find("poreflux sweep"), std::string::npos) << o.output;
}

// ---- sampling and sensitivity ----------------------------------------------------------------

TEST(PopulationSampling, LatinHypercubeUsesEveryStratumOnceAndIsReproducible) {
  Distribution uniform;
  uniform.kind = Distribution::Kind::uniform;
  uniform.a = 0.0;
  uniform.b = 1.0;
  Distribution normal;
  normal.a = 10.0;
  normal.b = 2.0;
  const int n = 50;
  const auto a = population::draw({uniform, normal}, n, 42, true);
  const auto b = population::draw({uniform, normal}, n, 42, true);
  const auto c = population::draw({uniform, normal}, n, 43, true);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  std::vector<int> per_stratum(n, 0);
  for (const auto& s : a) ++per_stratum[static_cast<std::size_t>(std::floor(s[0] * n))];
  for (int count : per_stratum) EXPECT_EQ(count, 1);
  // Normal: stratified, so the sample mean is far closer to 10 than a random sample's sd/sqrt(n) = 0.28.
  double mean = 0.0;
  for (const auto& s : a) mean += s[1] / n;
  EXPECT_NEAR(mean, 10.0, 0.05);
}

TEST(PopulationSampling, QuantilesOfTheDistributionsAndTheirTruncation) {
  Distribution lognormal;
  lognormal.kind = Distribution::Kind::lognormal;
  lognormal.a = 15.0;
  lognormal.b = 1.5;
  EXPECT_NEAR(population::quantile(lognormal, 0.5), 15.0, 1e-12);
  EXPECT_NEAR(population::quantile(lognormal, 0.8413447460685429), 22.5, 1e-9);  // +1 sd of ln x
  lognormal.lower = 12.0;
  lognormal.upper = 20.0;
  for (double u : {1e-9, 0.1, 0.5, 0.9, 1.0 - 1e-12}) {
    const double x = population::quantile(lognormal, u);
    EXPECT_GE(x, 12.0);
    EXPECT_LE(x, 20.0);
  }
  Distribution normal;
  normal.a = 0.0;
  normal.b = 1.0;
  EXPECT_NEAR(population::quantile(normal, 0.975), 1.959963984540054, 1e-12);
}

TEST(Sensitivity, RankCorrelationsOfKnownRelations) {
  const std::vector<double> x{1, 2, 3, 4, 5, 6};
  EXPECT_NEAR(population::spearman(x, {1, 8, 27, 64, 125, 216}), 1.0, 1e-15);  // monotone, not linear
  EXPECT_NEAR(population::spearman(x, {6, 5, 4, 3, 2, 1}), -1.0, 1e-15);
  EXPECT_EQ(population::ranks({3, 1, 3, 2}), (std::vector<double>{3.5, 1, 3.5, 2}));
  EXPECT_NEAR(population::percentile({1, 2, 3, 4}, 50), 2.5, 1e-15);
  EXPECT_NEAR(population::percentile({1, 2, 3, 4, 5}, 5), 1.2, 1e-15);
  // y driven by a strongly, b weakly, c not at all: PRCC orders them, and b's small but real
  // effect shows once a's is removed.
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> a, b, c, y;
  for (int i = 0; i < 200; ++i) {
    a.push_back(u(rng));
    b.push_back(u(rng));
    c.push_back(u(rng));
    y.push_back(std::exp(5.0 * a.back()) + 3.0 * b.back());
  }
  const std::vector<double> prcc = population::partial_rank_correlations({a, b, c}, y);
  EXPECT_GT(prcc[0], 0.95);
  EXPECT_GT(prcc[1], 0.5);
  EXPECT_LT(std::abs(prcc[2]), 0.2);
  EXPECT_LT(std::abs(population::spearman(b, y)), prcc[1]);
}

TEST(Sensitivity, SubjectsWithoutANumberAreLeftOutAndAConstantOutputHasNoCorrelation) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> x{1, 2, 3, 4, 5, 6};
  // NaN would otherwise be ranked by subject order and correlate with the subject index.
  EXPECT_TRUE(std::isnan(population::spearman(x, std::vector<double>(6, nan))));
  EXPECT_NEAR(population::spearman(x, {nan, 2, 3, 4, 5, nan}), 1.0, 1e-15);
  EXPECT_NEAR(population::partial_rank_correlations({x}, {nan, 2, 3, 4, 5, nan})[0], 1.0, 1e-12);
  EXPECT_TRUE(std::isnan(population::spearman(x, std::vector<double>(6, 0.25))));
  const std::vector<double> other{3, 1, 6, 2, 5, 4};
  for (double r : population::partial_rank_correlations({x, other}, std::vector<double>(6, 0.25)))
    EXPECT_TRUE(std::isnan(r)) << r;
}

// ---- poreflux sweep / merge ----------------------------------------------------------------

TEST_F(Studies, SweepEqualsItsCasesRunOneByOne) {
  write_file(dir / "grid.toml", std::string(kBase) + kGrid);
  const Outcome sweep = run("sweep grid.toml -o grid.h5");
  ASSERT_EQ(sweep.code, 0) << sweep.output;
  const Csv table = read_csv(dir / "grid.csv");
  ASSERT_EQ(table.rows.size(), 6u);  // 6 cases x intact
  EXPECT_FALSE(fs::exists(dir / "grid.h5.parts")) << "the parts are removed once assembled";
  for (std::size_t i : {0u, 5u}) {
    // The case as a single config: the base with the case's values written in.
    std::string text = kBase;
    const std::string concentration = table.rows[i][table.column("vehicle.concentration [mg/mL]")];
    const std::string thickness = table.rows[i][table.column("layer[1].thickness [um]")];
    text.replace(text.find("concentration = \"10 mg/mL\""), 26, "concentration = \"" + concentration + " mg/mL\"");
    text.replace(text.find("thickness = \"15 um\""), 19, "thickness = \"" + thickness + " um\"");
    write_file(dir / "one.toml", text);
    const Outcome one = run("run one.toml -o one.h5 --summary-json one.json --force -q");
    ASSERT_EQ(one.code, 0) << one.output;
    const std::string json = read_file(dir / "one.json");
    const std::size_t at = json.find("\"uptake_fraction\"");
    ASSERT_NE(at, std::string::npos);
    const double uptake = std::stod(json.substr(json.find(':', at) + 1));
    EXPECT_NEAR(table.number(i, "uptake_fraction [1]"), uptake, 1e-9 * uptake) << "case " << i;
  }
  EXPECT_LT(std::abs(table.number(0, "mass_balance_error [1]")), 1e-10);
}

TEST_F(Studies, JobsRunCasesConcurrentlyWithTheSameResults) {
  write_file(dir / "grid.toml", std::string(kBase) + kGrid);
  ASSERT_EQ(run("sweep grid.toml -o one.h5 -q").code, 0);
  const Outcome two = run("sweep grid.toml -o two.h5 --jobs 2 -q");
  ASSERT_EQ(two.code, 0) << two.output;
  expect_same_table(read_csv(dir / "one.csv"), read_csv(dir / "two.csv"), 1e-9);
}

// `poreflux sweep ARGS...` in the background in the test's folder, stdout and stderr to `log`.
pid_t start_sweep(const fs::path& dir, std::vector<std::string> args, const std::string& log = "/dev/null") {
  const pid_t child = ::fork();
  if (child == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(126);
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out, 1);
    ::dup2(out, 2);
    std::vector<char*> argv{const_cast<char*>(kCli), const_cast<char*>("sweep")};
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(kCli, argv.data());
    ::_exit(127);
  }
  return child;
}

// The finished case parts in a parts folder.
std::vector<std::string> finished_cases(const fs::path& parts) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(parts, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().rfind("case_", 0) == 0 && it->path().extension() == ".h5")
      names.push_back(it->path().filename().string());
  return names;
}

// Waits (up to 2 min) until `count` cases are finished.
void wait_for_cases(const fs::path& parts, std::size_t count) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (finished_cases(parts).size() < count && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

const char* const kNeedleSweep = R"(
[sweep]
[[sweep.axis]]
key = "treatment.needle_length"
values = ["0.25 mm", "0.5 mm", "0.75 mm", "1 mm", "1.25 mm", "1.5 mm"]
)";

TEST_F(Studies, KilledSweepResumesWithoutRedoingOrLosingACase) {
  // Treated cases (about half a second each), so that SIGKILL lands between cases.
  write_file(dir / "k.toml", std::string(kBase) + kTreatment + kNeedleSweep);
  ASSERT_EQ(run("sweep k.toml -o reference.h5 -q").code, 0);

  const fs::path parts = dir / "k.h5.parts";
  const pid_t child = start_sweep(dir, {"k.toml", "-o", "k.h5", "-q"});
  ASSERT_GT(child, 0);
  wait_for_cases(parts, 2);  // then kill it (most likely while a third runs)
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the sweep ended before it could be killed";
  auto finished = [&]() { return finished_cases(parts); };
  const std::vector<std::string> before = finished();
  ASSERT_GE(before.size(), 2u);
  ASSERT_LT(before.size(), 6u) << "all cases finished before the kill; the test proves nothing";
  std::map<std::string, ino_t> inode;
  for (const std::string& name : before) {
    struct stat st {};
    ::stat((parts / name).c_str(), &st);
    inode[name] = st.st_ino;
  }

  const Outcome rerun = run("sweep k.toml -o k.h5 --keep-parts");
  ASSERT_EQ(rerun.code, 0) << rerun.output;
  EXPECT_NE(rerun.output.find(std::to_string(before.size()) + " case(s) and 1 baseline(s) already finished"),
            std::string::npos)
      << rerun.output;
  // The finished parts are the same files (not rewritten); the others were run once each.
  for (const std::string& name : before) {
    struct stat st {};
    ::stat((parts / name).c_str(), &st);
    EXPECT_EQ(st.st_ino, inode[name]) << name << " was redone";
  }
  EXPECT_NE(rerun.output.find(std::to_string(6 - before.size()) + " run(s) to do"), std::string::npos) << rerun.output;
  EXPECT_EQ(finished().size(), 6u);
  expect_same_table(read_csv(dir / "reference.csv"), read_csv(dir / "k.csv"), 1e-9);
}

TEST_F(Studies, InterruptedSweepKeepsItsFinishedCasesAndSaysSo) {
  write_file(dir / "i.toml", std::string(kBase) + kTreatment + kNeedleSweep);
  const pid_t child = start_sweep(dir, {"i.toml", "-o", "i.h5"}, (dir / "log.txt").string());
  ASSERT_GT(child, 0);
  wait_for_cases(dir / "i.h5.parts", 1);
  ::kill(child, SIGINT);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 0) GTEST_SKIP() << "the sweep finished before the interrupt arrived";
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_FALSE(fs::exists(dir / "i.h5"));
  EXPECT_GE(finished_cases(dir / "i.h5.parts").size(), 1u);
  const std::string log = read_file(dir / "log.txt");
  EXPECT_NE(log.find("run the same command again to resume"), std::string::npos) << log;
  EXPECT_EQ(temporaries().size(), 0u);
}

TEST_F(Studies, PartsOfAChangedBaseConfigAreNotMixedIn) {
  write_file(dir / "grid.toml", std::string(kBase) + kGrid);
  ASSERT_EQ(run("sweep grid.toml -o g.h5 --keep-parts -q").code, 0);
  fs::remove(dir / "g.h5");
  fs::remove(dir / "g.csv");
  std::string changed = std::string(kBase) + kGrid;
  changed.replace(changed.find("duration = \"4 h\""), 16, "duration = \"3 h\"");
  write_file(dir / "grid.toml", changed);
  const Outcome refused = run("sweep grid.toml -o g.h5 -q");
  EXPECT_EQ(refused.code, 2);
  EXPECT_NE(refused.output.find("different config"), std::string::npos) << refused.output;
  EXPECT_FALSE(fs::exists(dir / "g.h5"));
  const Outcome forced = run("sweep grid.toml -o g.h5 --force -q");
  ASSERT_EQ(forced.code, 0) << forced.output;
  const Csv table = read_csv(dir / "g.csv");
  EXPECT_EQ(table.rows.size(), 6u);
}

TEST_F(Studies, ShardsMergedEqualTheUnshardedSweep) {
  write_file(dir / "grid.toml", std::string(kBase) + kGrid);
  ASSERT_EQ(run("sweep grid.toml -o all.h5 -q").code, 0);
  for (int k = 1; k <= 4; ++k) ASSERT_EQ(run("sweep grid.toml --shard " + std::to_string(k) + "/4 -q").code, 0);
  EXPECT_EQ(read_csv(dir / "grid.shard-1-of-4.csv").rows.size(), 2u);  // cases 1 and 5
  const Outcome merged = run("merge -o merged.h5 grid.shard-*-of-4.h5");
  ASSERT_EQ(merged.code, 0) << merged.output;
  expect_same_table(read_csv(dir / "all.csv"), read_csv(dir / "merged.csv"), 1e-9);

  const Outcome missing = run("merge -o m2.h5 grid.shard-1-of-4.h5 grid.shard-2-of-4.h5 grid.shard-4-of-4.h5");
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.output.find("case_0003"), std::string::npos) << missing.output;
  EXPECT_FALSE(fs::exists(dir / "m2.h5"));
  fs::copy_file(dir / "grid.shard-2-of-4.h5", dir / "again.h5");
  const Outcome duplicate = run("merge -o m3.h5 grid.shard-*-of-4.h5 again.h5");
  EXPECT_EQ(duplicate.code, 2);
  EXPECT_NE(duplicate.output.find("one shard only"), std::string::npos) << duplicate.output;
  const Outcome shard = run("sweep grid.toml --shard 5/4 -q");
  EXPECT_EQ(shard.code, 2);
  const Outcome whole = run("merge -o m4.h5 all.h5");
  EXPECT_EQ(whole.code, 2);
  EXPECT_NE(whole.output.find("not a shard"), std::string::npos) << whole.output;
}

TEST_F(Studies, SlurmArrayScriptRunsItsShard) {
  write_file(dir / "grid.toml", std::string(kBase) + kGrid);
  const std::string script = std::string(POREFLUX_SOURCE_DIR) + "/tools/slurm/sweep_array.sh";
  for (int task : {0, 1, 2}) {
    const std::string env =
        "SLURM_ARRAY_TASK_ID=" + std::to_string(task) +
        " SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=3 SLURM_JOB_ID=77 PREFIX=" + quote(dir.string()) +
        "/shards POREFLUX=" + quote(kCli);
    const std::string command = "cd " + quote(dir.string()) + " && " + env + " bash " + quote(script) +
                                " grid.toml > slurm_" + std::to_string(task) + ".log 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << read_file(dir / ("slurm_" + std::to_string(task) + ".log"));
  }
  ASSERT_TRUE(fs::exists(dir / "shards.shard-1-of-3.h5"));
  // The array resubmitted: a task whose shard is done succeeds at once.
  const std::string again =
      "cd " + quote(dir.string()) + " && SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_TASK_COUNT=3 PREFIX=" + quote(dir.string()) +
      "/shards POREFLUX=" + quote(kCli) + " bash " + quote(script) + " grid.toml > again.log 2>&1";
  EXPECT_EQ(std::system(again.c_str()), 0) << read_file(dir / "again.log");
  EXPECT_NE(read_file(dir / "again.log").find("is done"), std::string::npos);
  ASSERT_EQ(run("merge -o merged.h5 shards.shard-*-of-3.h5 -q").code, 0);
  EXPECT_EQ(read_csv(dir / "merged.csv").rows.size(), 6u);
}

// A population on intact skin in which the stratum corneum's diffusivity varies 3-fold (gsd)
// and the dermis thickness by 1 %: the diffusivity must rank first for uptake.
const char* const kPopulation = R"(
[population]
subjects = 24
seed = 11
[[population.input]]
key = "layer[3].thickness"
unit = "um"
distribution = "uniform"
min = 990
max = 1010
[[population.input]]
factor = "stratum_corneum.diffusivity"
distribution = "lognormal"
median = 1.0
gsd = 3.0
)";

TEST_F(Studies, PopulationIsReproducibleAndRanksTheDominantInputFirst) {
  write_file(dir / "pop.toml", std::string(kBase) + kPopulation);
  const Outcome first = run("sweep pop.toml -o a.h5");
  ASSERT_EQ(first.code, 0) << first.output;
  ASSERT_EQ(run("sweep pop.toml -o b.h5 -q").code, 0);
  expect_same_table(read_csv(dir / "a.csv"), read_csv(dir / "b.csv"), 0.0);
  std::string other = std::string(kBase) + kPopulation;
  other.replace(other.find("seed = 11"), 9, "seed = 12");
  write_file(dir / "pop.toml", other);
  ASSERT_EQ(run("sweep pop.toml -o c.h5 -q").code, 0);
  EXPECT_NE(read_csv(dir / "a.csv").rows[0], read_csv(dir / "c.csv").rows[0]);

  const StudyPlan plan = load_study_plan((dir / "pop.toml").string());
  ASSERT_EQ(plan.cases.size(), 24u);
  EXPECT_EQ(plan.columns[1].key, "factor:stratum_corneum.diffusivity");
  // The printed ranking: for the uptake, the factor comes before the dermis thickness.
  const std::size_t line = first.output.find("intact uptake_fraction at 4 h:");
  ASSERT_NE(line, std::string::npos) << first.output;
  const std::string ranking = first.output.substr(line, first.output.find('\n', line) - line);
  EXPECT_LT(ranking.find("factor:stratum_corneum.diffusivity"), ranking.find("layer[3].thickness")) << ranking;
  // The factor's effect is monotone and near-total.
  const std::size_t value_at = ranking.find("factor:stratum_corneum.diffusivity") + 35;
  EXPECT_GT(std::stod(ranking.substr(value_at)), 0.9) << ranking;
}

}  // namespace
}  // namespace poreflux::testing
