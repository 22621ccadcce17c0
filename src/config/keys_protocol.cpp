// [protocol] and [[protocol.application]]. The plain keys (the duration, a wipe, the air and
// occlusion) are declared beside the fields they land in (ProtocolSpec::keys(), study.hpp;
// FilmEnvironment::keys(), vehicle.hpp) and read and written back by the generic path; here are
// the output schedule, repeated applications and washes, checked against each other and the
// duration by read_protocol and read_schedule, which take each range and example from here.
#include "poreflux/plausible_ranges.hpp"
#include "section_keys.hpp"

namespace poreflux::config {

namespace {
const char* const kScheduleReader = "read_protocol, read_schedule (times checked against the duration and each other)";
}  // namespace

// A key of several forms whose number is still range-checked (a concentration, a time or "never").
KeyDecl with_number_range(KeyDecl decl, Dimension dimension, Bounds bounds) {
  decl.dimension = dimension;
  decl.has_dimension = true;
  decl.range = std::move(bounds);
  return decl;
}

std::vector<KeyDecl> protocol_keys() {
  auto key = [&](const char* name) { return Key("protocol", name).read_by_function(kScheduleReader); };
  auto application = [&](const char* name) {
    return Key("protocol.application", name)
        .array_section()
        .read_by_function(kScheduleReader)
        .lands("ProtocolSpec::applications");
  };
  std::vector<KeyDecl> keys = declared_keys_of<ProtocolSpec>();
  const std::vector<KeyDecl> environment = declared_keys_of<FilmEnvironment>();
  keys.insert(keys.end(), environment.begin(), environment.end());
  const std::vector<KeyDecl> ruled{
      key("output_interval")
          .quantity(Dimension::time, Bounds::positive().because("a time step of the output"))
          .no_default("duration / 24, with earlier times from 1 min")
          .lands("ProtocolSpec::output_times_s")
          .doc_line("write results every this long; not with `output_times`")
          .not_written_back("written as output_times"),
      key("output_times")
          .quantity_list(Dimension::time, Bounds::positive().because("times after the first application"))
          .no_default("none")
          .lands("ProtocolSpec::output_times_s")
          .doc_line("write results at these times instead (strictly increasing, at most the duration)"),
      key("occlusion_sc_factor")
          .number(Bounds::closed(0.1, 20.0).because("hydration changes SC diffusivities by a small factor"), "2")
          .no_default("1 (not applied)")
          .lands("ProtocolSpec::occlusion_sc_diffusivity_factor")
          .doc_line("multiplies SC diffusivities under occlusion; only with `occluded = true`"),
      key("repeat_every")
          .quantity(Dimension::time, ranges::time_in_study())
          .no_default("none")
          .lands("ProtocolSpec::applications")
          .doc_line("re-apply [vehicle] at this interval; not with [[protocol.application]]")
          .not_written_back("written as [[protocol.application]] tables"),
      key("applications")
          .number(Bounds::closed(1, 10000).because("27 years of twice-daily use"), "14")
          .no_default("as many as fit in the duration")
          .lands("ProtocolSpec::applications")
          .doc_line("number of applications (the first included), with `repeat_every`")
          .not_written_back("written as [[protocol.application]] tables"),
      key("application")
          .table_array()
          .no_default("none")
          .lands("ProtocolSpec::applications")
          .doc_line("later applications, one table each, strictly increasing in time"),
      key("wash_at")
          .quantity_list(Dimension::time, ranges::time_in_study())
          .no_default("none")
          .lands("ProtocolSpec::washes")
          .doc_line("washes, strictly increasing, before the end of the study; not with `wipe_at`"),
      key("wash_efficiency")
          .number(Bounds::closed(0.0, 1.0).because("the fraction of the surface's content removed"), "0.9")
          .defaults_to("1", "")
          .lands("ProtocolSpec::washes")
          .doc_line("fraction of the surface's content each wash removes; with `wash_at`"),
      application("at")
          .quantity(Dimension::time, ranges::time_in_study())
          .no_default("required")
          .doc_line("time after the first application"),
      // The amounts of a later application are those of [vehicle], hence its ranges.
      application("volume_per_area")
          .quantity(Dimension::volume_per_area, ranges::film_thickness())
          .no_default("[vehicle]'s")
          .doc_line("applied volume"),
      application("formulation_per_area")
          .quantity(Dimension::dose_per_area, Bounds::positive())
          .no_default("none")
          .doc_line("instead of volume_per_area")
          .not_written_back("written as volume_per_area"),
      with_number_range(application("concentration")
                            .mixed("quantity or mass fraction")
                            .no_default("[vehicle]'s")
                            .doc_line("0: a placebo of the same vehicle"),
                        Dimension::concentration, ranges::concentration()),
      application("dose_per_area")
          .quantity(Dimension::dose_per_area, ranges::dose_per_area())
          .no_default("none")
          .doc_line("instead of concentration")
          .not_written_back("written as concentration"),
  };
  keys.insert(keys.end(), ruled.begin(), ruled.end());
  return keys;
}

}  // namespace poreflux::config
