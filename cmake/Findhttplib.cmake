# Debian's cpp-httplib ships pkg-config only. Its -DCPPHTTPLIB_*_SUPPORT flags change class
# layouts (they are ABI), so every target that includes <httplib.h> must link httplib::httplib.
find_package(httplib CONFIG QUIET)
if(NOT TARGET httplib::httplib)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(CPP_HTTPLIB QUIET IMPORTED_TARGET cpp-httplib)
  if(CPP_HTTPLIB_FOUND)
    add_library(httplib::httplib INTERFACE IMPORTED)
    target_link_libraries(httplib::httplib INTERFACE PkgConfig::CPP_HTTPLIB)
    set(httplib_VERSION ${CPP_HTTPLIB_VERSION})
  endif()
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(httplib REQUIRED_VARS httplib_VERSION VERSION_VAR httplib_VERSION)
