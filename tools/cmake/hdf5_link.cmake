# How the programs link HDF5: the interface target poreflux_hdf5, which every layer that calls
# HDF5 links instead of hdf5::hdf5.
#
# Why the command line tool links HDF5 statically: Debian's shared libhdf5 depends on 33 further
# shared libraries (libcurl, GnuTLS, Kerberos, LDAP, ...: its read-only S3 driver), and loading
# and relocating them costs every process ~4.5 ms before main (`poreflux --version`: 6.9 ms with
# the shared library, 2.3 ms with the archives); the calls into HDF5 are also cheaper without
# the shared library's symbol interposition. A run of the axisymmetric benchmark cell took 60 ms
# against 69 ms (docs/BENCHMARKS.md, "Process start"). libhdf5-dev ships the archives, built
# without the S3 driver, so they need only libsz, libz and libm.
#
# Why only the tool: the Python module must share the interpreter's HDF5 with h5py (two copies
# of the library's global state in one process would each think it owns the open files), and
# the tests link the shared library as the module does. The choice is made per program by its
# POREFLUX_STATIC_HDF5 property (set on the `poreflux` executable from the result below), read
# when the program is linked.
#
# Sets POREFLUX_HDF5_STATIC_LINKS (ON when the archives exist and a test program links with
# them; OFF otherwise, or with -DPOREFLUX_STATIC_HDF5=OFF).
set(POREFLUX_HDF5_STATIC_LINKS OFF)
if(POREFLUX_STATIC_HDF5)
  set(_pf_hdf5_archives)
  foreach(_pf_lib IN ITEMS hdf5_hl hdf5)
    set(_pf_shared "${HDF5_C_LIBRARY_${_pf_lib}}")
    string(REGEX REPLACE "\\.so$" ".a" _pf_archive "${_pf_shared}")
    if(_pf_shared MATCHES "\\.so$" AND EXISTS "${_pf_archive}")
      list(APPEND _pf_hdf5_archives "${_pf_archive}")
    endif()
  endforeach()
  list(LENGTH _pf_hdf5_archives _pf_found)
  if(_pf_found EQUAL 2)
    find_library(POREFLUX_SZ_LIBRARY sz)
    find_package(ZLIB QUIET)
    set(_pf_extra ${CMAKE_DL_LIBS} m)
    if(POREFLUX_SZ_LIBRARY)
      list(PREPEND _pf_extra "${POREFLUX_SZ_LIBRARY}")
    endif()
    if(ZLIB_FOUND)
      list(PREPEND _pf_extra "${ZLIB_LIBRARIES}")
    endif()
    include(CheckCSourceCompiles)
    set(CMAKE_REQUIRED_INCLUDES ${HDF5_INCLUDE_DIRS})
    set(CMAKE_REQUIRED_DEFINITIONS ${HDF5_DEFINITIONS})
    set(CMAKE_REQUIRED_LIBRARIES ${_pf_hdf5_archives} ${_pf_extra})
    set(CMAKE_REQUIRED_QUIET ON)
    # What the writers use: files, compressed datasets, dimension scales (the HL archive).
    check_c_source_compiles([=[
#include <hdf5.h>
#include <hdf5_hl.h>
int main(void) {
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_deflate(dcpl, 4);
  return H5DSis_scale(dcpl) + (int)H5Fcreate("", H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT);
}]=] POREFLUX_HDF5_ARCHIVES_LINK)
    unset(CMAKE_REQUIRED_INCLUDES)
    unset(CMAKE_REQUIRED_DEFINITIONS)
    unset(CMAKE_REQUIRED_LIBRARIES)
    unset(CMAKE_REQUIRED_QUIET)
    if(POREFLUX_HDF5_ARCHIVES_LINK)
      set(POREFLUX_HDF5_STATIC_LINKS ON)
    endif()
  endif()
  if(POREFLUX_HDF5_STATIC_LINKS)
    message(STATUS "poreflux: the command line tool links HDF5 statically (${_pf_hdf5_archives})")
  else()
    message(STATUS "poreflux: HDF5's static archives not found or not linkable; every program links the shared library")
  endif()
endif()

add_library(poreflux_hdf5 INTERFACE)
# The headers and definitions always come from the found package; only the link differs.
target_include_directories(poreflux_hdf5 INTERFACE ${HDF5_INCLUDE_DIRS})
target_compile_definitions(poreflux_hdf5 INTERFACE ${HDF5_DEFINITIONS})
# Evaluated for the program being linked: its POREFLUX_STATIC_HDF5 property picks the archives.
set(_pf_static "$<BOOL:$<TARGET_PROPERTY:POREFLUX_STATIC_HDF5>>")
if(POREFLUX_HDF5_STATIC_LINKS)
  target_link_libraries(poreflux_hdf5 INTERFACE "$<${_pf_static}:${_pf_hdf5_archives};${_pf_extra}>"
                                                "$<$<NOT:${_pf_static}>:hdf5::hdf5_hl;hdf5::hdf5>")
else()
  target_link_libraries(poreflux_hdf5 INTERFACE hdf5::hdf5_hl hdf5::hdf5)
endif()
