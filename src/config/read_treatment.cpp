// Reads the optional [treatment] section (microneedle pre-treatment, docs/CONFIG.md) into a
// TreatmentSpec: every value not given is derived from the device presets in
// parameters/device_presets.hpp and keeps the relation that produced it in its `source`, and the
// channel geometry is checked against the lattice and the skin layers before any grid exists,
// so a channel that cannot be built fails here, pointing at the key that made it.
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parameters/device_presets.hpp"
#include "poreflux/config.hpp"
#include "read_sections.hpp"
#include "section_keys.hpp"

namespace poreflux::config {
namespace {

// Devices as bits, so that a key can name every device it belongs to.
enum DeviceBit : unsigned { kRoller = 1u, kPen = 2u, kStamp = 4u, kChannels = 8u };

struct DeviceKey {
  std::string_view key;
  unsigned devices;
};

// Keys that mean something for some devices only; on another device they are refused by
// name rather than read and ignored. "channels" describes channels directly: no needle.
constexpr DeviceKey kDeviceKeys[] = {
    {"needle_length", kRoller | kPen | kStamp},
    {"penetration_fraction", kRoller | kPen | kStamp},
    {"needles", kRoller | kPen},
    {"passes", kRoller | kPen},
    {"rows", kRoller},
    {"drum_diameter", kRoller},
    {"drum_width", kRoller},
    {"stamps_per_cm2", kPen},
};

constexpr std::string_view kPatchKeys[] = {"patch_width", "patch_length", "pattern", "seed", "jitter"};

struct DeviceName {
  std::string_view name;
  unsigned bit;
};
constexpr DeviceName kDevices[] = {{"dermaroller", kRoller}, {"pen", kPen}, {"stamp", kStamp}, {"channels", kChannels}};

unsigned device_bit(const std::string& device) {
  for (const DeviceName& entry : kDevices) {
    if (entry.name == device) return entry.bit;
  }
  return 0;
}

// "\"dermaroller\", \"pen\""
std::string device_list(unsigned devices) {
  std::string list;
  for (const DeviceName& entry : kDevices) {
    if ((devices & entry.bit) == 0) continue;
    list += (list.empty() ? "\"" : ", \"") + std::string(entry.name) + "\"";
  }
  return list;
}

std::string keys_for(unsigned device) {
  std::string list;
  for (const DeviceKey& entry : kDeviceKeys) {
    if ((entry.devices & device) == 0) continue;
    list += (list.empty() ? "" : ", ") + std::string(entry.key);
  }
  return list;
}

// Whether the table holds the key, without registering it as a valid key (TableReader::has
// would, and the "valid keys" list of a later message would then name a key that is not).
bool present(const TableReader& table, std::string_view key) { return !table.text_of(key).empty(); }

// Four significant digits, without an exponent for the counts and microns a reader expects
// in plain digits ("20006 /cm2", not "2.001e+04 /cm2").
std::string number_text(double value) {
  char buffer[32];
  const double magnitude = std::abs(value);
  if (magnitude >= 1e4 && magnitude < 1e9) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.4g", value);
  }
  return buffer;
}
std::string um_text(double cm) { return number_text(cm * 1e4) + " um"; }
std::string density_text(double per_cm2) { return number_text(per_cm2) + " /cm2"; }
std::string lattice_name(Lattice lattice) { return lattice == Lattice::hexagonal ? "hexagonal" : "square"; }

void refuse_keys_of_other_devices(const TableReader& table, const std::string& device) {
  const unsigned bit = device_bit(device);
  for (const DeviceKey& entry : kDeviceKeys) {
    if ((entry.devices & bit) != 0 || !present(table, entry.key)) continue;
    const std::string valid = bit == kChannels ? "device = \"channels\" describes the channels themselves: give "
                                                 "channel_depth, channel_diameter and density or pitch"
                                               : "device keys valid for \"" + device + "\": " + keys_for(bit);
    table.fail(entry.key, "unknown key '" + std::string(entry.key) + "' for device = \"" + device +
                              "\"; it belongs to device " + device_list(entry.devices) + "; " + valid);
  }
}

// The declaration of a [treatment] key (TreatmentSpec::keys() or keys_treatment.cpp): its range,
// example and choices.
const KeyDecl& declared(std::string_view name) { return declared_key("treatment", std::string(name)); }

// A number or quantity of [treatment], range-checked as declared; nullopt when absent.
std::optional<double> optional_value(TableReader& table, std::string_view name) {
  return read_number_value(table, declared(name));
}
double required_value(TableReader& table, std::string_view name, std::string_view missing_hint) {
  const KeyDecl& key = declared(name);
  return table.required_quantity(key.name, key.dimension, key.range, missing_hint);
}

// Counts and seeds: numbers that must be whole. `example` replaces the declared one where a
// device has its own ("12" needles on a pen, "192" on a roller).
std::optional<long long> optional_integer(TableReader& table, std::string_view name, std::string_view example = {}) {
  const KeyDecl& key = declared(name);
  const std::string shown = example.empty() ? key.example : std::string(example);
  const std::optional<double> value = table.optional_number(key.name, key.range, shown);
  if (!value) return std::nullopt;
  if (std::floor(*value) != *value) {
    table.fail(key.name, "expected a whole number " + key.range.describe() + " such as " + shown + "; got " +
                             table.text_of(name));
  }
  return static_cast<long long>(*value);
}

const char* domain_name(DomainKind domain) {
  return domain == DomainKind::patch ? "patch" : domain == DomainKind::axisymmetric ? "axisymmetric" : "unit_cell";
}

Sourced from_preset(const parameters::Preset& preset) { return Sourced{preset.value, std::string(preset.source)}; }

// Depth from the needle (length x penetration fraction) unless given; "channels" must give it.
void read_depth(TableReader& table, TreatmentSpec& spec) {
  const bool needle_device = spec.device != "channels";
  if (needle_device) spec.needle_length_cm = optional_value(table, "needle_length");
  if (!needle_device) {
    spec.channel_depth_cm.value = required_value(
        table, "channel_depth", "device = \"channels\" describes the channels directly, so their depth is required");
    spec.penetration_fraction = {0.0, "not used: device = \"channels\" gives channel_depth"};
    return;
  }

  const std::optional<std::string> given = table.at_most_one_of("penetration_fraction", "channel_depth");
  if (given && *given == "channel_depth") {
    spec.channel_depth_cm.value = *optional_value(table, "channel_depth");
    if (!spec.needle_length_cm) {
      spec.penetration_fraction = {0.0, "not used: channel_depth given without needle_length"};
      return;
    }
    if (spec.channel_depth_cm.value > *spec.needle_length_cm) {
      table.fail("channel_depth", "a channel cannot be deeper than the needle that made it: channel_depth " +
                                      um_text(spec.channel_depth_cm.value) + " > needle_length " +
                                      um_text(*spec.needle_length_cm) + "; expected a depth <= needle_length");
    }
    spec.penetration_fraction = {spec.channel_depth_cm.value / *spec.needle_length_cm, "channel_depth / needle_length"};
    return;
  }

  if (!spec.needle_length_cm) {
    table.fail("needle_length",
               "required key is missing in [treatment]; give needle_length = \"0.5 mm\" (the "
               "channel depth is then needle_length x penetration_fraction) or channel_depth = "
               "\"150 um\" for device = \"" +
                   spec.device + "\"");
  }
  const std::optional<double> fraction = optional_value(table, "penetration_fraction");
  spec.penetration_fraction = fraction ? Sourced{*fraction, "config"} : from_preset(parameters::kPenetrationFraction);
  spec.channel_depth_cm = {*spec.needle_length_cm * spec.penetration_fraction.value,
                           fraction ? "needle_length x penetration_fraction (config)"
                                    : "needle_length x penetration_fraction (default 152.5/770, Kalluri & Banga 2011)"};
}

void read_shape(TableReader& table, TreatmentSpec& spec) {
  const std::optional<double> diameter = optional_value(table, "channel_diameter");
  spec.channel_diameter_cm = diameter ? Sourced{*diameter, "config"} : from_preset(parameters::kChannelDiameterCm);

  read_key(table, bindings_of<TreatmentSpec>(), "shape", spec);
  if (spec.shape != ChannelShape::cone) {
    if (present(table, "tip_diameter")) {
      table.fail("tip_diameter",
                 "tip_diameter is only used with shape = \"cone\" (a cylinder has one diameter, "
                 "channel_diameter); set shape = \"cone\" or remove it");
    }
    return;
  }
  const std::optional<double> tip = optional_value(table, "tip_diameter");
  spec.tip_diameter_cm = tip.value_or(parameters::kTipDiameterFraction.value * spec.channel_diameter_cm.value);
  if (spec.tip_diameter_cm >= spec.channel_diameter_cm.value) {
    table.fail("tip_diameter",
               "a cone narrows from the surface to its tip: expected a "
               "tip_diameter > 0 and < channel_diameter (" +
                   um_text(spec.channel_diameter_cm.value) + "); got \"" + table.text_of("tip_diameter") + "\"");
  }
}

// Roller and pen settings; recorded even when density or pitch is given, since a patch with
// a roller or pen pattern places its channels from them.
void read_device_settings(TableReader& table, TreatmentSpec& spec) {
  if (spec.device == "dermaroller") {
    spec.roller_needles =
        static_cast<int>(optional_integer(table, "needles", "192").value_or(parameters::kRollerNeedles.value));
    spec.roller_rows = static_cast<int>(optional_integer(table, "rows").value_or(parameters::kRollerRows.value));
    if (spec.roller_rows > spec.roller_needles) {
      table.fail("rows", "expected at most as many rows as needles (" + std::to_string(spec.roller_needles) +
                             "); got " + table.text_of("rows"));
    }
    spec.drum_diameter_cm = optional_value(table, "drum_diameter").value_or(parameters::kRollerDrumDiameterCm.value);
    spec.drum_width_cm = optional_value(table, "drum_width").value_or(parameters::kRollerDrumWidthCm.value);
  } else if (spec.device == "pen") {
    spec.pen_needles =
        static_cast<int>(optional_integer(table, "needles", "12").value_or(parameters::kPenNeedles.value));
    spec.pen_stamps_per_cm2 = optional_value(table, "stamps_per_cm2").value_or(parameters::kPenStampsPerCm2.value);
  }
  if (spec.device == "dermaroller" || spec.device == "pen") {
    spec.passes = static_cast<int>(optional_integer(table, "passes").value_or(1));
  }
}

// Channels per cm²: given, from the pitch, or from the device.
void read_density(TableReader& table, TreatmentSpec& spec) {
  read_key(table, bindings_of<TreatmentSpec>(), "lattice", spec);
  read_device_settings(table, spec);

  const std::optional<std::string> given = table.at_most_one_of("density", "pitch");
  if (given && *given == "density") {
    spec.density_per_cm2 = {*optional_value(table, "density"), "config"};
  } else if (given) {
    const double pitch = *optional_value(table, "pitch");
    spec.density_per_cm2 = {parameters::density_per_cm2(pitch, spec.lattice),
                            std::string(parameters::density_from_pitch_source(spec.lattice))};
  } else if (spec.device == "dermaroller") {
    spec.density_per_cm2 = {
        parameters::roller_density_per_cm2(spec.roller_needles, spec.drum_diameter_cm, spec.drum_width_cm, spec.passes),
        std::string(parameters::kRollerDensitySource)};
  } else if (spec.device == "pen") {
    spec.density_per_cm2 = {parameters::pen_density_per_cm2(spec.pen_needles, spec.pen_stamps_per_cm2, spec.passes),
                            std::string(parameters::kPenDensitySource) + " (11-12 needles per tip; 9 stamps/cm2 est.)"};
  } else {
    table.fail("density", "required key is missing in [treatment]; device = \"" + spec.device +
                              "\" needs density = \"100 /cm2\" or pitch = \"1 mm\" (research arrays: "
                              "<= 100 /cm2 typical; 256 /cm2 in Li 2017 RSC Adv)");
  }
}

// Neighbouring channels must not touch: the surface diameter must stay below the pitch.
void check_spacing(const TableReader& table, const TreatmentSpec& spec) {
  const double diameter = spec.channel_diameter_cm.value;
  const double pitch = parameters::pitch_cm(spec.density_per_cm2.value, spec.lattice);
  if (diameter < pitch) return;
  const std::string lattice = lattice_name(spec.lattice);
  const std::string limit =
      "for channels " + um_text(diameter) + " wide on a " + lattice + " lattice the density must stay below " +
      density_text(parameters::max_density_per_cm2(diameter, spec.lattice)) + " (pitch > diameter)";
  if (present(table, "pitch")) {
    table.fail("pitch", "channels overlap: the pitch " + um_text(pitch) + " is not larger than the channel diameter " +
                            um_text(diameter) + "; expected a pitch > " + um_text(diameter) +
                            " (or a smaller "
                            "channel_diameter)");
  }
  const std::string how = present(table, "density")
                              ? "density " + density_text(spec.density_per_cm2.value)
                              : "the density derived from the device, " + density_text(spec.density_per_cm2.value) +
                                    " (" + spec.density_per_cm2.source + "),";
  table.fail("density", "channels overlap: " + how + " puts them " + um_text(pitch) +
                            " apart, not more than their diameter " + um_text(diameter) + "; " + limit);
}

// A channel must cross the stratum corneum and end inside the skin.
void check_depth_against_layers(const TableReader& table, const TreatmentSpec& spec,
                                const std::vector<LayerSpec>& layers) {
  const std::string key = present(table, "channel_depth") ? "channel_depth" : "needle_length";
  const std::string depth_text = key == "channel_depth" ? "channel_depth " + um_text(spec.channel_depth_cm.value)
                                                        : "the channel depth " + um_text(spec.channel_depth_cm.value) +
                                                              " (needle_length x penetration_fraction " +
                                                              number_text(spec.penetration_fraction.value) + ")";
  double total = 0.0;
  for (const LayerSpec& layer : layers) total += layer.thickness_cm;
  if (spec.channel_depth_cm.value >= total) {
    table.fail(key, depth_text + " reaches through the whole skin, " + um_text(total) +
                        " thick (the sum of the [[layer]] thicknesses); expected a depth < " + um_text(total));
  }
  const LayerSpec& top = layers.front();
  if (spec.channel_depth_cm.value <= top.thickness_cm) {
    table.fail(key, "the channel must cross the stratum corneum: " + depth_text +
                        " is not deeper than the first [[layer]] \"" + top.name + "\" (" + um_text(top.thickness_cm) +
                        ", " + top.config_line + "); expected a depth > " + um_text(top.thickness_cm));
  }
}

// exp(-t/tau) closure: the occlusion preset, a given time, or "never".
Sourced read_closure(TableReader& table, bool occluded) {
  constexpr std::string_view key = "closure_time_constant";
  if (!table.has(key)) return from_preset(parameters::closure_tau_s(occluded));
  if (table.text_of(key) == "never") {  // only a string prints as never
    return {std::numeric_limits<double>::infinity(), "config"};
  }
  const KeyDecl& declaration = declared(key);
  try {
    return {*table.optional_quantity(key, declaration.dimension, declaration.range), "config"};
  } catch (const ConfigError& error) {
    throw ConfigError(error.file(), error.line(), error.key_path(),
                      error.message() + "; or \"never\" for channels that stay open", error.subject());
  }
}

void read_patch(TableReader& table, TreatmentSpec& spec) {
  const std::string domain = domain_name(spec.domain);
  if (spec.domain != DomainKind::patch) {
    for (std::string_view key : kPatchKeys) {
      if (!present(table, key)) continue;
      table.fail(key, "'" + std::string(key) +
                          "' is only used with domain = \"patch\"; this "
                          "[treatment] has domain = \"" +
                          domain + "\"" + (present(table, "domain") ? "" : " (the default)") +
                          "; set domain = \"patch\" or remove it");
    }
    return;
  }
  constexpr std::string_view kSizeHint =
      "domain = \"patch\" needs its size, e.g. patch_width = \"2 mm\" and patch_length = \"2 mm\"";
  spec.patch_width_cm = required_value(table, "patch_width", kSizeHint);
  spec.patch_length_cm = required_value(table, "patch_length", kSizeHint);
  const double pitch = parameters::pitch_cm(spec.density_per_cm2.value, spec.lattice);
  const auto require_one_pitch = [&](std::string_view key, double size) {
    if (size >= pitch) return;
    table.fail(key, "the patch must span at least one channel spacing: the pitch is " + um_text(pitch) + " at " +
                        density_text(spec.density_per_cm2.value) + " on a " + lattice_name(spec.lattice) +
                        " lattice; expected " + std::string(key) + " >= " + um_text(pitch) + "; got \"" +
                        table.text_of(key) + "\"");
  };
  require_one_pitch("patch_width", spec.patch_width_cm);
  require_one_pitch("patch_length", spec.patch_length_cm);

  const std::string_view default_pattern = spec.device == "dermaroller" ? "roller"
                                           : spec.device == "pen"       ? "pen"
                                                                        : "lattice";
  const std::string pattern = table.choice_of("pattern", declared("pattern").choices, default_pattern);
  if ((pattern == "roller" && spec.device != "dermaroller") || (pattern == "pen" && spec.device != "pen")) {
    table.fail(
        "pattern",
        "pattern = \"" + pattern + "\" needs device = \"" + (pattern == "roller" ? "dermaroller" : "pen") +
            "\"; for device = \"" + spec.device + "\" expected \"lattice\"" +
            (spec.device == "stamp" || spec.device == "channels" ? std::string()
                                                                 : " or \"" + std::string(default_pattern) + "\""));
  }
  spec.pattern = pattern == "roller" ? PatternKind::roller : pattern == "pen" ? PatternKind::pen : PatternKind::lattice;
  spec.seed = static_cast<unsigned>(optional_integer(table, "seed").value_or(spec.seed));
  read_key(table, bindings_of<TreatmentSpec>(), "jitter", spec);
}

void read_grid(TableReader& table, TreatmentSpec& spec) {
  read_key(table, bindings_of<TreatmentSpec>(), "wall_cell", spec);
  const Bounds& cell_range = declared("lateral_max_cell").range;  // a wall cell of 0 is automatic
  if (spec.wall_cell_cm != 0.0 && !cell_range.contains(spec.wall_cell_cm))
    table.fail("wall_cell", "expected 0 (automatic) or a length " + cell_range.describe() + "; got \"" +
                                table.text_of("wall_cell") + "\"");
  read_key(table, bindings_of<TreatmentSpec>(), "lateral_max_cell", spec);
  if (spec.wall_cell_cm >= spec.channel_diameter_cm.value) {
    table.fail("wall_cell",
               "a wall cell must be smaller than the channel it resolves: expected "
               "wall_cell < channel_diameter (" +
                   um_text(spec.channel_diameter_cm.value) +
                   ") or 0 for automatic; "
                   "got \"" +
                   table.text_of("wall_cell") + "\"");
  }
  if (spec.lateral_max_cell_cm > 0.0 && spec.wall_cell_cm > spec.lateral_max_cell_cm) {
    table.fail("wall_cell", "expected wall_cell <= lateral_max_cell (\"" + table.text_of("lateral_max_cell") +
                                "\"); got \"" + table.text_of("wall_cell") + "\"");
  }
}

// Names users give the devices, folded (lower case, no spaces, hyphens or underscores), and the
// device each is; what a device is, for the note.
struct DeviceSynonym {
  std::string_view folded;
  std::string_view device;
};
constexpr DeviceSynonym kDeviceSynonyms[] = {
    {"dermapen", "pen"},
    {"microneedlepen", "pen"},
    {"microneedlingpen", "pen"},
    {"mnpen", "pen"},
    {"electricpen", "pen"},
    {"autopen", "pen"},
    {"automatedmicroneedlingpen", "pen"},
    {"motorisedpen", "pen"},
    {"motorizedpen", "pen"},
    {"dermroller", "dermaroller"},
    {"microneedleroller", "dermaroller"},
    {"microneedlingroller", "dermaroller"},
    {"skinroller", "dermaroller"},
    {"mnroller", "dermaroller"},
    {"dermastamp", "stamp"},
    {"microneedlestamp", "stamp"},
    {"microneedlearray", "stamp"},
    {"microneedlepatch", "stamp"},
    {"mnpatch", "stamp"},
    {"pens", "pen"},
};

// Names too vague to take without asking (a "roller" could be a massage roller): suggested only.
constexpr DeviceSynonym kSuggestedDevices[] = {{"roller", "dermaroller"}, {"microneedle", "stamp"}};

std::string fold_device(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c == ' ' || c == '-' || c == '_') continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

// The device a written name stands for: itself, a case or spacing variant, or a synonym.
std::string device_named(const std::string& written) {
  const std::string folded = fold_device(written);
  for (const DeviceName& d : kDevices)
    if (fold_device(std::string(d.name)) == folded) return std::string(d.name);
  for (const DeviceSynonym& s : kDeviceSynonyms)
    if (s.folded == folded) return std::string(s.device);
  return "";
}

// The domain taken when [treatment] names none (issue 19 item 5). Outside a patch the channels
// stand on a regular lattice (`pattern` and `jitter`, the device's irregular placements, are
// patch-only keys), and the r-z cell of equal area around one channel is the lattice's cheap
// equivalent: on a square lattice it agrees with the 3D unit cell to ~0.01 % at ~1/30 of the
// cost (docs/STUDIES.md, "The axisymmetric cell"), and on a hexagonal one as well (the README's
// pen serum: uptake 1e-6, peak flux 0.08 % apart, 1 220 vs 65 880 cells; docs/BENCHMARKS.md;
// tests/test_microchannels.cpp, AxisymmetricCellMatchesHexagonalUnitCell). The channel always fits
// the circle: check_spacing keeps its diameter below the pitch, and the circle's radius is 0.564
// pitch (square) or 0.525 pitch (hexagonal). A lattice added later that the circle cannot stand
// for (a rectangular one, say) must return the unit cell here; the switch makes that a decision.
DomainKind default_domain(const TreatmentSpec& spec) {
  switch (spec.lattice) {
    case Lattice::square:
    case Lattice::hexagonal:
      return DomainKind::axisymmetric;
  }
  return DomainKind::unit_cell;
}

std::string_view device_meaning(const std::string& device) {
  if (device == "pen") return "a motorised microneedle pen stamping as it moves";
  if (device == "dermaroller") return "a drum of needles rolled over the skin";
  if (device == "stamp") return "a flat array of needles pressed once";
  return "channels described directly";
}

}  // namespace

std::optional<TreatmentSpec> read_treatment(TableReader& root, const std::vector<LayerSpec>& layers,
                                            const ProtocolSpec& protocol, std::vector<std::string>* notes) {
  const bool occluded = protocol.environment.occluded;
  std::optional<TableReader> table = root.optional_table("treatment");
  if (!table) return std::nullopt;

  TreatmentSpec spec;
  spec.config_line = table->file() + ":" + std::to_string(table->line());
  if (!table->has("device")) {
    table->fail("device",
                "required key is missing in [treatment]; give device = one of "
                "\"dermaroller\", \"pen\", \"stamp\", \"channels\"");
  }
  // Synonyms (a dermapen is a pen) are taken with a note; anything else is refused by choice().
  const std::optional<std::string> written =
      table->holds_string("device") ? table->optional_string("device") : std::nullopt;
  const std::string named = written ? device_named(*written) : std::string();
  if (!named.empty()) {
    spec.device = named;
    if (notes && *written != named)
      notes->push_back(table->file() + ":" + std::to_string(table->line_of("device")) + ": device = \"" + *written +
                       "\" read as \"" + named + "\" (" + std::string(device_meaning(named)) + ")");
  } else {
    // A near miss of a device or of a synonym ("rollr", "derma pen" typed "dermpen") is named.
    if (written) {
      const std::string folded = fold_device(*written);
      std::string near;
      for (const DeviceName& d : kDevices)
        if (near.empty() && edit_distance(folded, d.name) <= 2) near = std::string(d.name);
      for (const DeviceSynonym& syn : kDeviceSynonyms)
        if (near.empty() && edit_distance(folded, syn.folded) <= 2) near = std::string(syn.device);
      for (const DeviceSynonym& syn : kSuggestedDevices)
        if (near.empty() && edit_distance(folded, syn.folded) <= 2) near = std::string(syn.device);
      if (!near.empty() && folded.size() > 2)
        table->fail("device", "expected one of \"dermaroller\", \"pen\", \"stamp\", \"channels\"; got \"" + *written +
                                  "\" (did you mean \"" + near + "\"? " + std::string(device_meaning(near)) + ")");
    }
    spec.device = table->choice_of("device", declared("device").choices, "");
  }
  refuse_keys_of_other_devices(*table, spec.device);

  read_depth(*table, spec);
  read_shape(*table, spec);
  read_density(*table, spec);
  check_spacing(*table, spec);
  check_depth_against_layers(*table, spec, layers);

  if (table->has("occluded"))
    table->fail("occluded",
                "occlusion is one switch for the film and the channels: write occluded = true in "
                "[protocol] (it sets the closure preset, stops evaporation and applies any SC "
                "hydration factor)");
  spec.occluded = occluded;
  spec.closure_tau_s = read_closure(*table, spec.occluded);
  // Later needling sessions (the first is at t = 0): e.g. weekly microneedling.
  const KeyDecl& repeat_at = declared("repeat_at");
  if (std::optional<std::vector<ListEntry>> again =
          table->optional_quantity_list(repeat_at.name, repeat_at.dimension, repeat_at.range)) {
    for (std::size_t i = 0; i < again->size(); ++i) {
      const ListEntry& e = (*again)[i];
      if (!(e.value < protocol.duration_s))
        table->fail_entry(e, "a needling session must come before the end of the study; got \"" + e.text + "\"");
      if (i > 0 && !(e.value > (*again)[i - 1].value))
        table->fail_entry(
            e, "needling times must increase strictly; got \"" + (*again)[i - 1].text + "\" then \"" + e.text + "\"");
      spec.repeat_at_s.push_back(e.value);
    }
  }
  for (const char* plain : {"filling", "channel_diffusivity", "channel_partition"})
    read_key(*table, bindings_of<TreatmentSpec>(), plain, spec);
  // The default domain depends on the lattice (default_domain); the bound key keeps a given one.
  spec.domain = default_domain(spec);
  spec.domain_by_default = !present(*table, "domain");  // the summary says so (study/print_summary.cpp)
  read_key(*table, bindings_of<TreatmentSpec>(), "domain", spec);
  read_patch(*table, spec);
  read_grid(*table, spec);
  read_remaining_keys(*table, bindings_of<TreatmentSpec>(), spec);  // plain keys no rule above needed first
  table->reject_unknown_keys();
  return spec;
}

}  // namespace poreflux::config
