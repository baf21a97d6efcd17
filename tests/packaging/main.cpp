// Consumer program shared by the packaging tests: prints the wire VERSION byte.
// It also calls into libsodium to prove that vdaf::vdaf carries its link flags.
#include <iostream>

#include <sodium.h>
#include <vdaf/version.hpp>

int main() {
  if (sodium_init() < 0) {
    std::cerr << "sodium_init failed\n";
    return 1;
  }
  std::cout << static_cast<int>(vdaf::VERSION) << '\n';
  return 0;
}
