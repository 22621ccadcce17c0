// A small RAII layer over the HDF5 C API, internal to src/io. Every identifier has one owner
// that closes it; every failing H5 call becomes a std::runtime_error naming the object path
// and what failed. hdf5.h stays in h5_handles.cpp, so code that only fills groups (the
// write_run_h5 hook) compiles without the HDF5 include directories.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace poreflux::h5 {

// hid_t as of HDF5 1.10 (h5_handles.cpp checks that the two agree).
using Id = std::int64_t;

enum class Kind { file, group, dataset, dataspace, datatype, plist, attribute };

// Owns one identifier and closes it with the H5*close that matches its kind. Move-only.
class Handle {
 public:
  Handle() = default;
  // Takes ownership of `id`; a negative id (the failed call's result) throws, naming
  // `path` and `what` ("create dataset", ...), with HDF5's own reason appended.
  Handle(Id id, Kind kind, std::string path, const char* what);
  ~Handle();
  Handle(Handle&& other) noexcept;
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  Id id() const { return id_; }
  bool valid() const { return id_ >= 0; }
  const std::string& path() const { return path_; }
  // Closes now and throws if closing fails (a file's close is where buffered data is
  // written, so its failure must not be swallowed as the destructor has to).
  void close();

 private:
  Id id_ = -1;
  Kind kind_ = Kind::group;
  std::string path_;
};

// How a numeric dataset is stored.
struct Storage {
  bool float32 = false;                // store as 32-bit floats (big fields; ~7 digits suffice)
  int deflate = 0;                     // 0 = uncompressed, 1..9 = gzip level (implies chunks)
  std::size_t deflate_from_bytes = 0;  // arrays smaller than this (as stored) stay uncompressed
  std::vector<std::uint64_t> chunk;    // chunk shape; empty = chosen when chunks are needed
};

// A group or dataset: something attributes hang on.
class Object {
 public:
  Id id() const { return handle_.id(); }
  const std::string& path() const { return handle_.path(); }

  void attr_double(const std::string& name, double value);
  void attr_int(const std::string& name, std::int64_t value);
  // Variable-length UTF-8, so h5py hands back str rather than bytes.
  void attr_string(const std::string& name, const std::string& value);

  bool has_attr(const std::string& name) const;
  double read_attr_double(const std::string& name) const;
  std::int64_t read_attr_int(const std::string& name) const;
  std::string read_attr_string(const std::string& name) const;  // fixed or variable length

 protected:
  friend class File;  // closes the root group's handle before the file's
  explicit Object(Handle handle) : handle_(std::move(handle)) {}
  Handle handle_;
};

class Dataset : public Object {
 public:
  explicit Dataset(Handle handle) : Object(std::move(handle)) {}
  std::vector<std::uint64_t> shape() const;
  std::vector<double> read_doubles() const;  // any rank, row-major, converted to double
  std::vector<std::uint8_t> read_uint8() const;
  std::vector<std::string> read_strings() const;  // a scalar string reads as one element

  // What the stored numbers are, for writers that describe the file (XDMF): 'f' float, 'i'
  // signed or 'u' unsigned integer, 's' string, '?' anything else; and the bytes per element.
  struct NumberType {
    char kind = '?';
    std::size_t bytes = 0;
  };
  NumberType number_type() const;

  // Dimension scales (HDF5's high-level H5DS library, the netCDF-4 convention): make_scale marks
  // this 1-D dataset as the coordinate of a named dimension; attach_scale records that dimension
  // `dim` of this dataset is indexed by `scale`. xarray/h5netcdf and netCDF readers then name the
  // dimension after the scale instead of inventing phony_dim_N. The scale's length must equal
  // the dimension's size (checked here, as h5netcdf refuses a mismatch).
  void make_scale(const std::string& name);
  void attach_scale(const Dataset& scale, unsigned dim);
  bool is_scale() const;
  // The paths of the scales attached to dimension `dim` (empty when none).
  std::vector<std::string> attached_scales(unsigned dim) const;
};

class Group : public Object {
 public:
  explicit Group(Handle handle) : Object(std::move(handle)) {}

  Group create_group(const std::string& name);
  Group open_group(const std::string& name) const;
  Dataset open_dataset(const std::string& name) const;
  bool exists(const std::string& name) const;  // a direct child link of that name
  // The names of the direct children, in name order; and whether one is a group or a dataset.
  std::vector<std::string> children() const;
  bool is_group(const std::string& name) const;
  bool is_dataset(const std::string& name) const;

  Dataset write_1d(const std::string& name, const std::vector<double>& values, const Storage& storage = {});
  Dataset write_2d(const std::string& name, const double* data, std::size_t n0, std::size_t n1,
                   const Storage& storage = {});
  Dataset write_3d(const std::string& name, const double* data, std::size_t n0, std::size_t n1, std::size_t n2,
                   const Storage& storage = {});
  // Row-major data of any rank; the 1D/2D/3D helpers forward here.
  Dataset write_doubles(const std::string& name, const double* data, const std::vector<std::uint64_t>& shape,
                        const Storage& storage = {});
  Dataset write_int64_1d(const std::string& name, const std::vector<std::int64_t>& values);
  // 0, 1, ..., n-1 (int64): the coordinate of a dimension that has no natural one.
  Dataset write_index(const std::string& name, std::size_t n);
  Dataset write_uint8_3d(const std::string& name, const std::uint8_t* data, std::size_t n0, std::size_t n1,
                         std::size_t n2, const Storage& storage = {});
  Dataset write_string(const std::string& name, const std::string& value);                 // scalar, UTF-8
  Dataset write_strings(const std::string& name, const std::vector<std::string>& values);  // 1D, UTF-8

  std::vector<double> read_1d(const std::string& name) const;
};

class File {
 public:
  static File create(const std::string& path);  // truncates an existing file
  static File open_read(const std::string& path);

  Group& root() { return root_; }
  const Group& root() const { return root_; }
  const std::string& path() const { return path_; }
  // Closes the root group and the file, throwing if HDF5 cannot finish writing.
  void close();

 private:
  File(Handle file, std::string path);
  // Declared before root_ so that it is destroyed after it.
  Handle file_;
  Group root_;
  std::string path_;
};

// Copies the object at `src_path` of `from` (a group, e.g. "/" for a whole run file), with
// everything below it, to `to`/`dst_name`, keeping the dimension scales attached. H5Ocopy alone
// does not: with HDF5 1.10 the object references inside the DIMENSION_LIST and REFERENCE_LIST
// attributes (a variable-length and a compound type) are copied as raw addresses of the source
// file, with or without H5O_COPY_EXPAND_REFERENCE_FLAG, and no longer resolve in the copy. So
// this copies, drops those two attributes in the copy and attaches each scale again to the
// copied dimension it indexed. A scale outside the copied tree cannot be followed: it throws.
void copy_group(const File& from, const std::string& src_path, Group& to, const std::string& dst_name);

}  // namespace poreflux::h5
