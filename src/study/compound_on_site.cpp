#include "compound_on_site.hpp"

#include <sstream>

#include "poreflux/config.hpp"
#include "print_summary.hpp"

namespace poreflux {
namespace {

std::string toml_string(const std::string& text) {
  std::string quoted = "\"";
  for (char c : text) quoted += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

Study resolve_compound_on_site(const CompoundQuery& query) {
  std::ostringstream study;
  study << "[compound]\nname = " << toml_string(query.name) << "\nrelations = " << toml_string(query.relations) << "\n";
  if (!query.library_files.empty()) {
    study << "library = [";
    for (const std::string& f : query.library_files) study << toml_string(f) << ", ";
    study << "]\n";
  }
  study << "[vehicle]\nconcentration = \"1 mg/mL\"\nvolume_per_area = \"10 uL/cm2\"\nph = " << fmt("%.6g", query.ph)
        << "\n[skin]\nsite = " << toml_string(query.site) << "\n[protocol]\nduration = \"24 h\"\n";
  return parse_study(study.str(), "poreflux compounds");
}

}  // namespace poreflux
