#include "study/layout_json.hpp"

#include <nlohmann/json.hpp>

#include "poreflux/h5_layout.hpp"
#include "poreflux/outputs.hpp"
#include "poreflux/results.hpp"
#include "poreflux/version.hpp"

namespace poreflux {
namespace {

using Json = nlohmann::ordered_json;

const char* kind_name(OutputKind kind) {
  switch (kind) {
    case OutputKind::share_of_dose:
      return "share_of_dose";
    case OutputKind::figure:
      return "figure";
    case OutputKind::check:
      return "check";
  }
  return "figure";
}

Json groups() {
  using namespace h5layout;
  Json run = Json::object();
  for (const char* g : {kScenarios, kTime, kAmounts, kFractions, kProfiles, kGrid, kSummary, kFilm, kSolver, kSlices,
                        kParameters, kConfig})
    run[g] = g;
  run["fraction_of_dose"] = std::string(kSummary) + "/" + kFractionOfDose;
  run["oecd_categories"] = std::string(kSummary) + "/" + kOecdCategories;
  Json study = Json::object();
  for (const char* g : {kCases, kBaselines, kTable, kPopulation}) study[g] = g;
  Json o = Json::object();
  o["run"] = std::move(run);
  o["study"] = std::move(study);
  return o;
}

Json scalar_outputs_json() {
  Json list = Json::array();
  for (const ScalarOutput& o : scalar_outputs()) {
    Json e = Json::object();
    e["name"] = o.name;
    e["key"] = keyed_name(o);  // HDF5 summary attribute and JSON key
    e["table_column"] = table_name(o);
    e["unit"] = o.unit;
    e["description"] = o.description;
    e["label"] = o.label;
    e["kind"] = kind_name(o.kind);
    e["note"] = o.note ? Json(std::string(o.name) + "_note") : Json(nullptr);
    e["absent_text"] = o.absent_text ? Json(o.absent_text) : Json(nullptr);
    e["first_screen"] = o.first_screen;  // printed without --verbose
    list.push_back(std::move(e));
  }
  return list;
}

// Which outputs are sampled over time and which have an enhancement ratio, with the names
// their columns, bands and JSON keys take (the readers build them from these, never by hand).
Json output_reporting_json() {
  Json list = Json::array();
  for (const OutputReporting& r : output_reporting()) {
    Json e = Json::object();
    e["output"] = r.output;
    e["words"] = r.words;
    e["category"] = r.category ? Json(r.category) : Json(nullptr);
    e["at_time_column"] = r.category ? Json(std::string(r.output) + "_at_{t}h") : Json(nullptr);
    e["enhancement_key"] = r.enhancement_key ? Json(r.enhancement_key) : Json(nullptr);
    e["enhancement_column"] = r.enhancement_key && r.enhancement_in_table ? Json(enhancement_name(r)) : Json(nullptr);
    e["enhancement_at_time_column"] =
        r.enhancement_key && r.enhancement_at_report_times ? Json(enhancement_name(r) + "_at_{t}h") : Json(nullptr);
    e["headline"] = r.headline;  // what the study report leads with
    list.push_back(std::move(e));
  }
  return list;
}

}  // namespace

std::string layout_json() {
  Json doc = Json::object();
  doc["schema"] = kLayoutSchema;
  doc["poreflux_version"] = kVersion;
  doc["run_schema"] = h5layout::kRunSchema;
  doc["study_schema"] = h5layout::kStudySchema;
  doc["groups"] = groups();
  doc["compartments"] = compartment_names();
  Json categories = Json::array();
  for (const ReportedCategory& c : oecd_categories()) {
    Json e = Json::object();
    e["name"] = c.name;
    e["description"] = c.description;
    Json members = Json::array();
    for (const char* m : c.compartments) members.push_back(m);
    e["compartments"] = std::move(members);
    categories.push_back(std::move(e));
  }
  doc["oecd_categories"] = std::move(categories);
  doc["scalar_outputs"] = scalar_outputs_json();
  Json series = Json::array();
  for (const SeriesOutput& s : series_outputs()) {
    Json e = Json::object();
    e["name"] = s.name;
    e["unit"] = s.unit;
    e["description"] = s.description;
    series.push_back(std::move(e));
  }
  doc["series"] = std::move(series);
  doc["output_reporting"] = output_reporting_json();
  Json sampled = Json::array();
  for (const ReportTimeCompartment& c : report_time_compartments()) sampled.push_back(c.name);
  doc["report_time_compartments"] = std::move(sampled);
  // Those the sweep's terminal table and the study report's heat maps show at a report time.
  Json shown = Json::array();
  for (const ReportTimeCompartment& c : report_time_compartments())
    if (c.terminal_heading) shown.push_back(c.name);
  doc["report_time_compartments_shown"] = std::move(shown);
  return doc.dump(2) + '\n';
}

}  // namespace poreflux
