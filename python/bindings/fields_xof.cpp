// The fields of §6.1 (elements are Python ints) and the XOFs of §6.2 (plus the 0xFFFF1003
// deployment's XofHmacSha256Aes128).
#include "common.hpp"
#include "vdaf/xof/xof_fixed_key_aes128.hpp"
#include "vdaf/xof/xof_hmac_sha256_aes128.hpp"
#include "vdaf/xof/xof_turboshake128.hpp"

namespace vdaf_py {

template <class F>
struct FieldTag {};

namespace {

template <class F>
void bind_field(nb::module_& m, const char* name, const char* class_doc) {
  nb::class_<FieldTag<F>> c(m, name, class_doc);
  std::uint64_t l[FieldConv<F>::N];
  FieldConv<F>::modulus(l);
  c.attr("MODULUS") = limbs_to_py(l, FieldConv<F>::N);
  c.attr("ENCODED_SIZE") = nb::int_(F::ENCODED_SIZE);
  c.attr("NAME") = nb::str(F::NAME);
  c.def_static(
       "encode_vec",
       [](nb::handle vec) {
         auto v = vec_from_py<std::vector<F>>(vec, F::NAME);
         return to_bytes(F::encode_vec(std::span<const F>(v)));
       },
       nb::arg("vec"),
       "encode_vec(vec) -> bytes (§6.1.1): each int in [0, MODULUS) as ENCODED_SIZE "
       "little-endian bytes, concatenated. Raises InvalidArgument on an int out of range.")
      .def_static(
          "decode_vec",
          [](nb::bytes b) {
            auto v = F::decode_vec(span_of(b));
            return vec_to_py<F>(std::span<const F>(v));
          },
          nb::arg("encoded"),
          "decode_vec(encoded) -> list[int] (§6.1.1). Raises DecodeError if the length is not a "
          "multiple of ENCODED_SIZE or an element is >= MODULUS.");
}

/// Calls fn.template operator()<F>() for the field class `field` (vdaf.Field64, ...).
template <class Fn>
auto with_field(nb::handle field, Fn&& fn) {
  if (field.is(nb::type<FieldTag<vdaf::Field64>>())) return fn(vdaf::Field64{});
  if (field.is(nb::type<FieldTag<vdaf::Field128>>())) return fn(vdaf::Field128{});
  if (field.is(nb::type<FieldTag<vdaf::Field255>>())) return fn(vdaf::Field255{});
  VDAF_THROW(invalid_argument, "field must be vdaf.Field64, vdaf.Field128 or vdaf.Field255, got " +
                                   std::string(nb::repr(field).c_str()));
}

template <class X>
void bind_xof(nb::module_& m, const char* name, const char* class_doc) {
  nb::class_<X> c(m, name, class_doc);
  c.attr("SEED_SIZE") = nb::int_(X::SEED_SIZE);
  c.def(
       "__init__",
       [](X* self, nb::bytes seed, nb::bytes dst, nb::bytes binder) {
         new (self) X(span_of(seed), span_of(dst), span_of(binder));
       },
       nb::arg("seed"), nb::arg("dst"), nb::arg("binder"),
       "A fresh XOF stream on (seed, dst, binder) (§6.2). seed: SEED_SIZE bytes. Raises "
       "InvalidArgument on a seed or dst the XOF does not accept.")
      .def(
          "next",
          [](X& x, std::size_t length) {
            Bytes out(length);
            x.next(std::span<std::uint8_t>(out));
            return to_bytes(out);
          },
          nb::arg("length"), "next(length) -> the next `length` bytes of the stream (§6.2).")
      .def(
          "next_vec",
          [](X& x, nb::handle field, std::size_t length) {
            return with_field(field, [&](auto f) -> nb::object {
              using F = decltype(f);
              std::vector<F> v(length);
              x.template next_vec_into<F>(std::span<F>(v));
              return vec_to_py<F>(std::span<const F>(v));
            });
          },
          nb::arg("field"), nb::arg("length"),
          "next_vec(field, length) -> list[int]: `length` elements of `field` (vdaf.Field64, "
          "vdaf.Field128 or vdaf.Field255) by rejection sampling (§6.2).")
      .def_static(
          "derive_seed",
          [](nb::bytes seed, nb::bytes dst, nb::bytes binder) {
            return to_bytes(X::derive_seed(span_of(seed), span_of(dst), span_of(binder)));
          },
          nb::arg("seed"), nb::arg("dst"), nb::arg("binder"),
          "derive_seed(seed, dst, binder) -> SEED_SIZE bytes (§6.2).")
      .def_static(
          "expand_into_vec",
          [](nb::handle field, nb::bytes seed, nb::bytes dst, nb::bytes binder,
             std::size_t length) {
            return with_field(field, [&](auto f) -> nb::object {
              using F = decltype(f);
              auto v = X::template expand_into_vec<F>(span_of(seed), span_of(dst),
                                                      span_of(binder), length);
              return vec_to_py<F>(std::span<const F>(v));
            });
          },
          nb::arg("field"), nb::arg("seed"), nb::arg("dst"), nb::arg("binder"),
          nb::arg("length"),
          "expand_into_vec(field, seed, dst, binder, length) -> list[int] (§6.2): `length` "
          "elements of `field` from a fresh stream.");
}

}  // namespace

void bind_fields_xofs(nb::module_& m) {
  bind_field<vdaf::Field64>(m, "Field64",
                            "Field64 (§6.1): p = 2^32*(2^32-1)+1, ENCODED_SIZE 8. Elements are "
                            "Python ints in [0, MODULUS).");
  bind_field<vdaf::Field128>(m, "Field128",
                             "Field128 (§6.1): p = 2^66*4611686018427387897+1, ENCODED_SIZE 16. "
                             "Elements are Python ints in [0, MODULUS).");
  bind_field<vdaf::Field255>(m, "Field255",
                             "Field255 (§6.1): p = 2^255-19, ENCODED_SIZE 32. Elements are "
                             "Python ints in [0, MODULUS).");
  bind_xof<vdaf::XofTurboShake128>(m, "XofTurboShake128",
                                   "XofTurboShake128 (§6.2.1): TurboSHAKE128 with domain byte 1; "
                                   "seed 32 bytes (SEED_SIZE).");
  bind_xof<vdaf::XofFixedKeyAes128>(m, "XofFixedKeyAes128",
                                    "XofFixedKeyAes128 (§6.2.2): fixed-key AES-128 keyed by "
                                    "TurboSHAKE128(dst, binder); seed 16 bytes (SEED_SIZE).");
  bind_xof<vdaf::XofHmacSha256Aes128>(
      m, "XofHmacSha256Aes128",
      "XofHmacSha256Aes128 (libprio-rs; the 0xFFFF1003 instance): HMAC-SHA256 then AES-128-CTR; "
      "seed 32 bytes (SEED_SIZE), dst at most 255 bytes.");
}

}  // namespace vdaf_py
