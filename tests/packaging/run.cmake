# Packaging test driver, run by ctest as
#   cmake -DVDAF_SOURCE_DIR=... -DWORK_DIR=... [-DCXX=...] [-DGENERATOR=...] -P run.cmake
# 0. configures vdaf with its default options and installs at once, without building (issue 12);
# 1. configures vdaf alone (no tests/tools), installs it with `cmake --install
#    --prefix` into WORK_DIR/prefix (a different prefix than configured, so the
#    package must be relocatable);
# 2. builds + runs tests/packaging/find_package against that prefix;
# 3. builds + runs tests/packaging/add_subdirectory against the source tree;
# 4. compiles main.cpp with the flags of `pkg-config --cflags --libs vdaf`;
# 5. installs vdaf built with -DVDAF_BUILD_COMPILED=ON and links vdaf::vdaf_compiled;
# 6. with -DHAVE_TBB=ON (oneTBB installed): a find_package consumer of vdaf::parallel against the
#    prefix of step 1.
# Each consumer must print exactly "18" (vdaf::VERSION).
cmake_minimum_required(VERSION 3.20)

foreach(_v IN ITEMS VDAF_SOURCE_DIR WORK_DIR)
  if(NOT ${_v})
    message(FATAL_ERROR "run.cmake: -D${_v}=... is required")
  endif()
endforeach()
if(NOT GENERATOR)
  set(GENERATOR "Ninja")
endif()
set(_here "${VDAF_SOURCE_DIR}/tests/packaging")
set(_prefix "${WORK_DIR}/prefix")
set(_common_args -G "${GENERATOR}" -DCMAKE_BUILD_TYPE=Release)
if(CXX)
  list(APPEND _common_args "-DCMAKE_CXX_COMPILER=${CXX}")
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(step _title)
  message(STATUS "packaging: ${_title}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "packaging: '${_title}' failed (${_rc})")
  endif()
endfunction()

function(expect_version _title _exe)
  execute_process(
    COMMAND "${_exe}"
    RESULT_VARIABLE _rc
    OUTPUT_VARIABLE _out
    ERROR_VARIABLE _err)
  if(NOT _rc EQUAL 0 OR NOT _out STREQUAL "18\n")
    message(FATAL_ERROR "packaging: ${_title}: expected output \"18\", got rc=${_rc} "
                        "stdout=[${_out}] stderr=[${_err}]")
  endif()
  message(STATUS "packaging: ${_title}: prints 18 - ok")
endfunction()

# 0. Install without building: a fresh configure with the default options (tests, tools,
#    examples on), then `cmake --install` at once. The header-only library installs; programs
#    that were not built are skipped, not an error.
step("configure vdaf with defaults" "${CMAKE_COMMAND}" -S "${VDAF_SOURCE_DIR}" -B
     "${WORK_DIR}/unbuilt" ${_common_args})
step("install vdaf without building" "${CMAKE_COMMAND}" --install "${WORK_DIR}/unbuilt" --prefix
     "${WORK_DIR}/unbuilt-prefix")
foreach(_f IN ITEMS include/vdaf/prio3.hpp include/vdaf/version.hpp
                    share/cmake/vdaf/vdafConfig.cmake share/pkgconfig/vdaf.pc)
  if(NOT EXISTS "${WORK_DIR}/unbuilt-prefix/${_f}")
    message(FATAL_ERROR "packaging: install without building: ${_f} was not installed")
  endif()
endforeach()
if(EXISTS "${WORK_DIR}/unbuilt-prefix/bin/vdaf-testvec")
  message(FATAL_ERROR "packaging: install without building installed a vdaf-testvec never built")
endif()
message(STATUS "packaging: install without building - ok")

# 1. Install vdaf into a temporary prefix.
step("configure vdaf" "${CMAKE_COMMAND}" -S "${VDAF_SOURCE_DIR}" -B "${WORK_DIR}/vdaf-build"
     ${_common_args} -DCMAKE_INSTALL_PREFIX=/nonexistent/vdaf-prefix -DVDAF_BUILD_TESTS=OFF
     -DVDAF_BUILD_BENCHMARKS=OFF -DVDAF_BUILD_EXAMPLES=OFF -DVDAF_BUILD_TOOLS=OFF)
step("build vdaf" "${CMAKE_COMMAND}" --build "${WORK_DIR}/vdaf-build" -j2)
step("install vdaf" "${CMAKE_COMMAND}" --install "${WORK_DIR}/vdaf-build" --prefix "${_prefix}")
foreach(_f IN ITEMS include/vdaf/version.hpp share/cmake/vdaf/vdafConfig.cmake
                    share/cmake/vdaf/vdafConfigVersion.cmake share/cmake/vdaf/vdafTargets.cmake
                    share/pkgconfig/vdaf.pc)
  if(NOT EXISTS "${_prefix}/${_f}")
    message(FATAL_ERROR "packaging: ${_f} was not installed")
  endif()
endforeach()

# 2. find_package(vdaf) consumer.
step("configure find_package consumer" "${CMAKE_COMMAND}" -S "${_here}/find_package" -B
     "${WORK_DIR}/find_package" ${_common_args} "-DCMAKE_PREFIX_PATH=${_prefix}")
step("build find_package consumer" "${CMAKE_COMMAND}" --build "${WORK_DIR}/find_package" -j2)
expect_version("find_package consumer" "${WORK_DIR}/find_package/consumer")

# 3. add_subdirectory(vdaf) consumer.
step("configure add_subdirectory consumer" "${CMAKE_COMMAND}" -S "${_here}/add_subdirectory" -B
     "${WORK_DIR}/add_subdirectory" ${_common_args} "-DVDAF_SOURCE_DIR=${VDAF_SOURCE_DIR}")
step("build add_subdirectory consumer" "${CMAKE_COMMAND}" --build "${WORK_DIR}/add_subdirectory"
     -j2)
expect_version("add_subdirectory consumer" "${WORK_DIR}/add_subdirectory/consumer")

# 4. pkg-config consumer (only if pkg-config and a compiler path are available).
find_program(_pkg_config NAMES pkg-config pkgconf)
if(_pkg_config AND CXX)
  set(ENV{PKG_CONFIG_PATH} "${_prefix}/share/pkgconfig")
  execute_process(
    COMMAND "${_pkg_config}" --cflags --libs vdaf
    RESULT_VARIABLE _rc
    OUTPUT_VARIABLE _flags
    OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "packaging: pkg-config --cflags --libs vdaf failed (${_rc})")
  endif()
  separate_arguments(_flags UNIX_COMMAND "${_flags}")
  # vdaf.pc is relocatable (prefix=${pcfiledir}/../..): compare normalized paths.
  file(REAL_PATH "${_prefix}/include" _want)
  set(_found FALSE)
  foreach(_f IN LISTS _flags)
    if(_f MATCHES "^-I(.+)$")
      file(REAL_PATH "${CMAKE_MATCH_1}" _dir)
      if(_dir STREQUAL _want)
        set(_found TRUE)
      endif()
    endif()
  endforeach()
  if(NOT _found)
    message(FATAL_ERROR "packaging: vdaf.pc gives [${_flags}], without -I${_want}")
  endif()
  step("build pkg-config consumer" "${CXX}" -std=c++20 "${_here}/main.cpp" -o
       "${WORK_DIR}/pkg-config-consumer" ${_flags})
  expect_version("pkg-config consumer" "${WORK_DIR}/pkg-config-consumer")
else()
  message(STATUS "packaging: pkg-config consumer skipped (no pkg-config or no CXX)")
endif()

# 5. The compiled target: vdaf built with -DVDAF_BUILD_COMPILED=ON and installed; a
#    find_package consumer links vdaf::vdaf_compiled and runs a Prio3Count report.
set(_cprefix "${WORK_DIR}/prefix-compiled")
step("configure vdaf with VDAF_BUILD_COMPILED=ON" "${CMAKE_COMMAND}" -S "${VDAF_SOURCE_DIR}" -B
     "${WORK_DIR}/vdaf-compiled-build" ${_common_args} -DVDAF_BUILD_COMPILED=ON
     -DVDAF_BUILD_TESTS=OFF -DVDAF_BUILD_BENCHMARKS=OFF -DVDAF_BUILD_EXAMPLES=OFF
     -DVDAF_BUILD_TOOLS=OFF)
step("build vdaf_compiled" "${CMAKE_COMMAND}" --build "${WORK_DIR}/vdaf-compiled-build" -j2)
step("install vdaf_compiled" "${CMAKE_COMMAND}" --install "${WORK_DIR}/vdaf-compiled-build"
     --prefix "${_cprefix}")
step("configure find_package compiled consumer" "${CMAKE_COMMAND}" -S
     "${_here}/find_package_compiled" -B "${WORK_DIR}/find_package_compiled" ${_common_args}
     "-DCMAKE_PREFIX_PATH=${_cprefix}")
step("build find_package compiled consumer" "${CMAKE_COMMAND}" --build
     "${WORK_DIR}/find_package_compiled" -j2)
expect_version("find_package compiled consumer" "${WORK_DIR}/find_package_compiled/consumer")

# 6. vdaf::parallel from the installed package (vdafConfig.cmake defines it when it finds oneTBB).
if(HAVE_TBB)
  step("configure find_package parallel consumer" "${CMAKE_COMMAND}" -S
       "${_here}/find_package_parallel" -B "${WORK_DIR}/find_package_parallel" ${_common_args}
       "-DCMAKE_PREFIX_PATH=${_prefix}")
  step("build find_package parallel consumer" "${CMAKE_COMMAND}" --build
       "${WORK_DIR}/find_package_parallel" -j2)
  expect_version("find_package parallel consumer" "${WORK_DIR}/find_package_parallel/consumer")
else()
  message(STATUS "packaging: vdaf::parallel consumer not built (vdaf configured without oneTBB)")
endif()

message(STATUS "packaging: all consumers OK")
