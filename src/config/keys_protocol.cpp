// [protocol] and [[protocol.application]]. Not yet converted: output schedules, washes and
// repeated applications are checked against each other and the duration by read_protocol and
// read_schedule (ranges inline there); docs/CONFIG.md keeps its hand-written tables.
#include "plausible_ranges.hpp"
#include "section_keys.hpp"

namespace poreflux::config {

std::vector<KeyDecl> protocol_keys() {
  const char* reader = "read_protocol, read_schedule (times checked against the duration and each other)";
  auto key = [&](const char* name) { return Key("protocol", name).read_by_function(reader); };
  auto application = [&](const char* name) {
    return Key("protocol.application", name)
        .array_section()
        .read_by_function(reader)
        .lands("ProtocolSpec::applications");
  };
  return {
      key("duration")
          .quantity(Dimension::time, ranges::duration())
          .no_default("required")
          .lands("ProtocolSpec::duration_s")
          .doc_line("length of the simulated study"),
      key("output_interval")
          .quantity(Dimension::time, Bounds::positive())
          .no_default("duration / 24 with early times")
          .lands("ProtocolSpec::output_times_s")
          .doc_line("write results every this long"),
      key("output_times")
          .quantity_list(Dimension::time, Bounds::positive())
          .no_default("none")
          .lands("ProtocolSpec::output_times_s")
          .doc_line("write results at these times instead"),
      key("wipe_at")
          .quantity(Dimension::time, ranges::time_of_event())
          .no_default("no wipe")
          .lands("ProtocolSpec::wipe_time_s")
          .doc_line("remove everything on the surface at this time"),
      key("occluded")
          .flag()
          .defaults_to("false", "")
          .lands("ProtocolSpec::environment.occluded")
          .doc_line("the site is covered for the whole study"),
      key("air_speed")
          .quantity(Dimension::speed, Bounds::any())
          .defaults_to("\"0.165 m/s\"", "still indoor air")
          .lands("ProtocolSpec::environment.air_speed_cm_s")
          .doc_line("air speed over the skin"),
      key("relative_humidity")
          .number(Bounds::closed(0.0, 1.0), "0.5")
          .defaults_to("0.5", "")
          .lands("ProtocolSpec::environment.relative_humidity")
          .doc_line("of the room air"),
      key("occlusion_sc_factor")
          .number(Bounds::any(), "2")
          .no_default("1")
          .lands("ProtocolSpec::occlusion_sc_diffusivity_factor")
          .doc_line("multiplies SC diffusivities under occlusion"),
      key("repeat_every")
          .quantity(Dimension::time, Bounds::positive())
          .no_default("none")
          .lands("ProtocolSpec::applications")
          .doc_line("re-apply [vehicle] at this interval"),
      key("applications")
          .number(Bounds::closed(1, 100000), "3")
          .no_default("as many as fit")
          .lands("ProtocolSpec::applications")
          .doc_line("number of applications, with repeat_every"),
      key("application")
          .table_array()
          .no_default("none")
          .lands("ProtocolSpec::applications")
          .doc_line("later applications, one table each"),
      key("wash_at")
          .quantity_list(Dimension::time, Bounds::positive())
          .no_default("none")
          .lands("ProtocolSpec::washes")
          .doc_line("washes"),
      key("wash_efficiency")
          .number(Bounds::closed(0.0, 1.0), "1")
          .defaults_to("1", "")
          .lands("ProtocolSpec::washes")
          .doc_line("fraction of the surface's content each wash removes"),
      application("at")
          .quantity(Dimension::time, Bounds::positive())
          .no_default("required")
          .doc_line("time after the first application"),
      application("volume_per_area")
          .quantity(Dimension::volume_per_area, Bounds::any())
          .no_default("[vehicle]'s")
          .doc_line("applied volume"),
      application("formulation_per_area")
          .quantity(Dimension::dose_per_area, Bounds::positive())
          .no_default("none")
          .doc_line("instead of volume_per_area"),
      application("concentration")
          .mixed("quantity or mass fraction")
          .no_default("[vehicle]'s")
          .doc_line("0: a placebo of the same vehicle"),
      application("dose_per_area")
          .quantity(Dimension::dose_per_area, Bounds::non_negative())
          .no_default("none")
          .doc_line("instead of concentration"),
  };
}

}  // namespace poreflux::config
