// PingPong keeps a reference to its VDAF, so building one from a temporary must not compile
// (ctest test compile_fail_ping_pong_temporary: "deleted"). With VDAF_COMPILE_CONTROL defined,
// the same code with a named VDAF object must build.
#include <vdaf/prio3.hpp>
#include <vdaf/topology/ping_pong.hpp>

int main() {
  const vdaf::Bytes key(32, 1), ctx;
#ifdef VDAF_COMPILE_CONTROL
  const vdaf::Prio3Histogram vdaf(2, 20, 4);
  vdaf::PingPong pp(vdaf, key, ctx, {});
#else
  vdaf::PingPong pp(vdaf::Prio3Histogram(2, 20, 4), key, ctx, {});
#endif
  return pp.ctx().empty() ? 0 : 1;
}
