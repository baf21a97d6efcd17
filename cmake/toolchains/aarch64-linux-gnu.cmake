# AArch64 (little-endian ARM64) through Debian's g++-aarch64-linux-gnu and qemu-aarch64.
set(VDAF_CROSS_TRIPLE aarch64-linux-gnu)
set(VDAF_CROSS_PROCESSOR aarch64)
set(VDAF_CROSS_QEMU qemu-aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
