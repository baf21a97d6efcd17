# s390x (64-bit big-endian IBM Z) through Debian's g++-s390x-linux-gnu and qemu-s390x. qemu 7.2's
# s390x user mode aborts dynamically linked programs ("stack smashing detected"), so everything
# is linked statically (libsodium.a; Highway is header-only here).
set(VDAF_CROSS_TRIPLE s390x-linux-gnu)
set(VDAF_CROSS_PROCESSOR s390x)
set(VDAF_CROSS_QEMU qemu-s390x)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(VDAF_STATIC_SODIUM ON CACHE BOOL "static programs: libsodium.a")
set(VDAF_HWY_HEADERS_ONLY ON CACHE BOOL "Debian ships no libhwy.a for s390x")
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
