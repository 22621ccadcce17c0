#include "io/h5_handles.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace poreflux::h5 {

static_assert(std::is_same_v<Id, hid_t>, "poreflux::h5::Id must be hid_t (HDF5 >= 1.10)");

namespace {

// HDF5 prints its error stack to stderr by default; we report through exceptions instead,
// so the printing is turned off once, before the first file is touched.
void silence_hdf5_printing() {
  static const bool done = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)done;
}

herr_t collect_description(unsigned, const H5E_error2_t* err, void* out) {
  if (err->desc != nullptr && err->desc[0] != '\0') static_cast<std::vector<std::string>*>(out)->push_back(err->desc);
  return 0;
}

// The innermost entry of HDF5's error stack is the concrete cause ("No such file or
// directory", "name already exists"); the outer ones only repeat which call failed.
std::string hdf5_reason() {
  std::vector<std::string> descriptions;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_description, &descriptions);
  H5Eclear2(H5E_DEFAULT);
  return descriptions.empty() ? std::string() : descriptions.back();
}

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  const std::string reason = hdf5_reason();
  throw std::runtime_error("HDF5: cannot " + what + " '" + path + "'" + (reason.empty() ? "" : ": " + reason));
}

void check(herr_t status, const std::string& path, const std::string& what) {
  if (status < 0) fail(path, what);
}

herr_t close_id(Kind kind, hid_t id) {
  switch (kind) {
    case Kind::file:
      return H5Fclose(id);
    case Kind::group:
      return H5Gclose(id);
    case Kind::dataset:
      return H5Dclose(id);
    case Kind::dataspace:
      return H5Sclose(id);
    case Kind::datatype:
      return H5Tclose(id);
    case Kind::plist:
      return H5Pclose(id);
    case Kind::attribute:
      return H5Aclose(id);
  }
  return -1;
}

std::string child_path(const std::string& parent, const std::string& name) {
  return parent == "/" ? "/" + name : parent + "/" + name;
}

// A string type: variable length unless `size` is given; UTF-8 by default.
Handle string_type(const std::string& path, H5T_cset_t cset = H5T_CSET_UTF8, std::size_t size = 0) {
  Handle type(H5Tcopy(H5T_C_S1), Kind::datatype, path, "copy the string type for");
  check(H5Tset_size(type.id(), size == 0 ? H5T_VARIABLE : size), path, "size the string type for");
  check(H5Tset_cset(type.id(), cset), path, "set the character set for");
  return type;
}

// Transfer properties with a type-conversion buffer of `bytes`. HDF5's default buffer is 1 MiB,
// and it zero-fills it (H5FL_blk_calloc) on every write that converts: variable-length strings,
// and doubles stored as float32. A sweep part writes dozens of small string datasets (those
// fills were ~8 % of an axisymmetric run) and a run file its slices; a buffer sized to the data
// writes the same bytes.
Handle transfer_with_buffer(const std::string& path, std::size_t bytes) {
  Handle dxpl(H5Pcreate(H5P_DATASET_XFER), Kind::plist, path, "create the transfer properties for");
  check(H5Pset_buffer(dxpl.id(), bytes, nullptr, nullptr), path, "size the conversion buffer for");
  return dxpl;
}

// For `elements` variable-length strings: at least one element, 64 bytes each covers the memory
// and the file types.
Handle string_transfer(const std::string& path, std::size_t elements) {
  return transfer_with_buffer(path, std::max<std::size_t>(1, elements) * 64);
}

// For `elements` numbers converted between types of at most `element_bytes`: the data's size,
// capped at the default (a larger dataset is converted through it in strips, as before).
Handle conversion_transfer(const std::string& path, std::size_t elements, std::size_t element_bytes) {
  constexpr std::size_t kDefaultBuffer = std::size_t{1} << 20;
  return transfer_with_buffer(path, std::min(kDefaultBuffer, std::max<std::size_t>(1, elements) * element_bytes));
}

Handle scalar_space(const std::string& path) {
  return Handle(H5Screate(H5S_SCALAR), Kind::dataspace, path, "create a scalar dataspace for");
}

Handle simple_space(const std::string& path, const std::vector<hsize_t>& dims) {
  return Handle(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), Kind::dataspace, path,
                "create the dataspace for");
}

std::size_t element_count(const std::vector<hsize_t>& dims) {
  std::size_t n = 1;
  for (hsize_t d : dims) n *= static_cast<std::size_t>(d);
  return n;
}

// Chunks of at most 1 MiB fit HDF5's default chunk cache, so reading a slice never thrashes.
// The slowest axes are halved first, which keeps chunks contiguous rows of the fast axes.
std::vector<hsize_t> automatic_chunk(const std::vector<hsize_t>& dims, std::size_t element_bytes) {
  constexpr std::size_t kMaxChunkBytes = std::size_t{1} << 20;
  std::vector<hsize_t> chunk = dims;
  for (std::size_t axis = 0; axis < chunk.size(); ++axis)
    while (chunk[axis] > 1 && element_count(chunk) * element_bytes > kMaxChunkBytes)
      chunk[axis] = (chunk[axis] + 1) / 2;
  return chunk;
}

Handle creation_plist(const std::string& path, const std::vector<hsize_t>& dims, const Storage& storage,
                      std::size_t element_bytes) {
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), Kind::plist, path, "create the creation properties of");
  if (storage.deflate < 0 || storage.deflate > 9)
    throw std::runtime_error("HDF5: deflate level must be 0..9 for '" + path + "'");
  const bool small = element_count(dims) * element_bytes < storage.deflate_from_bytes;
  const int deflate = small ? 0 : storage.deflate;
  const bool chunked = deflate > 0 || !storage.chunk.empty();
  // An empty dataset cannot be chunked (a chunk needs >= 1 element per axis); it stays contiguous.
  if (!chunked || element_count(dims) == 0) return dcpl;
  std::vector<hsize_t> chunk;
  if (storage.chunk.empty()) {
    chunk = automatic_chunk(dims, element_bytes);
  } else {
    if (storage.chunk.size() != dims.size())
      throw std::runtime_error("HDF5: chunk rank differs from the dataset rank for '" + path + "'");
    for (std::size_t a = 0; a < dims.size(); ++a) chunk.push_back(std::clamp<hsize_t>(storage.chunk[a], 1, dims[a]));
  }
  check(H5Pset_chunk(dcpl.id(), static_cast<int>(chunk.size()), chunk.data()), path, "set the chunk shape of");
  if (deflate > 0) {
    // Byte shuffling groups exponents together, which is what makes floats compress at all.
    check(H5Pset_shuffle(dcpl.id()), path, "enable the shuffle filter on");
    check(H5Pset_deflate(dcpl.id(), static_cast<unsigned>(storage.deflate)), path, "enable compression on");
  }
  return dcpl;
}

Dataset write_numeric(hid_t parent, const std::string& path, const std::string& name, hid_t memory_type,
                      hid_t file_type, const void* data, const std::vector<std::uint64_t>& shape,
                      const Storage& storage) {
  if (shape.empty()) throw std::runtime_error("HDF5: dataset '" + path + "' needs a rank of at least 1");
  const std::vector<hsize_t> dims(shape.begin(), shape.end());
  if (element_count(dims) > 0 && data == nullptr)
    throw std::runtime_error("HDF5: no data given for dataset '" + path + "'");
  Handle space = simple_space(path, dims);
  Handle dcpl = creation_plist(path, dims, storage, H5Tget_size(file_type));
  Handle ds(H5Dcreate2(parent, name.c_str(), file_type, space.id(), H5P_DEFAULT, dcpl.id(), H5P_DEFAULT), Kind::dataset,
            path, "create dataset");
  if (element_count(dims) > 0) {
    // Only a write that converts (float32 storage) uses the conversion buffer.
    const bool converts = H5Tequal(memory_type, file_type) <= 0;
    Handle dxpl = converts ? conversion_transfer(path, element_count(dims),
                                                 std::max(H5Tget_size(memory_type), H5Tget_size(file_type)))
                           : Handle{};
    check(H5Dwrite(ds.id(), memory_type, H5S_ALL, H5S_ALL, converts ? dxpl.id() : H5P_DEFAULT, data), path,
          "write dataset");
  }
  return Dataset(std::move(ds));
}

// Opens attribute `name` of `object`, replacing any attribute of that name when creating.
Handle create_attribute(const Object& object, const std::string& name, hid_t type, hid_t space) {
  const std::string where = object.path() + "@" + name;
  const htri_t exists = H5Aexists(object.id(), name.c_str());
  if (exists < 0) fail(where, "look up attribute");
  if (exists > 0) check(H5Adelete(object.id(), name.c_str()), where, "replace attribute");
  return Handle(H5Acreate2(object.id(), name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), Kind::attribute, where,
                "create attribute");
}

Handle open_attribute(const Object& object, const std::string& name) {
  return Handle(H5Aopen(object.id(), name.c_str(), H5P_DEFAULT), Kind::attribute, object.path() + "@" + name,
                "open attribute");
}

std::size_t dataset_points(const Dataset& ds) {
  Handle space(H5Dget_space(ds.id()), Kind::dataspace, ds.path(), "get the dataspace of");
  const hssize_t n = H5Sget_simple_extent_npoints(space.id());
  if (n < 0) fail(ds.path(), "count the elements of");
  return static_cast<std::size_t>(n);
}

}  // namespace

// ---- Handle ----

Handle::Handle(Id id, Kind kind, std::string path, const char* what) : id_(id), kind_(kind), path_(std::move(path)) {
  if (id_ < 0) fail(path_, what);
}

Handle::~Handle() {
  // A destructor cannot report; close() is there for callers that need to know.
  if (id_ >= 0) {
    close_id(kind_, id_);
    H5Eclear2(H5E_DEFAULT);
  }
}

Handle::Handle(Handle&& other) noexcept
    : id_(std::exchange(other.id_, -1)), kind_(other.kind_), path_(std::move(other.path_)) {}

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    if (id_ >= 0) {
      close_id(kind_, id_);
      H5Eclear2(H5E_DEFAULT);
    }
    id_ = std::exchange(other.id_, -1);
    kind_ = other.kind_;
    path_ = std::move(other.path_);
  }
  return *this;
}

void Handle::close() {
  if (id_ < 0) return;
  const hid_t id = std::exchange(id_, -1);
  check(close_id(kind_, id), path_, "close");
}

// ---- Object: attributes ----

void Object::attr_double(const std::string& name, double value) {
  Handle space = scalar_space(path());
  Handle attr = create_attribute(*this, name, H5T_IEEE_F64LE, space.id());
  check(H5Awrite(attr.id(), H5T_NATIVE_DOUBLE, &value), attr.path(), "write attribute");
}

void Object::attr_int(const std::string& name, std::int64_t value) {
  Handle space = scalar_space(path());
  Handle attr = create_attribute(*this, name, H5T_STD_I64LE, space.id());
  check(H5Awrite(attr.id(), H5T_NATIVE_INT64, &value), attr.path(), "write attribute");
}

void Object::attr_string(const std::string& name, const std::string& value) {
  Handle type = string_type(path());
  Handle space = scalar_space(path());
  Handle attr = create_attribute(*this, name, type.id(), space.id());
  const char* text = value.c_str();
  check(H5Awrite(attr.id(), type.id(), &text), attr.path(), "write attribute");
}

bool Object::has_attr(const std::string& name) const {
  const htri_t exists = H5Aexists(id(), name.c_str());
  if (exists < 0) fail(path() + "@" + name, "look up attribute");
  return exists > 0;
}

double Object::read_attr_double(const std::string& name) const {
  Handle attr = open_attribute(*this, name);
  double value = 0.0;
  check(H5Aread(attr.id(), H5T_NATIVE_DOUBLE, &value), attr.path(), "read attribute");
  return value;
}

std::int64_t Object::read_attr_int(const std::string& name) const {
  Handle attr = open_attribute(*this, name);
  std::int64_t value = 0;
  check(H5Aread(attr.id(), H5T_NATIVE_INT64, &value), attr.path(), "read attribute");
  return value;
}

std::string Object::read_attr_string(const std::string& name) const {
  Handle attr = open_attribute(*this, name);
  Handle file_type(H5Aget_type(attr.id()), Kind::datatype, attr.path(), "get the type of");
  if (H5Tget_class(file_type.id()) != H5T_STRING)
    throw std::runtime_error("HDF5: attribute '" + attr.path() + "' is not a string");
  const H5T_cset_t cset = H5Tget_cset(file_type.id());
  if (H5Tis_variable_str(file_type.id()) > 0) {
    Handle memory_type = string_type(attr.path(), cset);
    char* text = nullptr;
    check(H5Aread(attr.id(), memory_type.id(), &text), attr.path(), "read attribute");
    std::string value = text != nullptr ? text : "";
    H5free_memory(text);
    return value;
  }
  const std::size_t size = H5Tget_size(file_type.id());
  std::vector<char> buffer(size + 1, '\0');
  Handle memory_type = string_type(attr.path(), cset, size);
  check(H5Aread(attr.id(), memory_type.id(), buffer.data()), attr.path(), "read attribute");
  return std::string(buffer.data());  // fixed-length strings are NUL padded
}

// ---- Dataset: readers ----

std::vector<std::uint64_t> Dataset::shape() const {
  Handle space(H5Dget_space(id()), Kind::dataspace, path(), "get the dataspace of");
  const int rank = H5Sget_simple_extent_ndims(space.id());
  if (rank < 0) fail(path(), "get the rank of");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr) < 0) fail(path(), "get the shape of");
  return std::vector<std::uint64_t>(dims.begin(), dims.end());
}

std::vector<double> Dataset::read_doubles() const {
  std::vector<double> values(dataset_points(*this));
  if (!values.empty())
    check(H5Dread(id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), path(), "read dataset");
  return values;
}

std::vector<std::uint8_t> Dataset::read_uint8() const {
  std::vector<std::uint8_t> values(dataset_points(*this));
  if (!values.empty())
    check(H5Dread(id(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), path(), "read dataset");
  return values;
}

std::vector<std::string> Dataset::read_strings() const {
  Handle file_type(H5Dget_type(id()), Kind::datatype, path(), "get the type of");
  if (H5Tget_class(file_type.id()) != H5T_STRING || H5Tis_variable_str(file_type.id()) <= 0)
    throw std::runtime_error("HDF5: dataset '" + path() + "' is not a variable-length string");
  std::vector<char*> texts(dataset_points(*this), nullptr);
  Handle memory_type = string_type(path(), H5Tget_cset(file_type.id()));
  if (!texts.empty()) {
    Handle transfer = string_transfer(path(), texts.size());
    check(H5Dread(id(), memory_type.id(), H5S_ALL, H5S_ALL, transfer.id(), texts.data()), path(), "read dataset");
  }
  std::vector<std::string> values;
  for (char* text : texts) {
    values.emplace_back(text != nullptr ? text : "");
    H5free_memory(text);
  }
  return values;
}

Dataset::NumberType Dataset::number_type() const {
  Handle type(H5Dget_type(id()), Kind::datatype, path(), "get the type of");
  NumberType out;
  out.bytes = H5Tget_size(type.id());
  switch (H5Tget_class(type.id())) {
    case H5T_FLOAT:
      out.kind = 'f';
      break;
    case H5T_INTEGER:
      out.kind = H5Tget_sign(type.id()) == H5T_SGN_NONE ? 'u' : 'i';
      break;
    case H5T_STRING:
      out.kind = 's';
      break;
    default:
      out.kind = '?';
  }
  return out;
}

// ---- Dataset: dimension scales ----

void Dataset::make_scale(const std::string& name) {
  check(H5DSset_scale(id(), name.c_str()), path(), "make a dimension scale of");
}

void Dataset::attach_scale(const Dataset& scale, unsigned dim) {
  const std::vector<std::uint64_t> dims = shape();
  const std::vector<std::uint64_t> scale_dims = scale.shape();
  const std::string what = path() + " (dimension " + std::to_string(dim) + ") <- " + scale.path();
  if (dim >= dims.size())
    throw std::runtime_error("HDF5: cannot attach a scale to " + what + ": the dataset has rank " +
                             std::to_string(dims.size()));
  // netCDF-4 readers take a dimension's size from its scale: a different length is refused there.
  if (scale_dims.size() != 1 || scale_dims[0] != dims[dim])
    throw std::runtime_error("HDF5: cannot attach a scale to " + what +
                             ": the scale's length differs from the dimension");
  check(H5DSattach_scale(id(), scale.id(), dim), what, "attach the dimension scale");
}

bool Dataset::is_scale() const {
  const htri_t scale = H5DSis_scale(id());
  if (scale < 0) fail(path(), "check whether it is a dimension scale");
  return scale > 0;
}

namespace {
herr_t collect_scale_path(hid_t, unsigned, hid_t scale, void* out) {
  const ssize_t n = H5Iget_name(scale, nullptr, 0);
  if (n < 0) return -1;
  std::string name(static_cast<std::size_t>(n) + 1, '\0');
  H5Iget_name(scale, name.data(), name.size());
  name.resize(static_cast<std::size_t>(n));
  static_cast<std::vector<std::string>*>(out)->push_back(name);
  return 0;  // go on: all scales of the dimension
}
}  // namespace

std::vector<std::string> Dataset::attached_scales(unsigned dim) const {
  std::vector<std::string> paths;
  if (!has_attr("DIMENSION_LIST")) return paths;  // nothing attached anywhere (H5DS would fail)
  const int n = H5DSget_num_scales(id(), dim);
  if (n < 0) fail(path(), "count the dimension scales of");
  if (n == 0) return paths;
  check(H5DSiterate_scales(id(), dim, nullptr, collect_scale_path, &paths), path(), "list the dimension scales of");
  return paths;
}

// ---- Group ----

Group Group::create_group(const std::string& name) {
  return Group(Handle(H5Gcreate2(id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), Kind::group,
                      child_path(path(), name), "create group"));
}

Group Group::open_group(const std::string& name) const {
  return Group(Handle(H5Gopen2(id(), name.c_str(), H5P_DEFAULT), Kind::group, child_path(path(), name), "open group"));
}

Dataset Group::open_dataset(const std::string& name) const {
  return Dataset(
      Handle(H5Dopen2(id(), name.c_str(), H5P_DEFAULT), Kind::dataset, child_path(path(), name), "open dataset"));
}

bool Group::exists(const std::string& name) const {
  const htri_t exists = H5Lexists(id(), name.c_str(), H5P_DEFAULT);
  if (exists < 0) fail(child_path(path(), name), "look up");
  return exists > 0;
}

namespace {
herr_t collect_link_name(hid_t, const char* name, const H5L_info_t*, void* out) {
  static_cast<std::vector<std::string>*>(out)->emplace_back(name);
  return 0;
}

// The kind of the object a child link leads to (H5I_BADID when it leads nowhere), from the
// object's header alone: opening it (H5Oopen) also builds a dataset's layout, type and space,
// and these checks were then ~0.5 ms of the ~4 ms that an axisymmetric run file's dimension
// scales take.
H5I_type_t child_kind(const Group& g, const std::string& name) {
  if (!g.exists(name)) return H5I_BADID;
#if H5_VERSION_GE(1, 12, 0)
  H5O_info2_t info;
  const herr_t got = H5Oget_info_by_name3(g.id(), name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT);
#else
  H5O_info_t info;
  const herr_t got = H5Oget_info_by_name2(g.id(), name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT);
#endif
  if (got < 0) {
    H5Eclear2(H5E_DEFAULT);
    return H5I_BADID;  // e.g. a dangling soft link
  }
  switch (info.type) {
    case H5O_TYPE_GROUP:
      return H5I_GROUP;
    case H5O_TYPE_DATASET:
      return H5I_DATASET;
    case H5O_TYPE_NAMED_DATATYPE:
      return H5I_DATATYPE;
    default:
      return H5I_BADID;
  }
}
}  // namespace

std::vector<std::string> Group::children() const {
  std::vector<std::string> names;
  hsize_t index = 0;
  check(H5Literate(id(), H5_INDEX_NAME, H5_ITER_INC, &index, collect_link_name, &names), path(), "list the members of");
  return names;
}

bool Group::is_group(const std::string& name) const { return child_kind(*this, name) == H5I_GROUP; }
bool Group::is_dataset(const std::string& name) const { return child_kind(*this, name) == H5I_DATASET; }

Dataset Group::write_index(const std::string& name, std::size_t n) {
  std::vector<std::int64_t> values(n);
  for (std::size_t i = 0; i < n; ++i) values[i] = static_cast<std::int64_t>(i);
  return write_int64_1d(name, values);
}

Dataset Group::write_doubles(const std::string& name, const double* data, const std::vector<std::uint64_t>& shape,
                             const Storage& storage) {
  const hid_t file_type = storage.float32 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE;
  return write_numeric(id(), child_path(path(), name), name, H5T_NATIVE_DOUBLE, file_type, data, shape, storage);
}

Dataset Group::write_1d(const std::string& name, const std::vector<double>& values, const Storage& storage) {
  return write_doubles(name, values.data(), {values.size()}, storage);
}

Dataset Group::write_2d(const std::string& name, const double* data, std::size_t n0, std::size_t n1,
                        const Storage& storage) {
  return write_doubles(name, data, {n0, n1}, storage);
}

Dataset Group::write_3d(const std::string& name, const double* data, std::size_t n0, std::size_t n1, std::size_t n2,
                        const Storage& storage) {
  return write_doubles(name, data, {n0, n1, n2}, storage);
}

Dataset Group::write_int64_1d(const std::string& name, const std::vector<std::int64_t>& values) {
  return write_numeric(id(), child_path(path(), name), name, H5T_NATIVE_INT64, H5T_STD_I64LE, values.data(),
                       {values.size()}, {});
}

Dataset Group::write_uint8_3d(const std::string& name, const std::uint8_t* data, std::size_t n0, std::size_t n1,
                              std::size_t n2, const Storage& storage) {
  if (storage.float32)
    throw std::runtime_error("HDF5: float32 storage makes no sense for the uint8 dataset '" + child_path(path(), name) +
                             "'");
  return write_numeric(id(), child_path(path(), name), name, H5T_NATIVE_UINT8, H5T_STD_U8LE, data, {n0, n1, n2},
                       storage);
}

Dataset Group::write_string(const std::string& name, const std::string& value) {
  const std::string where = child_path(path(), name);
  Handle type = string_type(where);
  Handle space = scalar_space(where);
  Handle ds(H5Dcreate2(id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), Kind::dataset,
            where, "create dataset");
  const char* text = value.c_str();
  Handle transfer = string_transfer(where, 1);
  check(H5Dwrite(ds.id(), type.id(), H5S_ALL, H5S_ALL, transfer.id(), &text), where, "write dataset");
  return Dataset(std::move(ds));
}

Dataset Group::write_strings(const std::string& name, const std::vector<std::string>& values) {
  const std::string where = child_path(path(), name);
  Handle type = string_type(where);
  Handle space = simple_space(where, {values.size()});
  Handle ds(H5Dcreate2(id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), Kind::dataset,
            where, "create dataset");
  std::vector<const char*> texts;
  for (const std::string& v : values) texts.push_back(v.c_str());
  if (!texts.empty()) {
    Handle transfer = string_transfer(where, texts.size());
    check(H5Dwrite(ds.id(), type.id(), H5S_ALL, H5S_ALL, transfer.id(), texts.data()), where, "write dataset");
  }
  return Dataset(std::move(ds));
}

std::vector<double> Group::read_1d(const std::string& name) const {
  Dataset ds = open_dataset(name);
  if (ds.shape().size() != 1) throw std::runtime_error("HDF5: dataset '" + ds.path() + "' is not one-dimensional");
  return ds.read_doubles();
}

// ---- File ----

File::File(Handle file, std::string path)
    : file_(std::move(file)),
      root_(Handle(H5Gopen2(file_.id(), "/", H5P_DEFAULT), Kind::group, "/", "open the root group of")),
      path_(std::move(path)) {}

File File::create(const std::string& path) {
  silence_hdf5_printing();
  // Strong close: closing the file also closes whatever a caller still holds open in it,
  // so the file is really closed (and can be renamed or removed) once close() returns.
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), Kind::plist, path, "create the access properties for");
  check(H5Pset_fclose_degree(fapl.id(), H5F_CLOSE_STRONG), path, "set the close degree for");
  // Exclusive: a file of that name is never overwritten here (the writers create a fresh
  // temporary and rename it; an existing one means another writer or a stale leftover).
  Handle file(H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, fapl.id()), Kind::file, path,
              "create file (it must not exist yet)");
  return File(std::move(file), path);
}

File File::open_read(const std::string& path) {
  silence_hdf5_printing();
  // Default access properties: a reader has nothing to rename, and HDF5 refuses to open a
  // file twice with different close degrees, so this stays compatible with other openers.
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), Kind::file, path, "open file");
  return File(std::move(file), path);
}

void File::close() {
  root_.handle_.close();
  file_.close();
}

// ---- copying a tree with its dimension scales ----

namespace {

// What tells one object of a file from another: its address (HDF5 1.10) or token (1.12+).
#if H5_VERSION_GE(1, 12, 0)
std::string object_key(const H5O_info_t& info) {
  return std::string(reinterpret_cast<const char*>(&info.token), sizeof info.token);
}
herr_t object_info(hid_t object, H5O_info_t* info) { return H5Oget_info3(object, info, H5O_INFO_BASIC); }
#else
std::string object_key(const H5O_info_t& info) {
  return std::string(reinterpret_cast<const char*>(&info.addr), sizeof info.addr);
}
herr_t object_info(hid_t object, H5O_info_t* info) { return H5Oget_info2(object, info, H5O_INFO_BASIC); }
#endif

// Every dataset below a group: its path relative to the group, by its object key.
struct DatasetsBelow {
  std::vector<std::string> names;
  std::map<std::string, std::string> name_of;  // object key -> relative path
};

herr_t collect_dataset(hid_t, const char* name, const H5O_info_t* info, void* out) {
  if (info->type != H5O_TYPE_DATASET) return 0;
  auto& below = *static_cast<DatasetsBelow*>(out);
  below.names.emplace_back(name);
  below.name_of.emplace(object_key(*info), name);
  return 0;
}

DatasetsBelow datasets_below(const Group& g) {
  DatasetsBelow below;
  check(H5Ovisit(g.id(), H5_INDEX_NAME, H5_ITER_INC, collect_dataset, &below), g.path(), "list the datasets below");
  return below;
}

// The scales attached to one dimension, as paths relative to the copied group ("" for a scale
// outside it). Found by object key: H5Iget_name would search the file for each scale's name,
// which made the scale pass most of the cost of assembling a sweep's parts.
struct ScaleLookup {
  const DatasetsBelow* below;
  std::vector<std::string> paths;
};

herr_t collect_scale_by_key(hid_t, unsigned, hid_t scale, void* out) {
  auto& lookup = *static_cast<ScaleLookup*>(out);
  H5O_info_t info;
  if (object_info(scale, &info) < 0) return -1;
  const auto found = lookup.below->name_of.find(object_key(info));
  lookup.paths.push_back(found == lookup.below->name_of.end() ? std::string() : found->second);
  return 0;
}

std::vector<std::string> attached_scales_below(const Dataset& ds, unsigned dim, const DatasetsBelow& below) {
  ScaleLookup lookup{&below, {}};
  const int n = H5DSget_num_scales(ds.id(), dim);
  if (n < 0) fail(ds.path(), "count the dimension scales of");
  if (n > 0)
    check(H5DSiterate_scales(ds.id(), dim, nullptr, collect_scale_by_key, &lookup), ds.path(),
          "list the dimension scales of");
  return lookup.paths;
}

}  // namespace

void copy_group(const File& from, const std::string& src_path, Group& to, const std::string& dst_name) {
  const std::string where = from.path() + ":" + src_path + " -> " + child_path(to.path(), dst_name);
  check(H5Ocopy(from.root().id(), src_path.c_str(), to.id(), dst_name.c_str(), H5P_DEFAULT, H5P_DEFAULT), where,
        "copy");
  const bool whole_file = src_path == "/" || src_path == ".";
  Group opened{Handle{}};
  if (!whole_file) opened = from.root().open_group(src_path);
  const Group& source = whole_file ? from.root() : opened;
  Group copy = to.open_group(dst_name);
  const DatasetsBelow below = datasets_below(source);
  // Pass 1: the copied reference attributes point into the source file; drop them all before
  // attaching anything (H5DSattach_scale reads and extends a scale's REFERENCE_LIST).
  for (const std::string& name : below.names) {
    Dataset ds = copy.open_dataset(name);
    for (const char* attr : {"DIMENSION_LIST", "REFERENCE_LIST"})
      if (ds.has_attr(attr)) check(H5Adelete(ds.id(), attr), ds.path() + "@" + attr, "remove the copied attribute");
  }
  // Pass 2: attach again what the source had attached, at the same relative paths.
  for (const std::string& name : below.names) {
    const Dataset original = source.open_dataset(name);
    if (!original.has_attr("DIMENSION_LIST")) continue;
    Dataset target = copy.open_dataset(name);
    const std::size_t rank = original.shape().size();
    for (unsigned dim = 0; dim < rank; ++dim) {
      for (const std::string& scale_path : attached_scales_below(original, dim, below)) {
        if (scale_path.empty())
          throw std::runtime_error("HDF5: cannot copy " + where + ": " + original.path() +
                                   " has a dimension scale outside the copied group");
        target.attach_scale(copy.open_dataset(scale_path), dim);
      }
    }
  }
}

}  // namespace poreflux::h5
