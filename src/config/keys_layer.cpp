// [[layer]]: every key has a rule across keys (unique names, roles in order, a site's thickness,
// clearance only in vivo), so read_layers reads them, taking each range from here.
#include "poreflux/plausible_ranges.hpp"
#include "section_keys.hpp"

namespace poreflux::config {

std::vector<KeyDecl> layer_keys() {
  const Bounds thickness =
      Bounds::plausible(1e-5, 1.0, "between 0.1 um and 10 mm",
                        "a layer thinner than a corneocyte is not a layer; skin is less than 1 cm thick", 5e-3);
  const Bounds cell =
      Bounds::plausible(5e-6, 1.0, "between 0.05 um and 10 mm",
                        "finer than a lipid lamella changes nothing and only multiplies the cells", 1e-4);
  const char* reader = "read_layers";
  auto key = [&](const char* name) { return Key("layer", name).array_section().read_by_function(reader); };
  return {
      key("name")
          .text("stratum_corneum")
          .no_default("required")
          .doc_line("free, unique among layers, non-empty (e.g. `\"papillary_dermis\"`)")
          .lands("LayerSpec::name"),
      key("role")
          .one_of({"stratum_corneum", "viable_epidermis", "dermis"})
          .no_default("the name, when it is a role; otherwise required")
          .doc_line("the compartment the layer reports to; roles go top to bottom and may repeat (two dermis layers)")
          .lands("LayerSpec::role"),
      key("thickness")
          .quantity(Dimension::length, thickness)
          .no_default("the [skin] site's layer")
          .doc_line("the layer's thickness")
          .lands("LayerSpec::thickness_cm"),
      key("diffusivity")
          .quantity(Dimension::diffusivity, ranges::diffusivity())
          .no_default("derived (docs/PARAMETERS.md)")
          .doc_line("D in this layer; given: it wins, and a warning says when it is > 10× off the derived value")
          .lands("LayerSpec::diffusivity_cm2_s"),
      key("partition")
          .number(ranges::partition(), "1.2")
          .no_default("derived (docs/PARAMETERS.md)")
          .doc_line("K relative to the vehicle")
          .lands("LayerSpec::partition"),
      key("max_cell")
          .quantity(Dimension::length, cell)
          .no_default("thickness / 20")
          .doc_line("largest grid spacing allowed in this layer")
          .lands("LayerSpec::max_cell_cm"),
      key("degradation_rate")
          .quantity(Dimension::rate, ranges::rate())
          .defaults_to("\"0 1/s\"", "")
          .doc_line("first-order metabolism/degradation in the tissue; not with `degradation_half_life`")
          .lands("LayerSpec::degradation_per_s"),
      key("degradation_half_life")
          .quantity(Dimension::time, ranges::half_life())
          .no_default("none")
          .doc_line("the same as a half-life: rate = ln 2 / half-life; not with `degradation_rate`")
          .lands("LayerSpec::degradation_per_s")
          .not_written_back("written as degradation_rate"),
      key("clearance_rate")
          .quantity(Dimension::rate, ranges::rate())
          .no_default("dermis in vivo: derived (Dancik 2013); others none")
          .doc_line("first-order removal into the blood; only with `[boundary] bottom = \"in_vivo\"`")
          .lands("LayerSpec::clearance_per_s"),
  };
}

}  // namespace poreflux::config
