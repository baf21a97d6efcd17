// The extension module vdaf._vdaf: exception classes and their translator, then every binding
// (one translation unit per group, so the compile stays bounded and parallel).
#include <string>

#include "common.hpp"
#include "vdaf/version.hpp"

namespace vdaf_py {
void bind_fields_xofs(nb::module_& m);
void bind_prio3_scalar(nb::module_& m);
void bind_prio3_vec128_a(nb::module_& m);
void bind_prio3_vec128_b(nb::module_& m);
void bind_prio3_vec64(nb::module_& m);
void bind_poplar1(nb::module_& m);
}  // namespace vdaf_py

namespace {

// The exception classes are qualified by this module's own name ("vdaf._vdaf.Error" when imported
// from the package, "_vdaf.Error" when stubgen imports the module alone, so the stub declares
// them); vdaf/__init__.py sets their __module__ to "vdaf".
PyObject* new_exception(nb::module_& m, const char* name, PyObject* base, const char* doc) {
  const std::string qualified = std::string(nb::str(m.attr("__name__")).c_str()) + "." + name;
  PyObject* t = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, base, nullptr);
  if (!t) throw nb::python_error();
  m.attr(name) = nb::handle(t);  // the module keeps a reference; `t` is never released
  return t;
}

}  // namespace

NB_MODULE(_vdaf, m) {
  using namespace vdaf_py;
  m.doc() =
      "vdaf-cpp's Python bindings: draft-irtf-cfrg-vdaf-20 (Prio3, Poplar1, fields, XOFs, "
      "ping-pong) with the names of the draft's Python reference (poc/vdaf_poc).";
  auto& e = exc();
  e.error = new_exception(m, "Error", PyExc_ValueError,
                          "Root of vdaf's errors (vdaf::error); a ValueError.");
  e.decode_error = new_exception(m, "DecodeError", e.error,
                                 "Malformed bytes: truncated, trailing, non-canonical element "
                                 "(vdaf::decode_error).");
  e.invalid_argument = new_exception(m, "InvalidArgument", e.error,
                                     "Caller misuse: bad parameters, a measurement out of range, "
                                     "wrong lengths (vdaf::invalid_argument).");
  e.verify_error = new_exception(m, "VerifyError", e.error,
                                 "The report was rejected during verification "
                                 "(vdaf::verify_error). Attributes: reason (str, the "
                                 "VerifyFailure name) and proof (int or None).");
  e.internal_error = new_exception(m, "InternalError", e.error,
                                   "A bug in vdaf-cpp (vdaf::internal_error).");
  nb::register_exception_translator([](const std::exception_ptr& p, void*) {
    try {
      std::rethrow_exception(p);
    } catch (const vdaf::error&) {
      nb::object inst = exception_object(p);
      PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(inst.ptr())), inst.ptr());
    }
  });

  m.attr("VERSION") = nb::int_(vdaf::VERSION);
  m.attr("DRAFT") = nb::int_(vdaf::DRAFT);
  m.attr("LIBRARY_VERSION") = nb::str(vdaf::LIBRARY_VERSION);
#if defined(VDAF_PY_HAVE_TBB)
  m.attr("HAVE_PARALLEL") = true;  // batch calls accept parallel=True (vdaf::parallel, oneTBB)
#else
  m.attr("HAVE_PARALLEL") = false;
#endif

  bind_fields_xofs(m);
  bind_prio3_scalar(m);
  bind_prio3_vec128_a(m);
  bind_prio3_vec128_b(m);
  bind_prio3_vec64(m);
  bind_poplar1(m);
}
