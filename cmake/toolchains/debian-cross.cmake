# Cross-compiling vdaf-cpp on Debian 12 with its cross compilers and multiarch -dev packages
# (dpkg --add-architecture ARCH; apt-get install g++-TRIPLE libsodium-dev:ARCH libhwy-dev:ARCH
# ...), the test programs run under qemu-user. Set VDAF_CROSS_TRIPLE (aarch64-linux-gnu,
# s390x-linux-gnu, ...) and VDAF_CROSS_QEMU (qemu-aarch64, qemu-s390x, ...) before using it, e.g.
#
#   cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake
#
# (the per-architecture files below set both). `.ci/run aarch64` and `.ci/run s390x` use them.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${VDAF_CROSS_PROCESSOR})
set(CMAKE_C_COMPILER ${VDAF_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${VDAF_CROSS_TRIPLE}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${VDAF_CROSS_TRIPLE})
# Multiarch: target libraries in /usr/lib/TRIPLE, headers shared in /usr/include.
set(CMAKE_FIND_ROOT_PATH /usr/${VDAF_CROSS_TRIPLE} /usr/lib/${VDAF_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${VDAF_CROSS_TRIPLE}/pkgconfig:/usr/share/pkgconfig")
# Test programs (and gtest_discover_tests) run under qemu-user, with the target's loader and
# libraries from /usr/TRIPLE.
set(CMAKE_CROSSCOMPILING_EMULATOR ${VDAF_CROSS_QEMU} -L /usr/${VDAF_CROSS_TRIPLE})
