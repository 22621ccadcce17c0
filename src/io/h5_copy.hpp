// Copying whole objects between HDF5 files and linking within one: how a study's file is
// assembled from the files of its cases (io/study_h5.hpp) without reading the data through.
#pragma once

#include <string>
#include <vector>

#include "io/h5_handles.hpp"

namespace poreflux::h5 {

// Copies the object at `source_path` of `source_file` ("/" for its root group, with every
// attribute, subgroup and dataset) into `parent` as `name`, dimension scales attached.
void copy_into(const std::string& source_file, const std::string& source_path, Group& parent, const std::string& name);

// A second name for an object of the same file (stored once): parent/name -> target_path.
void link_hard(Group& parent, const std::string& name, const std::string& target_path);

// Removes the link parent/name (the object goes when its last link does).
void unlink(Group& parent, const std::string& name);

// The names of a group's direct members, in name order.
std::vector<std::string> member_names(const Group& group);

}  // namespace poreflux::h5
