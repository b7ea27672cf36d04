# Warnings and sanitizers live in one INTERFACE target that every kg target links PRIVATE,
# so they never leak into third-party code (fmt scopes FMT_PEDANTIC the same way).
add_library(kg_build_options INTERFACE)
target_compile_features(kg_build_options INTERFACE cxx_std_20)
target_compile_options(kg_build_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow)
# GCC 12 reports -Wrestrict on `"literal" + std::string` inside libstdc++ at -O2 (a false
# positive, GCC bug 105329), which would bury real warnings.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(kg_build_options INTERFACE -Wno-restrict)
endif()
if(KG_WERROR)
  target_compile_options(kg_build_options INTERFACE -Werror)
endif()
if(KG_SANITIZE)
  target_compile_options(kg_build_options INTERFACE
    -fsanitize=${KG_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(kg_build_options INTERFACE -fsanitize=${KG_SANITIZE})
endif()
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
