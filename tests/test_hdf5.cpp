// The HDF5 output: layout, values, units and UTF-8 strings as written by write_run_h5, and the
// promise that a failed write never leaves a partial file. Uses a hand-built result, not the solver.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "io/h5_handles.hpp"
#include "io/write_run_h5.hpp"

namespace fs = std::filesystem;
using namespace poreflux;

namespace {

const std::string kTitle = "Niacinamide 5 % — µg/cm² über Haut";

Study make_study() {
  Study study;
  study.source_file = "study.toml";
  study.title = kTitle;
  study.compound.name = "niacinamide";
  study.resolved_toml = "[study]\ntitle = \"" + kTitle + "\"\n";
  return study;
}

DiscreteProblem make_problem(Geometry geometry) {
  DiscreteProblem p;
  p.geometry = geometry;
  p.dx = {1e-4, 2e-4};
  p.dy = geometry == Geometry::cartesian ? std::vector<double>{1e-4, 1e-4, 1e-4} : std::vector<double>{6.25};
  p.dz = {5e-4, 5e-4, 1e-3, 1e-3};
  // Distinct values per cell, so the check below sees any change of axis order.
  for (int k = 0; k < p.nz(); ++k)
    for (int j = 0; j < p.ny(); ++j)
      for (int i = 0; i < p.nx(); ++i) p.material.push_back(static_cast<std::uint8_t>(i + 2 * j + 6 * k));
  p.materials = {{"stratum_corneum", 1e-9, 2.0, 0.0, 0.0, -1},
                 {"viable_epidermis", 1e-7, 0.5, 1e-5, 0.0, -1},
                 {"channel", 1e-5, 1.0, 0.0, 0.0, 1}};
  p.layer_of_z = {0, 0, 1, 1};
  p.layer_names = {"stratum_corneum", "viable_epidermis"};
  return p;
}

ScenarioResult make_scenario(const std::string& name, std::optional<double> lag_h) {
  ScenarioResult s;
  s.name = name;
  s.times_s = {0.0, 3600.0, 7200.0};
  const int compartments = static_cast<int>(compartment_names().size());
  for (int c = 0; c < compartments; ++c) s.amounts_ug_per_cm2.push_back({10.0 * c, 10.0 * c + 1.0, 10.0 * c + 2.0});
  s.supplied_ug_per_cm2 = {0.0, 0.0, 0.0};
  s.permeated_ug_per_cm2 = {0.0, 0.5, 1.5};
  s.flux_ug_per_cm2_h = {0.0, 0.6, 1.0};
  s.mass_balance_error = {0.0, 1e-12, -2e-12};
  s.film_volume_uL_per_cm2 = {2.0, 1.0, 0.5};
  s.depth_um = {2.5, 7.5};
  s.depth_profile_ug_per_cm3 = {{0.0, 0.0}, {3.0, 1.0}, {4.0, 2.0}};
  for (int c = 0; c < compartments; ++c) s.summary.fraction_of_dose.push_back(c / 100.0);
  s.summary.uptake_fraction = 0.25;
  s.summary.dermal_delivery_fraction = 0.125;
  s.summary.cumulative_permeated_ug_per_cm2 = 1.5;
  s.summary.flux_max_ug_per_cm2_h = 1.0;
  s.summary.t_flux_max_h = 2.0;
  s.summary.lag_time_h = lag_h;
  s.summary.mass_balance_error = 2e-12;
  s.solver.method_name = "implicit";
  s.solver.method = "TR-BDF2, test";
  s.solver.linear_solver = "krylov";
  s.solver.linear_iterations = 321;
  s.solver.steps = 120;
  s.solver.rejected_steps = 3;
  s.solver.rhs_evaluations = 4567;
  s.solver.max_stages = 17;
  s.solver.cells = 5'000'000'000;  // beyond 32 bits
  s.solver.wall_s = 0.25;
  return s;
}

RunResult make_run() {
  RunResult run;
  run.backend = "reference";
  run.backend_description = "serial reference, µ-test";
  run.applied_ug_per_cm2 = 50.0;
  run.duration_h = 2.0;
  run.scenarios = {make_scenario("intact", 0.75), make_scenario("treated", std::nullopt)};
  return run;
}

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Raw C API: visits every dataset and checks its units/description are VL UTF-8 strings.
// (The visit callback's info struct changed name in HDF5 1.12.)
#if H5_VERSION_GE(1, 12, 0)
using ObjectInfo = H5O_info2_t;
#else
using ObjectInfo = H5O_info_t;
#endif
herr_t check_dataset_labels(hid_t obj, const char* name, const ObjectInfo* info, void* failures) {
  if (info->type != H5O_TYPE_DATASET) return 0;
  auto* out = static_cast<std::vector<std::string>*>(failures);
  for (const char* attr_name : {"units", "description"}) {
    if (H5Aexists_by_name(obj, name, attr_name, H5P_DEFAULT) <= 0) {
      out->push_back(std::string(name) + " lacks " + attr_name);
      continue;
    }
    const hid_t attr = H5Aopen_by_name(obj, name, attr_name, H5P_DEFAULT, H5P_DEFAULT);
    const hid_t type = H5Aget_type(attr);
    if (H5Tis_variable_str(type) <= 0 || H5Tget_cset(type) != H5T_CSET_UTF8)
      out->push_back(std::string(name) + "@" + attr_name + " is not variable-length UTF-8");
    H5Tclose(type);
    H5Aclose(attr);
  }
  return 0;
}

class Hdf5Output : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("poreflux_h5_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    problems_ = {&intact_, &treated_};
  }
  void TearDown() override {
    // RAII check: every identifier any test or the writer opened has been closed again.
    EXPECT_EQ(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
    fs::remove_all(dir_);
  }

  // Whatever write_h5_atomically might have left behind.
  std::vector<std::string> temporaries() const {
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(dir_))
      if (entry.path().filename().string().find(".tmp-") != std::string::npos) found.push_back(entry.path());
    return found;
  }

  void write(const fs::path& path, const H5Fill& extra = {}) {
    write_run_h5(path.string(), study_, run_, problems_, "0.1.0-test", extra);
  }

  fs::path dir_;
  Study study_ = make_study();
  RunResult run_ = make_run();
  DiscreteProblem intact_ = make_problem(Geometry::cartesian);
  DiscreteProblem treated_ = make_problem(Geometry::axisymmetric);
  std::vector<const DiscreteProblem*> problems_;
};

TEST_F(Hdf5Output, RootAttributesAndConfigRoundTrip) {
  const fs::path out = dir_ / "out.h5";
  write(out);
  h5::File file = h5::File::open_read(out.string());
  const h5::Group& root = file.root();
  EXPECT_EQ(root.read_attr_string("schema"), "poreflux-h5/1");
  EXPECT_EQ(root.read_attr_string("poreflux_version"), "0.1.0-test");
  EXPECT_EQ(root.read_attr_string("backend"), "reference");
  EXPECT_EQ(root.read_attr_string("backend_description"), "serial reference, µ-test");
  EXPECT_EQ(root.read_attr_string("title"), kTitle);  // UTF-8 survives byte for byte
  EXPECT_EQ(root.read_attr_string("compound"), "niacinamide");
  EXPECT_DOUBLE_EQ(root.read_attr_double("applied_ug_per_cm2"), 50.0);
  EXPECT_DOUBLE_EQ(root.read_attr_double("duration_h"), 2.0);
  h5::Dataset toml = root.open_dataset("config/resolved_toml");
  EXPECT_EQ(toml.read_strings(), std::vector<std::string>{study_.resolved_toml});
  EXPECT_EQ(root.open_group("config").read_attr_string("source_file"), "study.toml");
  EXPECT_TRUE(temporaries().empty());
}

TEST_F(Hdf5Output, TimeSeriesAndProfiles) {
  const fs::path out = dir_ / "out.h5";
  write(out);
  h5::File file = h5::File::open_read(out.string());
  h5::Group s = file.root().open_group("scenarios/intact");
  EXPECT_EQ(s.read_attr_int("index"), 0);
  EXPECT_EQ(s.read_1d("time_h"), (std::vector<double>{0.0, 1.0, 2.0}));
  EXPECT_EQ(s.open_dataset("time_h").read_attr_string("units"), "h");
  for (std::size_t c = 0; c < compartment_names().size(); ++c) {
    const std::string& name = compartment_names()[c];
    EXPECT_EQ(s.read_1d("amounts/" + name), run_.scenarios[0].amounts_ug_per_cm2[c]) << name;
    const std::vector<double> fraction = s.read_1d("fractions/" + name);
    for (std::size_t t = 0; t < fraction.size(); ++t)
      EXPECT_DOUBLE_EQ(fraction[t], run_.scenarios[0].amounts_ug_per_cm2[c][t] / 50.0);
    EXPECT_EQ(s.open_dataset("amounts/" + name).read_attr_string("units"), "ug/cm2");
    EXPECT_EQ(s.open_dataset("fractions/" + name).read_attr_string("units"), "1");
  }
  EXPECT_EQ(s.read_1d("permeated"), (std::vector<double>{0.0, 0.5, 1.5}));
  EXPECT_EQ(s.read_1d("flux"), (std::vector<double>{0.0, 0.6, 1.0}));
  EXPECT_EQ(s.open_dataset("flux").read_attr_string("units"), "ug/cm2/h");
  EXPECT_EQ(s.read_1d("mass_balance_error"), (std::vector<double>{0.0, 1e-12, -2e-12}));
  EXPECT_EQ(s.read_1d("profiles/depth_um"), (std::vector<double>{2.5, 7.5}));
  h5::Dataset c = s.open_dataset("profiles/concentration");
  EXPECT_EQ(c.shape(), (std::vector<std::uint64_t>{3, 2}));
  EXPECT_EQ(c.read_doubles(), (std::vector<double>{0.0, 0.0, 3.0, 1.0, 4.0, 2.0}));
  EXPECT_EQ(c.read_attr_string("units"), "ug/cm3");
}

TEST_F(Hdf5Output, GridKeepsMemoryOrderAndGeometry) {
  const fs::path out = dir_ / "out.h5";
  write(out);
  h5::File file = h5::File::open_read(out.string());
  h5::Group grid = file.root().open_group("scenarios/intact/grid");
  EXPECT_EQ(grid.read_attr_string("geometry"), "cartesian");
  const std::vector<double> dx = grid.read_1d("dx_um");
  ASSERT_EQ(dx.size(), 2u);
  EXPECT_NEAR(dx[0], 1.0, 1e-12);
  EXPECT_NEAR(dx[1], 2.0, 1e-12);
  EXPECT_EQ(grid.open_dataset("dy_um").read_attr_string("units"), "um");
  h5::Dataset map = grid.open_dataset("material_map");
  EXPECT_EQ(map.shape(), (std::vector<std::uint64_t>{4, 3, 2}));  // [nz][ny][nx]
  EXPECT_EQ(map.read_uint8(), intact_.material);
  EXPECT_EQ(grid.open_dataset("materials/name").read_strings(),
            (std::vector<std::string>{"stratum_corneum", "viable_epidermis", "channel"}));
  EXPECT_EQ(grid.read_1d("materials/partition"), (std::vector<double>{2.0, 0.5, 1.0}));
  EXPECT_EQ(grid.read_1d("materials/diffusivity_cm2_s"), (std::vector<double>{1e-9, 1e-7, 1e-5}));
  EXPECT_EQ(grid.read_1d("materials/closes_into"), (std::vector<double>{-1, -1, 1}));
  EXPECT_EQ(grid.open_dataset("layer_names").read_strings(), intact_.layer_names);

  h5::Group axi = file.root().open_group("scenarios/treated/grid");
  EXPECT_EQ(axi.read_attr_string("geometry"), "axisymmetric");
  EXPECT_FALSE(axi.exists("dy_um"));  // a wedge angle is not a length
  EXPECT_EQ(axi.read_1d("dy_rad"), (std::vector<double>{6.25}));
  EXPECT_EQ(axi.open_dataset("dy_rad").read_attr_string("units"), "rad");
}

TEST_F(Hdf5Output, SummaryAndSolverAttributes) {
  const fs::path out = dir_ / "out.h5";
  write(out);
  h5::File file = h5::File::open_read(out.string());
  h5::Group summary = file.root().open_group("scenarios/intact/summary");
  EXPECT_DOUBLE_EQ(summary.read_attr_double("uptake_fraction"), 0.25);
  EXPECT_DOUBLE_EQ(summary.read_attr_double("dermal_delivery_fraction"), 0.125);
  EXPECT_DOUBLE_EQ(summary.read_attr_double("cumulative_permeated_ug_per_cm2"), 1.5);
  EXPECT_DOUBLE_EQ(summary.read_attr_double("flux_max_ug_per_cm2_h"), 1.0);
  EXPECT_DOUBLE_EQ(summary.read_attr_double("t_flux_max_h"), 2.0);
  EXPECT_DOUBLE_EQ(summary.read_attr_double("lag_time_h"), 0.75);
  EXPECT_DOUBLE_EQ(summary.read_attr_double("mass_balance_error"), 2e-12);
  EXPECT_DOUBLE_EQ(summary.open_group("fraction_of_dose").read_attr_double("dermis"), 0.05);
  EXPECT_TRUE(std::isnan(file.root().open_group("scenarios/treated/summary").read_attr_double("lag_time_h")));

  h5::Group solver = file.root().open_group("scenarios/intact/solver");
  EXPECT_EQ(solver.read_attr_string("method"), "implicit");
  EXPECT_EQ(solver.read_attr_string("method_description"), "TR-BDF2, test");
  EXPECT_EQ(solver.read_attr_string("linear_solver"), "krylov");
  EXPECT_EQ(solver.read_attr_int("linear_iterations"), 321);
  EXPECT_EQ(solver.read_attr_int("steps"), 120);
  EXPECT_EQ(solver.read_attr_int("rejected_steps"), 3);
  EXPECT_EQ(solver.read_attr_int("rhs_evaluations"), 4567);
  EXPECT_EQ(solver.read_attr_int("max_stages"), 17);
  EXPECT_EQ(solver.read_attr_int("cells"), 5'000'000'000);
  EXPECT_DOUBLE_EQ(solver.read_attr_double("wall_s"), 0.25);
}

TEST_F(Hdf5Output, EveryDatasetHasUtf8UnitsAndDescription) {
  const fs::path out = dir_ / "out.h5";
  write(out);
  const hid_t file = H5Fopen(out.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  std::vector<std::string> failures;
#if H5_VERSION_GE(1, 12, 0)
  EXPECT_GE(H5Ovisit3(file, H5_INDEX_NAME, H5_ITER_NATIVE, check_dataset_labels, &failures, H5O_INFO_BASIC), 0);
#else
  EXPECT_GE(H5Ovisit1(file, H5_INDEX_NAME, H5_ITER_NATIVE, check_dataset_labels, &failures), 0);
#endif
  H5Fclose(file);
  for (const std::string& f : failures) ADD_FAILURE() << f;
}

TEST_F(Hdf5Output, ExtraHookWritesCompressedFloat32BeforeTheRename) {
  const fs::path out = dir_ / "out.h5";
  std::vector<double> field(40 * 30 * 20);
  for (std::size_t n = 0; n < field.size(); ++n) field[n] = 1.0 / (1.0 + static_cast<double>(n));
  write(out, [&](h5::Group& root) {
    EXPECT_FALSE(fs::exists(out));        // nothing published yet
    EXPECT_EQ(temporaries().size(), 1u);  // the work happens beside it
    h5::Storage storage;
    storage.float32 = true;
    storage.deflate = 4;
    h5::Group slices = root.open_group("scenarios/treated").create_group("slices");
    slices.write_3d("concentration", field.data(), 40, 30, 20, storage).attr_string("units", "ug/cm3");
  });
  ASSERT_TRUE(fs::exists(out));
  EXPECT_TRUE(temporaries().empty());

  h5::File file = h5::File::open_read(out.string());
  h5::Dataset ds = file.root().open_dataset("scenarios/treated/slices/concentration");
  EXPECT_EQ(ds.shape(), (std::vector<std::uint64_t>{40, 30, 20}));
  const std::vector<double> back = ds.read_doubles();
  ASSERT_EQ(back.size(), field.size());
  for (std::size_t n = 0; n < field.size(); n += 97)
    EXPECT_FLOAT_EQ(static_cast<float>(back[n]), static_cast<float>(field[n]));

  const hid_t type = H5Dget_type(ds.id());
  EXPECT_EQ(H5Tget_size(type), 4u);
  H5Tclose(type);
  const hid_t dcpl = H5Dget_create_plist(ds.id());
  EXPECT_EQ(H5Pget_layout(dcpl), H5D_CHUNKED);
  bool has_deflate = false;
  for (int f = 0; f < H5Pget_nfilters(dcpl); ++f) {
    unsigned flags = 0, level = 0;
    std::size_t n = 1;
    if (H5Pget_filter2(dcpl, static_cast<unsigned>(f), &flags, &n, &level, 0, nullptr, nullptr) == H5Z_FILTER_DEFLATE)
      has_deflate = true;
  }
  H5Pclose(dcpl);
  EXPECT_TRUE(has_deflate);
}

// deflate_from_bytes: an array smaller than that (as stored) is written contiguous and
// uncompressed, a larger one chunked and deflated; both read back the same values.
TEST_F(Hdf5Output, SmallArraysStayUncompressedBelowTheThreshold) {
  const fs::path out = dir_ / "threshold.h5";
  std::vector<double> small(100), large(40 * 30 * 20);
  for (std::size_t n = 0; n < small.size(); ++n) small[n] = 0.5 * static_cast<double>(n);
  for (std::size_t n = 0; n < large.size(); ++n) large[n] = 1.0 / (1.0 + static_cast<double>(n));
  h5::Storage storage;
  storage.float32 = true;
  storage.deflate = 4;
  storage.deflate_from_bytes = 4 * 1000;  // 100 floats are 400 bytes; 24 000 are 96 000
  write(out, [&](h5::Group& root) {
    root.write_1d("small", small, storage);
    root.write_3d("large", large.data(), 40, 30, 20, storage);
  });
  h5::File file = h5::File::open_read(out.string());
  auto layout_and_filters = [&](const std::string& name) {
    const hid_t dcpl = H5Dget_create_plist(file.root().open_dataset(name).id());
    const std::pair<H5D_layout_t, int> got{H5Pget_layout(dcpl), H5Pget_nfilters(dcpl)};
    H5Pclose(dcpl);
    return got;
  };
  EXPECT_EQ(layout_and_filters("small"), (std::pair<H5D_layout_t, int>{H5D_CONTIGUOUS, 0}));
  EXPECT_EQ(layout_and_filters("large"), (std::pair<H5D_layout_t, int>{H5D_CHUNKED, 2}));  // shuffle, deflate
  EXPECT_EQ(file.root().open_dataset("small").read_doubles(), small);  // halves of integers: exact in float32
  const std::vector<double> back = file.root().open_dataset("large").read_doubles();
  ASSERT_EQ(back.size(), large.size());
  for (std::size_t n = 0; n < large.size(); n += 97)
    EXPECT_FLOAT_EQ(static_cast<float>(back[n]), static_cast<float>(large[n]));
}

TEST_F(Hdf5Output, MissingDirectoryLeavesNothing) {
  const fs::path out = dir_ / "missing" / "out.h5";
  try {
    write(out);
    FAIL() << "writing into a missing directory succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(out.string()), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(out.parent_path()));
  EXPECT_TRUE(temporaries().empty());
}

TEST_F(Hdf5Output, ThrowingHookLeavesNeitherTargetNorTemporary) {
  const fs::path out = dir_ / "out.h5";
  EXPECT_THROW(write(out, [](h5::Group&) { throw std::logic_error("hook failed"); }), std::logic_error);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(temporaries().empty());
}

TEST_F(Hdf5Output, FailedWriteKeepsTheExistingFile) {
  const fs::path out = dir_ / "out.h5";
  std::ofstream(out) << "previous results";
  EXPECT_THROW(write(out, [](h5::Group&) { throw std::runtime_error("hook failed"); }), std::runtime_error);
  EXPECT_EQ(file_bytes(out), "previous results");
  EXPECT_TRUE(temporaries().empty());
}

TEST_F(Hdf5Output, ExistingFileIsReplacedInOneStep) {
  const fs::path out = dir_ / "out.h5";
  std::ofstream(out) << "previous results";
  write(out, [&](h5::Group&) {
    EXPECT_EQ(file_bytes(out), "previous results");  // untouched until the rename
  });
  h5::File file = h5::File::open_read(out.string());
  EXPECT_EQ(file.root().read_attr_string("schema"), "poreflux-h5/1");
  EXPECT_TRUE(temporaries().empty());
}

TEST_F(Hdf5Output, InconsistentInputsThrowBeforeAnyFileExists) {
  const fs::path out = dir_ / "out.h5";
  problems_.pop_back();
  EXPECT_THROW(write(out), std::invalid_argument);
  problems_ = {&intact_, &treated_};
  run_.scenarios[1].depth_profile_ug_per_cm3[2].pop_back();  // ragged [time][z]
  EXPECT_THROW(write(out), std::invalid_argument);
  run_ = make_run();
  run_.scenarios[0].name = "a/b";
  EXPECT_THROW(write(out), std::invalid_argument);
  EXPECT_TRUE(fs::is_empty(dir_));
}

// ---- the handle layer on its own ----

static_assert(!std::is_copy_constructible_v<h5::Handle> && std::is_nothrow_move_constructible_v<h5::Handle>);
static_assert(!std::is_copy_constructible_v<h5::File> && std::is_move_constructible_v<h5::File>);

TEST_F(Hdf5Output, ErrorsNameTheObjectAndTheStep) {
  h5::File file = h5::File::create((dir_ / "h.h5").string());
  h5::Group g = file.root().create_group("g");
  g.write_1d("x", {1.0});
  try {
    g.write_1d("x", {2.0});
    FAIL() << "a second dataset of the same name was created";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("create dataset '/g/x'"), std::string::npos) << what;
  }
  try {
    (void)file.root().open_group("absent");
    FAIL() << "opened a missing group";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("open group '/absent'"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)g.read_attr_double("nope"), std::runtime_error);
  file.close();

  std::ofstream(dir_ / "not.h5") << "plain text";
  try {
    (void)h5::File::open_read((dir_ / "not.h5").string());
    FAIL() << "opened a text file as HDF5";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("not.h5"), std::string::npos) << e.what();
  }
}

TEST_F(Hdf5Output, EmptyDatasetsAndReplacedAttributes) {
  const std::string path = (dir_ / "e.h5").string();
  {
    h5::File file = h5::File::create(path);
    h5::Storage compressed;
    compressed.deflate = 6;
    file.root().write_1d("empty", {}, compressed).attr_string("units", "h");
    file.root().write_strings("no_names", {});
    file.root().attr_double("a", 1.0);
    file.root().attr_double("a", 2.0);  // replaces, as labelling twice should
    file.close();
  }
  h5::File file = h5::File::open_read(path);
  EXPECT_TRUE(file.root().read_1d("empty").empty());
  EXPECT_EQ(file.root().open_dataset("empty").shape(), std::vector<std::uint64_t>{0});
  EXPECT_TRUE(file.root().open_dataset("no_names").read_strings().empty());
  EXPECT_DOUBLE_EQ(file.root().read_attr_double("a"), 2.0);
}

TEST_F(Hdf5Output, MovedFromHandleIsEmpty) {
  h5::File file = h5::File::create((dir_ / "m.h5").string());
  h5::Group a = file.root().create_group("a");
  const h5::Id id = a.id();
  h5::Group b = std::move(a);
  EXPECT_EQ(b.id(), id);
  EXPECT_LT(a.id(), 0);  // NOLINT(bugprone-use-after-move): the point of the test
  b.attr_int("n", 7);
  EXPECT_EQ(b.read_attr_int("n"), 7);
}

// Every axis is a dimension scale attached where it indexes (run_h5_dimensions.cpp).
TEST_F(Hdf5Output, AxesAreDimensionScalesAttachedToWhatTheyIndex) {
  const fs::path out = dir_ / "out.h5";
  write(out);
  h5::File file = h5::File::open_read(out.string());
  const h5::Group s = file.root().open_group("scenarios/intact");
  EXPECT_TRUE(s.open_dataset("time_h").is_scale());
  EXPECT_EQ(s.open_dataset("flux").attached_scales(0), std::vector<std::string>{"/scenarios/intact/time_h"});
  // Groups indexed by time hold their own copy of time_h (a reader opening one group sees only it).
  EXPECT_EQ(s.open_dataset("amounts/dermis").attached_scales(0),
            std::vector<std::string>{"/scenarios/intact/amounts/time_h"});
  EXPECT_EQ(s.open_dataset("fractions/dermis").attached_scales(0),
            std::vector<std::string>{"/scenarios/intact/fractions/time_h"});
  for (const char* copy : {"amounts/time_h", "fractions/time_h", "profiles/time_h"}) {
    EXPECT_TRUE(s.open_dataset(copy).is_scale()) << copy;
    EXPECT_EQ(s.read_1d(copy), s.read_1d("time_h")) << copy;
  }
  const h5::Dataset profile = s.open_dataset("profiles/concentration");
  EXPECT_EQ(profile.attached_scales(0), std::vector<std::string>{"/scenarios/intact/profiles/time_h"});
  EXPECT_EQ(profile.attached_scales(1), std::vector<std::string>{"/scenarios/intact/profiles/depth_um"});
  const h5::Dataset map = s.open_dataset("grid/material_map");
  EXPECT_EQ(map.attached_scales(0), std::vector<std::string>{"/scenarios/intact/grid/z_um"});
  EXPECT_EQ(map.attached_scales(1), std::vector<std::string>{"/scenarios/intact/grid/y_um"});
  EXPECT_EQ(map.attached_scales(2), std::vector<std::string>{"/scenarios/intact/grid/x_um"});
  // The cell centres are the running sums of the widths, less half a width.
  const std::vector<double> dz = s.read_1d("grid/dz_um"), z = s.read_1d("grid/z_um");
  ASSERT_EQ(z.size(), dz.size());
  double edge = 0.0;
  for (std::size_t k = 0; k < z.size(); ++k) {
    EXPECT_NEAR(z[k], edge + 0.5 * dz[k], 1e-9 * (1.0 + edge));
    edge += dz[k];
  }
  // The axisymmetric grid's second axis is an angle, and is named so.
  const h5::Dataset angle = file.root().open_dataset("scenarios/treated/grid/dy_rad");
  EXPECT_EQ(angle.attached_scales(0), std::vector<std::string>{"/scenarios/treated/grid/y_rad"});
  EXPECT_EQ(s.open_dataset("film/dose").attached_scales(0),
            std::vector<std::string>{"/scenarios/intact/film/application"});
  EXPECT_EQ(s.open_dataset("grid/layer_names").attached_scales(0),
            std::vector<std::string>{"/scenarios/intact/grid/layer"});
}

TEST_F(Hdf5Output, AttachingAScaleOfAnotherLengthThrows) {
  h5::File file = h5::File::create((dir_ / "s.h5").string());
  h5::Dataset axis = file.root().write_1d("axis", {1.0, 2.0, 3.0});
  axis.make_scale("axis");
  h5::Dataset data = file.root().write_1d("data", {1.0, 2.0});
  EXPECT_THROW(data.attach_scale(axis, 0), std::runtime_error);
  EXPECT_THROW(data.attach_scale(axis, 1), std::runtime_error);  // no such dimension
}

// What the lead's merge does: a whole run file copied under /cases/<id>/ of another file. The
// scales must point into the copy, not at addresses of the source file (HDF5 1.10's H5Ocopy
// leaves them so; copy_group attaches them again).
TEST_F(Hdf5Output, CopiedRunKeepsItsDimensionScales) {
  const fs::path run = dir_ / "run.h5", merged = dir_ / "merged.h5";
  write(run);
  {
    const h5::File source = h5::File::open_read(run.string());
    h5::File target = h5::File::create(merged.string());
    h5::Group cases = target.root().create_group("cases");
    h5::copy_group(source, "/", cases, "c1");
    h5::copy_group(source, "scenarios/treated", cases, "t");
    // profiles/ holds its own time_h, so it copies alone.
    h5::copy_group(source, "scenarios/intact/profiles", cases, "p");
    target.close();
  }
  {
    // A group whose dataset refers to a scale outside it cannot be copied alone.
    h5::File outside = h5::File::create((dir_ / "outside.h5").string());
    h5::Dataset axis = outside.root().write_1d("axis", {1.0, 2.0});
    axis.make_scale("axis");
    h5::Group inner = outside.root().create_group("inner");
    inner.write_1d("data", {3.0, 4.0}).attach_scale(axis, 0);
    outside.close();
    const h5::File source = h5::File::open_read((dir_ / "outside.h5").string());
    h5::File target = h5::File::create((dir_ / "outside_copy.h5").string());
    EXPECT_THROW(h5::copy_group(source, "inner", target.root(), "inner"), std::runtime_error);
    target.close();
  }
  h5::File file = h5::File::open_read(merged.string());
  const h5::Group c = file.root().open_group("cases/c1/scenarios/intact");
  EXPECT_EQ(c.open_dataset("flux").attached_scales(0), std::vector<std::string>{"/cases/c1/scenarios/intact/time_h"});
  const h5::Dataset profile = c.open_dataset("profiles/concentration");
  EXPECT_EQ(profile.attached_scales(1), std::vector<std::string>{"/cases/c1/scenarios/intact/profiles/depth_um"});
  EXPECT_EQ(c.open_dataset("grid/material_map").attached_scales(2),
            std::vector<std::string>{"/cases/c1/scenarios/intact/grid/x_um"});
  EXPECT_TRUE(c.open_dataset("time_h").is_scale());
  EXPECT_EQ(c.read_1d("flux"), run_.scenarios[0].flux_ug_per_cm2_h);  // the data came along
  EXPECT_EQ(file.root().open_dataset("cases/t/permeated").attached_scales(0),
            std::vector<std::string>{"/cases/t/time_h"});
  EXPECT_EQ(file.root().open_dataset("cases/p/concentration").attached_scales(0),
            std::vector<std::string>{"/cases/p/time_h"});
}

}  // namespace
