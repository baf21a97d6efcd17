// Shared helpers of the Python bindings (module vdaf._vdaf): bytes <-> spans, field elements
// <-> Python ints, measurements and results, the exception classes, and the generic binding of
// a VDAF class (bind_vdaf) used for every Prio3 instance and Poplar1.
#pragma once

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "vdaf/core/bit_string.hpp"
#include "vdaf/core/bytes.hpp"
#include "vdaf/ct/ct.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/field/field255.hpp"
#include "vdaf/topology/ping_pong.hpp"

namespace nb = nanobind;

namespace vdaf_py {

using vdaf::ByteSpan;
using vdaf::Bytes;

// ---------------------------------------------------------------------------
// Exceptions. One translator (module.cpp) maps the C++ hierarchy, most specific first.
// ---------------------------------------------------------------------------
struct ExceptionTypes {
  PyObject* error = nullptr;             // vdaf.Error (ValueError)
  PyObject* decode_error = nullptr;      // vdaf.DecodeError
  PyObject* invalid_argument = nullptr;  // vdaf.InvalidArgument
  PyObject* verify_error = nullptr;      // vdaf.VerifyError
  PyObject* internal_error = nullptr;    // vdaf.InternalError
};
inline ExceptionTypes& exc() {
  static ExceptionTypes t;
  return t;
}

/// The Python exception instance for a vdaf exception (for the batch APIs, which return the
/// failure of a report in its slot instead of raising). Non-vdaf exceptions are rethrown.
inline nb::object exception_object(const std::exception_ptr& p) {
  PyObject* type = nullptr;
  std::string msg;
  std::optional<std::string> reason;
  std::optional<std::size_t> proof;
  try {
    std::rethrow_exception(p);
  } catch (const vdaf::verify_error& e) {
    type = exc().verify_error;
    msg = e.what();
    reason = vdaf::to_string(e.reason());
    proof = e.proof();
  } catch (const vdaf::decode_error& e) {
    type = exc().decode_error;
    msg = e.what();
  } catch (const vdaf::invalid_argument& e) {
    type = exc().invalid_argument;
    msg = e.what();
  } catch (const vdaf::internal_error& e) {
    type = exc().internal_error;
    msg = e.what();
  } catch (const vdaf::error& e) {
    type = exc().error;
    msg = e.what();
  }
  nb::object inst = nb::handle(type)(nb::str(msg.c_str()));
  if (type == exc().verify_error) {
    inst.attr("reason") = nb::str(reason->c_str());
    inst.attr("proof") = proof ? nb::object(nb::int_(*proof)) : nb::none();
  }
  return inst;
}

// ---------------------------------------------------------------------------
// Bytes
// ---------------------------------------------------------------------------
inline ByteSpan span_of(const nb::bytes& b) {
  return ByteSpan(reinterpret_cast<const std::uint8_t*>(b.c_str()), b.size());
}
template <class C>
nb::bytes to_bytes(const C& c) {
  return nb::bytes(reinterpret_cast<const char*>(c.data()), c.size());
}
/// A list of `bytes` objects, kept alive by the caller's list, as spans.
inline std::vector<ByteSpan> spans_of(const nb::list& l, const char* what) {
  std::vector<ByteSpan> out;
  out.reserve(nb::len(l));
  for (nb::handle h : l) {
    if (!PyBytes_Check(h.ptr())) {
      VDAF_THROW(invalid_argument, std::string(what) + ": expected a list of bytes");
    }
    out.push_back(span_of(nb::borrow<nb::bytes>(h)));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Python ints <-> 64-bit limbs
// ---------------------------------------------------------------------------
inline nb::object u64_to_py(std::uint64_t x) { return nb::steal(PyLong_FromUnsignedLongLong(x)); }

// Wider values go through CPython's byte-array conversions (one call per element, instead of a
// shift and an or per limb): PyLong_{From,As}*NativeBytes from 3.13 on, the underscored
// functions (present in 3.9-3.12, with this signature) before.
inline nb::object limbs_to_py(const std::uint64_t* l, std::size_t n) {
  if (n == 1) return u64_to_py(l[0]);
  unsigned char buf[32];
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < 8; ++k) {
      buf[8 * i + k] = static_cast<unsigned char>(l[i] >> (8 * k));
    }
  }
#if PY_VERSION_HEX >= 0x030D0000
  PyObject* o = PyLong_FromUnsignedNativeBytes(buf, static_cast<Py_ssize_t>(8 * n),
                                               Py_ASNATIVEBYTES_LITTLE_ENDIAN);
#else
  PyObject* o = _PyLong_FromByteArray(buf, 8 * n, /*little_endian=*/1, /*is_signed=*/0);
#endif
  if (!o) throw nb::python_error();
  return nb::steal(o);
}

/// Reads a non-negative Python int below 2^(64n) into n little-endian limbs; false otherwise.
inline bool py_to_limbs(nb::handle h, std::uint64_t* l, std::size_t n) {
  if (!PyLong_Check(h.ptr())) return false;
  if (n == 1) {
    unsigned long long v = PyLong_AsUnsignedLongLong(h.ptr());
    if (v == static_cast<unsigned long long>(-1) && PyErr_Occurred()) {
      PyErr_Clear();
      return false;
    }
    l[0] = v;
    return true;
  }
  unsigned char buf[32];
#if PY_VERSION_HEX >= 0x030D0000
  const Py_ssize_t r = PyLong_AsNativeBytes(
      h.ptr(), buf, static_cast<Py_ssize_t>(8 * n),
      Py_ASNATIVEBYTES_LITTLE_ENDIAN | Py_ASNATIVEBYTES_UNSIGNED_BUFFER |
          Py_ASNATIVEBYTES_REJECT_NEGATIVE);
  if (r < 0) {
    PyErr_Clear();
    return false;
  }
  if (static_cast<std::size_t>(r) > 8 * n) return false;
#else
  if (_PyLong_AsByteArray(reinterpret_cast<PyLongObject*>(h.ptr()), buf, 8 * n,
                          /*little_endian=*/1, /*is_signed=*/0) < 0) {
    PyErr_Clear();  // OverflowError: negative, or 2^(64n) or more
    return false;
  }
#endif
  for (std::size_t i = 0; i < n; ++i) {
    l[i] = 0;
    for (std::size_t k = 0; k < 8; ++k) l[i] |= std::uint64_t{buf[8 * i + k]} << (8 * k);
  }
  return true;
}

// ---------------------------------------------------------------------------
// Field elements <-> Python ints
// ---------------------------------------------------------------------------
template <class F>
struct FieldConv;
template <>
struct FieldConv<vdaf::Field64> {
  static constexpr std::size_t N = 1;
  static void to_limbs(const vdaf::Field64& x, std::uint64_t* l) { l[0] = x.as_int(); }
  static bool from_limbs(const std::uint64_t* l, vdaf::Field64& out) {
    if (l[0] >= vdaf::Field64::MODULUS) return false;
    out = vdaf::Field64::from_int(l[0]);
    return true;
  }
  static void modulus(std::uint64_t* l) { l[0] = vdaf::Field64::MODULUS; }
};
template <>
struct FieldConv<vdaf::Field128> {
  static constexpr std::size_t N = 2;
  static void to_limbs(const vdaf::Field128& x, std::uint64_t* l) {
    const vdaf::uint128 v = x.as_int();
    l[0] = static_cast<std::uint64_t>(v);
    l[1] = static_cast<std::uint64_t>(v >> 64);
  }
  static bool from_limbs(const std::uint64_t* l, vdaf::Field128& out) {
    const vdaf::uint128 v = (static_cast<vdaf::uint128>(l[1]) << 64) | l[0];
    if (v >= vdaf::Field128::MODULUS) return false;
    out = vdaf::Field128::from_int(v);
    return true;
  }
  static void modulus(std::uint64_t* l) {
    l[0] = static_cast<std::uint64_t>(vdaf::Field128::MODULUS);
    l[1] = static_cast<std::uint64_t>(vdaf::Field128::MODULUS >> 64);
  }
};
template <>
struct FieldConv<vdaf::Field255> {
  static constexpr std::size_t N = 4;
  static void to_limbs(const vdaf::Field255& x, std::uint64_t* l) {
    const auto v = x.as_int();
    for (std::size_t i = 0; i < 4; ++i) l[i] = v[i];
  }
  static bool from_limbs(const std::uint64_t* l, vdaf::Field255& out) {
    vdaf::Field255::Int v{l[0], l[1], l[2], l[3]};
    for (std::size_t i = 4; i-- > 0;) {  // v < MODULUS, from the top limb down
      if (v[i] != vdaf::Field255::MODULUS[i]) {
        if (v[i] > vdaf::Field255::MODULUS[i]) return false;
        out = vdaf::Field255::from_int(v);
        return true;
      }
    }
    return false;  // equal to the modulus
  }
  static void modulus(std::uint64_t* l) {
    for (std::size_t i = 0; i < 4; ++i) l[i] = vdaf::Field255::MODULUS[i];
  }
};

template <class F>
nb::object field_to_py(const F& x) {
  std::uint64_t l[FieldConv<F>::N];
  FieldConv<F>::to_limbs(x, l);
  return limbs_to_py(l, FieldConv<F>::N);
}
template <class F>
F field_from_py(nb::handle h, const char* what) {
  std::uint64_t l[FieldConv<F>::N];
  F out;
  if (!py_to_limbs(h, l, FieldConv<F>::N) || !FieldConv<F>::from_limbs(l, out)) {
    VDAF_THROW(invalid_argument, std::string(what) + ": expected an int in [0, " + F::NAME +
                                     ".MODULUS), got " + nb::repr(h).c_str());
  }
  return out;
}
template <class F>
nb::list vec_to_py(std::span<const F> v) {
  nb::list l;
  for (const F& x : v) l.append(field_to_py(x));
  return l;
}
template <class Vec>
Vec vec_from_py(nb::handle h, const char* what) {
  using F = typename Vec::value_type;
  if (!PySequence_Check(h.ptr()) || PyBytes_Check(h.ptr()) || PyUnicode_Check(h.ptr())) {
    VDAF_THROW(invalid_argument, std::string(what) + ": expected a list of ints");
  }
  Vec out;
  out.reserve(nb::len(h));
  for (nb::handle x : h) out.push_back(field_from_py<F>(x, what));
  return out;
}

// ---------------------------------------------------------------------------
// Measurements and aggregate results
// ---------------------------------------------------------------------------
inline std::uint64_t u64_from_py(nb::handle h, const char* what) {
  std::uint64_t v = 0;
  if (!py_to_limbs(h, &v, 1)) {
    VDAF_THROW(invalid_argument,
               std::string(what) + ": expected an int in [0, 2^64), got " + nb::repr(h).c_str());
  }
  return v;
}
inline bool bool_from_py(nb::handle h, const char* what) {
  if (PyBool_Check(h.ptr())) return h.ptr() == Py_True;
  if (PyLong_Check(h.ptr())) {
    std::uint64_t v = 0;
    if (py_to_limbs(h, &v, 1) && v <= 1) return v == 1;
  }
  VDAF_THROW(invalid_argument,
             std::string(what) + ": expected a bool (or 0/1), got " + nb::repr(h).c_str());
}
inline void check_sequence(nb::handle h, const char* what) {
  if (!PySequence_Check(h.ptr()) || PyBytes_Check(h.ptr()) || PyUnicode_Check(h.ptr())) {
    VDAF_THROW(invalid_argument, std::string(what) + ": expected a list, got " +
                                     nb::repr(h).c_str());
  }
}

template <class M>
struct MeasConv;
template <>
struct MeasConv<std::uint64_t> {
  static std::uint64_t from(nb::handle h) { return u64_from_py(h, "measurement"); }
  static nb::object to(std::uint64_t v) { return u64_to_py(v); }
};
template <>
struct MeasConv<std::vector<std::uint64_t>> {
  static std::vector<std::uint64_t> from(nb::handle h) {
    check_sequence(h, "measurement");
    std::vector<std::uint64_t> v;
    for (nb::handle x : h) v.push_back(u64_from_py(x, "measurement entry"));
    return v;
  }
};
template <>
struct MeasConv<std::vector<bool>> {
  static std::vector<bool> from(nb::handle h) {
    check_sequence(h, "measurement");
    std::vector<bool> v;
    for (nb::handle x : h) v.push_back(bool_from_py(x, "measurement entry"));
    return v;
  }
};
template <>
struct MeasConv<vdaf::BitString> {
  static vdaf::BitString from(nb::handle h) {
    check_sequence(h, "bit string");
    vdaf::BitString v;
    for (nb::handle x : h) v.push_back(bool_from_py(x, "bit"));
    return v;
  }
  static nb::object to(const vdaf::BitString& b) {
    nb::list l;
    for (std::size_t i = 0; i < b.size(); ++i) l.append(nb::bool_(b[i]));
    return nb::tuple(l);
  }
};

inline nb::object result_to_py(std::uint64_t v) { return u64_to_py(v); }
inline nb::object result_to_py(const std::vector<std::uint64_t>& v) {
  nb::list l;
  for (auto x : v) l.append(u64_to_py(x));
  return l;
}
inline nb::object result_to_py(const std::vector<vdaf::uint128>& v) {
  nb::list l;
  for (auto x : v) {
    const std::uint64_t limbs[2] = {static_cast<std::uint64_t>(x),
                                    static_cast<std::uint64_t>(x >> 64)};
    l.append(limbs_to_py(limbs, 2));
  }
  return l;
}

// ---------------------------------------------------------------------------
// Boxes: the VDAF's message and state types, one Python class per VDAF class V (so two
// instances over the same C++ base, or types that coincide, get distinct Python classes).
// ---------------------------------------------------------------------------
template <class V>
struct PublicShareBox {
  typename V::PublicShare v;
};
template <class V>
struct InputShareBox {
  typename V::InputShare v;
};
template <class V>
struct VerifyStateBox {
  typename V::VerifyState v;
};
template <class V>
struct VerifierShareBox {
  typename V::VerifierShare v;
};
template <class V>
struct VerifierMessageBox {
  typename V::VerifierMessage v;
};
template <class V>
struct PingPongStateBox {
  typename vdaf::PingPong<V>::State v;
};

}  // namespace vdaf_py
