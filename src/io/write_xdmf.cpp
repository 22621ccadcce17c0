#include "io/write_xdmf.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "io/atomic_text_file.hpp"
#include "io/h5_handles.hpp"
#include "poreflux/h5_layout.hpp"

namespace poreflux {

using namespace h5layout;
namespace {

std::string escape_xml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string dims_text(const std::vector<std::uint64_t>& dims) {
  std::string out;
  for (std::uint64_t d : dims) out += (out.empty() ? "" : " ") + std::to_string(d);
  return out;
}

// Shortest text that reads back as the same double (Time values).
std::string number(double v) {
  char buffer[32];
  for (int digits = 6; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
    if (std::strtod(buffer, nullptr) == v) break;
  }
  return buffer;
}

// Writes the elements of one document; `file` is the HDF5 file's name as the .xmf refers to it.
class Writer {
 public:
  explicit Writer(std::string file) : file_(std::move(file)) {}
  std::ostringstream out;

  // A DataItem reading a whole dataset.
  void data_item(const h5::Dataset& ds, int indent) {
    const Described& d = describe(ds);
    out << pad(indent) << "<DataItem Dimensions=\"" << d.dims_text << "\" " << d.number_type << " Format=\"HDF\">"
        << d.source << "</DataItem>\n";
  }

  // One slab `index` of the slowest axis of `ds` (an output time, or the row of a slice),
  // presented with the dimensions `as` (same number of values).
  void slab_item(const h5::Dataset& ds, std::uint64_t index, const std::vector<std::uint64_t>& as, int indent) {
    const std::vector<std::uint64_t>& dims = describe(ds).dims;
    std::string start = std::to_string(index), stride = "1", count = "1";
    for (std::size_t a = 1; a < dims.size(); ++a) {
      start += " 0";
      stride += " 1";
      count += " " + std::to_string(dims[a]);
    }
    out << pad(indent) << "<DataItem ItemType=\"HyperSlab\" Dimensions=\"" << dims_text(as) << "\" "
        << describe(ds).number_type << ">\n"
        << pad(indent + 1) << "<DataItem Dimensions=\"3 " << dims.size() << "\" Format=\"XML\">" << start << "  "
        << stride << "  " << count << "</DataItem>\n";
    data_item(ds, indent + 1);
    out << pad(indent) << "</DataItem>\n";
  }

  void topology(const std::vector<std::uint64_t>& zyx, int indent) {
    out << pad(indent) << "<Topology TopologyType=\"3DRectMesh\" Dimensions=\"" << dims_text(zyx) << "\"/>\n";
  }

  // Rectilinear coordinates: X, Y, Z in that order (the data are [z][y][x]).
  void geometry_begin(int indent) { out << pad(indent) << "<Geometry GeometryType=\"VXVYVZ\">\n"; }
  void geometry_end(int indent) { out << pad(indent) << "</Geometry>\n"; }

  void attribute_begin(const std::string& name, const std::string& units, int indent) {
    // Node-centred: the coordinates are the cells' centres, one value per point.
    out << pad(indent) << "<Attribute Name=\"" << escape_xml(name) << "\" AttributeType=\"Scalar\" Center=\"Node\">\n"
        << pad(indent + 1) << "<Information Name=\"units\" Value=\"" << escape_xml(units) << "\"/>\n";
  }
  void attribute_end(int indent) { out << pad(indent) << "</Attribute>\n"; }

  static std::string pad(int indent) { return std::string(static_cast<std::size_t>(2 * indent), ' '); }

  // The dataset's units attribute ("1" if none), read once per dataset.
  const std::string& units(const h5::Dataset& ds) { return describe(ds).units; }

 private:
  // What the document says about a dataset, read from the file once: a slice series names the
  // same few datasets at every output time, and each read is an HDF5 call (~µs, many of them).
  struct Described {
    std::vector<std::uint64_t> dims;
    std::string dims_text, number_type, source, units;
  };
  const Described& describe(const h5::Dataset& ds) {
    auto [it, added] = described_.try_emplace(ds.path());
    if (added) {
      it->second.dims = ds.shape();
      it->second.dims_text = dims_text(it->second.dims);
      it->second.number_type = number_type(ds);
      it->second.source = escape_xml(file_ + ":" + ds.path());
      it->second.units = ds.has_attr("units") ? ds.read_attr_string("units") : "1";
    }
    return it->second;
  }

  static std::string number_type(const h5::Dataset& ds) {
    const h5::Dataset::NumberType t = ds.number_type();
    const std::string precision = " Precision=\"" + std::to_string(t.bytes) + "\"";
    switch (t.kind) {
      case 'f':
        return "NumberType=\"Float\"" + precision;
      case 'i':
        return (t.bytes == 1 ? "NumberType=\"Char\"" : "NumberType=\"Int\"") + precision;
      case 'u':
        return (t.bytes == 1 ? "NumberType=\"UChar\"" : "NumberType=\"UInt\"") + precision;
      default:
        throw std::runtime_error("XDMF: dataset '" + ds.path() + "' is not numeric");
    }
  }

  std::string file_;
  std::map<std::string, Described> described_;  // by the dataset's path in the file
};

// The scenario's grid: material map and initial concentration on the cell centres.
void grid(Writer& w, const std::string& scenario, const h5::Group& g) {
  const std::string y_name = g.exists("y_rad") ? "y_rad" : "y_um";
  const h5::Dataset x = g.open_dataset("x_um"), y = g.open_dataset(y_name), z = g.open_dataset("z_um");
  const h5::Dataset map = g.open_dataset("material_map");
  w.out << "    <Grid Name=\"" << escape_xml(scenario) << " grid\" GridType=\"Uniform\">\n"
        << "      <Information Name=\"coordinates\" Value=\"cell centres, x and z in um (z: depth below the surface), "
           "y in "
        << (y_name == "y_rad" ? "rad (axisymmetric: x is the radius, y the wedge angle)" : "um") << "\"/>\n";
  w.topology(map.shape(), 3);
  w.geometry_begin(3);
  w.data_item(x, 4);
  w.data_item(y, 4);
  w.data_item(z, 4);
  w.geometry_end(3);
  for (const char* field : {"material_map", "initial_concentration"}) {
    if (!g.exists(field)) continue;
    const h5::Dataset ds = g.open_dataset(field);
    w.attribute_begin(field, w.units(ds), 3);
    w.data_item(ds, 4);
    w.attribute_end(3);
  }
  w.out << "    </Grid>\n";
}

// A temporal collection of one slice picture: one grid per output time.
void slice_series(Writer& w, const std::string& scenario, const h5::Group& slices, const std::string& field,
                  const std::vector<double>& times_h) {
  const h5::Dataset data = slices.open_dataset(field);
  const std::vector<std::uint64_t> shape = data.shape();
  const bool xz = field == "xz_concentration";  // [time][z][x]; else top view [time][depth][y][x]
  const h5::Dataset x = slices.open_dataset("x_um"), y = slices.open_dataset("y_um");
  const h5::Dataset z = slices.open_dataset(xz ? "z_um" : "top_view_depth_um");
  const std::vector<std::uint64_t> zyx =
      xz ? std::vector<std::uint64_t>{shape[1], 1, shape[2]} : std::vector<std::uint64_t>{shape[1], shape[2], shape[3]};
  if (shape[0] != times_h.size())
    throw std::runtime_error("XDMF: " + data.path() + " has " + std::to_string(shape[0]) + " frames but time_h " +
                             std::to_string(times_h.size()) + " times");
  if (zyx[0] == 0 || zyx[1] == 0 || zyx[2] == 0) return;  // e.g. no top-view depths
  const std::uint64_t row = static_cast<std::uint64_t>(slices.read_attr_int("row_j"));
  w.out << "    <Grid Name=\"" << escape_xml(scenario + " " + field)
        << "\" GridType=\"Collection\" CollectionType=\"Temporal\">\n";
  for (std::size_t t = 0; t < times_h.size(); ++t) {
    w.out << "      <Grid Name=\"" << escape_xml(field) << " " << t << "\" GridType=\"Uniform\">\n"
          << "        <Time Value=\"" << number(times_h[t]) << "\"/>\n";
    w.topology(zyx, 4);
    w.geometry_begin(4);
    w.data_item(x, 5);
    if (xz) w.slab_item(y, row, {1}, 5);  // the plane y = y_um[row_j] through the channel row
    else w.data_item(y, 5);
    w.data_item(z, 5);
    w.geometry_end(4);
    w.attribute_begin("concentration", w.units(data), 4);
    w.slab_item(data, t, zyx, 5);
    w.attribute_end(4);
    w.out << "      </Grid>\n";
  }
  w.out << "    </Grid>\n";
}

// The surface map of channel openings: one plane at depth 0.
void channel_map(Writer& w, const std::string& scenario, const h5::Group& slices) {
  const h5::Dataset map = slices.open_dataset("channel_map");
  w.out << "    <Grid Name=\"" << escape_xml(scenario) << " channel_map\" GridType=\"Uniform\">\n";
  w.topology(map.shape(), 3);
  w.geometry_begin(3);
  w.data_item(slices.open_dataset("x_um"), 4);
  w.data_item(slices.open_dataset("y_um"), 4);
  w.data_item(slices.open_dataset("channel_map_depth_um"), 4);
  w.geometry_end(3);
  w.attribute_begin("channel_map", w.units(map), 3);
  w.data_item(map, 4);
  w.attribute_end(3);
  w.out << "    </Grid>\n";
}

}  // namespace

std::string xdmf_path_for(const std::string& h5_path) {
  std::filesystem::path p(h5_path);
  p.replace_extension(".xmf");
  return p.string();
}

std::string xdmf_document(const std::string& h5_path) {
  const h5::File file = h5::File::open_read(h5_path);
  const h5::Group& root = file.root();
  Writer w(std::filesystem::path(h5_path).filename().string());
  bool any = false;
  if (root.exists(kScenarios)) {
    const h5::Group scenarios = root.open_group(kScenarios);
    for (const std::string& name : scenarios.children()) {
      const h5::Group s = scenarios.open_group(name);
      if (!s.exists(kGrid) || !s.open_group(kGrid).exists("material_map")) continue;
      any = true;
      grid(w, name, s.open_group(kGrid));
      if (!s.exists(kSlices)) continue;
      const h5::Group slices = s.open_group(kSlices);
      const std::vector<double> times_h = s.read_1d(kTime);
      slice_series(w, name, slices, "xz_concentration", times_h);
      slice_series(w, name, slices, "top_view_concentration", times_h);
      channel_map(w, name, slices);
    }
  }
  if (!any) return "";
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
         "<!DOCTYPE Xdmf SYSTEM \"Xdmf.dtd\" []>\n"
         "<!-- Written by poreflux: the 3-D fields and slices of a run file (layout poreflux-h5/1). The numbers are "
         "in\n"
         "     the HDF5 file each DataItem names, expected beside this one. Open with ParaView's Xdmf3ReaderS. -->\n"
         "<Xdmf Version=\"3.0\" xmlns:xi=\"http://www.w3.org/2001/XInclude\">\n"
         "  <Domain>\n" +
         w.out.str() +
         "  </Domain>\n"
         "</Xdmf>\n";
}

bool write_xdmf(const std::string& h5_path, const std::string& xmf_path) {
  const std::string document = xdmf_document(h5_path);
  if (document.empty()) return false;
  write_text_atomically(xmf_path, document);
  return true;
}

}  // namespace poreflux
