// Compiled with -std=c++17 by the ctest test compile_fail_cxx17: the library must stop at once
// with its one-line message ("vdaf-cpp needs C++20"), not hundreds of errors. Compiled with
// -std=c++20 (the control) it must build.
#include <vdaf/prio3.hpp>

int main() { return vdaf::Prio3Count(2).shares() == 2 ? 0 : 1; }
