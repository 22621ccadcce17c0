#include "io/h5_copy.hpp"

#include <hdf5.h>

#include <stdexcept>

namespace poreflux::h5 {

void copy_into(const std::string& source_file, const std::string& source_path, Group& parent, const std::string& name) {
  const File source = File::open_read(source_file);
  copy_group(source, source_path, parent, name);  // keeps the dimension scales (h5_handles.hpp)
}

void link_hard(Group& parent, const std::string& name, const std::string& target_path) {
  if (H5Lcreate_hard(parent.id(), target_path.c_str(), parent.id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT) < 0)
    throw std::runtime_error("cannot link '" + parent.path() + "/" + name + "' to '" + target_path + "'");
}

void unlink(Group& parent, const std::string& name) {
  if (H5Ldelete(parent.id(), name.c_str(), H5P_DEFAULT) < 0)
    throw std::runtime_error("cannot remove '" + parent.path() + "/" + name + "'");
}

namespace {
extern "C" herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* names) {
  static_cast<std::vector<std::string>*>(names)->push_back(name);
  return 0;
}
}  // namespace

std::vector<std::string> member_names(const Group& group) {
  std::vector<std::string> names;
  if (H5Literate(group.id(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_name, &names) < 0)
    throw std::runtime_error("cannot list the members of '" + group.path() + "'");
  return names;
}

}  // namespace poreflux::h5
