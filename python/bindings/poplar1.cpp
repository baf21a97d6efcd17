// Poplar1 (draft §8): the aggregation parameter is (level, prefixes) as in the reference
// (a level and a sequence of bit strings, each a sequence of bools of length level+1); output
// and aggregate shares are lists of ints of the level's field (Field64 at inner levels,
// Field255 at the leaf).
#include "bind_vdaf.hpp"
#include "vdaf/poplar1/poplar1.hpp"

namespace vdaf_py {

template <>
struct VdafConv<vdaf::Poplar1> {
  using V = vdaf::Poplar1;
  using AggParam = V::AggParam;
  using OutShare = V::OutShare;
  static constexpr const char* SPEC = "8.2";
  static constexpr const char* AP_DOC =
      "agg_param: (level, prefixes), level in 0..BITS-1 and prefixes a sequence of bit strings "
      "(sequences of bools) of length level+1, strictly increasing.";
  static constexpr const char* SHARE_DOC =
      "a list of len(prefixes) ints (Field64 elements at inner levels, Field255 at the leaf)";
  static AggParam ap_from(const V&, nb::handle h) {
    if (!PyTuple_Check(h.ptr()) && !PyList_Check(h.ptr())) {
      VDAF_THROW(invalid_argument, "Poplar1: the aggregation parameter must be (level, "
                                   "prefixes), got " +
                                       std::string(nb::repr(h).c_str()));
    }
    if (nb::len(h) != 2) {
      VDAF_THROW(invalid_argument, "Poplar1: the aggregation parameter must be (level, prefixes)");
    }
    AggParam ap;
    nb::object lv = h[0];
    const std::uint64_t level = u64_from_py(lv, "Poplar1 agg_param level");
    if (level > 0xFFFF) VDAF_THROW(invalid_argument, "Poplar1 agg_param: level above 65535");
    ap.level = static_cast<std::uint16_t>(level);
    nb::object prefixes = h[1];
    check_sequence(prefixes, "Poplar1 agg_param prefixes");
    for (nb::handle p : prefixes) ap.prefixes.push_back(MeasConv<vdaf::BitString>::from(p));
    return ap;
  }
  static nb::object ap_to(const V&, const AggParam& ap) {
    nb::list l;
    for (const auto& p : ap.prefixes) l.append(MeasConv<vdaf::BitString>::to(p));
    return nb::make_tuple(nb::int_(ap.level), nb::tuple(l));
  }
  static nb::object out_to(const V&, const OutShare& s) {
    return std::visit(
        [](const auto& vec) -> nb::object {
          using F = typename std::decay_t<decltype(vec)>::value_type;
          return vec_to_py<F>(std::span<const F>(vec));
        },
        s);
  }
  static OutShare out_from(const V& v, const AggParam& ap, nb::handle h) {
    if (v.is_leaf(ap.level)) {
      return vec_from_py<vdaf::secret_vector<vdaf::Field255>>(h, "Poplar1 share (Field255)");
    }
    return vec_from_py<vdaf::secret_vector<vdaf::Field64>>(h, "Poplar1 share (Field64)");
  }
};

namespace {
std::vector<vdaf::BitString> prefixes_from(nb::handle h) {
  check_sequence(h, "prefixes");
  std::vector<vdaf::BitString> out;
  for (nb::handle p : h) out.push_back(MeasConv<vdaf::BitString>::from(p));
  return out;
}
template <class F>
nb::list values_to_py(const vdaf::IdpfBBCGGI21::Values<F>& vals) {
  nb::list l;
  for (const auto& v : vals) l.append(vec_to_py<F>(std::span<const F>(v)));
  return l;
}

void bind_idpf(nb::module_& m) {
  using I = vdaf::IdpfBBCGGI21;
  nb::class_<I>(m, "IdpfBBCGGI21",
                "The IDPF of Poplar1 (draft §8.3): inner levels Field64, leaf Field255, VALUE_LEN "
                "elements per node. Public shares and keys are bytes (their encodings).")
      .def(nb::init<std::size_t, std::size_t>(), nb::arg("value_len"), nb::arg("bits"),
           "IdpfBBCGGI21(value_len, bits). Raises InvalidArgument on bad parameters.")
      .def_prop_ro(
          "BITS", [](const I& i) { return i.bits(); }, "BITS, the input length.")
      .def_prop_ro(
          "VALUE_LEN", [](const I& i) { return i.value_len(); },
          "VALUE_LEN, the elements per value.")
      .def(
          "gen",
          [](const I& idpf, nb::handle alpha, nb::handle beta_inner, nb::handle beta_leaf,
             nb::bytes ctx, nb::bytes nonce, nb::bytes rand) {
            auto a = MeasConv<vdaf::BitString>::from(alpha);
            check_sequence(beta_inner, "beta_inner");
            std::vector<std::vector<vdaf::Field64>> bi;
            for (nb::handle h : beta_inner) {
              bi.push_back(vec_from_py<std::vector<vdaf::Field64>>(h, "beta_inner"));
            }
            auto bl = vec_from_py<std::vector<vdaf::Field255>>(beta_leaf, "beta_leaf");
            auto [ps, keys] = idpf.gen(a, std::span<const std::vector<vdaf::Field64>>(bi),
                                       std::span<const vdaf::Field255>(bl), span_of(ctx),
                                       span_of(nonce), span_of(rand));
            nb::list k;
            for (const auto& key : keys) {
              k.append(nb::bytes(reinterpret_cast<const char*>(key.data()), I::KEY_SIZE));
            }
            return nb::make_tuple(to_bytes(idpf.encode_public_share(ps)), k);
          },
          nb::arg("alpha"), nb::arg("beta_inner"), nb::arg("beta_leaf"), nb::arg("ctx"),
          nb::arg("nonce"), nb::arg("rand"),
          "gen(alpha, beta_inner, beta_leaf, ctx, nonce, rand) -> (public_share, [key0, key1]) "
          "(§8.3). alpha: BITS bools; beta_inner: BITS-1 lists of VALUE_LEN Field64 ints; "
          "beta_leaf: VALUE_LEN Field255 ints; nonce 16 bytes; rand 32 bytes. Returns the "
          "encoded public share and the two 16-byte keys. Raises InvalidArgument.")
      .def(
          "eval",
          [](const I& idpf, std::size_t agg_id, nb::bytes public_share, nb::bytes key,
             std::size_t level, nb::handle prefixes, nb::bytes ctx, nb::bytes nonce) {
            auto ps = idpf.decode_public_share(span_of(public_share));
            if (key.size() != I::KEY_SIZE) {
              VDAF_THROW(invalid_argument, "IdpfBBCGGI21 eval: key must be 16 bytes");
            }
            const I::Key k(span_of(key));
            auto p = prefixes_from(prefixes);
            if (level + 1 == idpf.bits()) {
              return values_to_py<vdaf::Field255>(
                  idpf.eval_leaf(agg_id, ps, k, p, span_of(ctx), span_of(nonce)));
            }
            return values_to_py<vdaf::Field64>(
                idpf.eval_inner(agg_id, ps, k, level, p, span_of(ctx), span_of(nonce)));
          },
          nb::arg("agg_id"), nb::arg("public_share"), nb::arg("key"), nb::arg("level"),
          nb::arg("prefixes"), nb::arg("ctx"), nb::arg("nonce"),
          "eval(agg_id, public_share, key, level, prefixes, ctx, nonce) -> list of VALUE_LEN "
          "int lists, one per prefix (§8.3): this aggregator's shares (Field64 at inner "
          "levels, Field255 at the leaf). prefixes: bit strings of length level+1. Raises "
          "DecodeError on a malformed public share, InvalidArgument on bad shapes.");
}
}  // namespace

void bind_poplar1(nb::module_& m) {
  bind_idpf(m);
  bind_vdaf<vdaf::Poplar1>(
      m, "Poplar1",
      "Poplar1 (draft §8): heavy hitters over BITS-bit strings on the IDPF IdpfBBCGGI21; 2 "
      "aggregators, 2 rounds, ID 0x00000006. Measurement: a sequence of BITS bools (most "
      "significant first). The aggregation parameter is (level, prefixes); the aggregate "
      "result is one count per prefix (list of ints).")
      .def(nb::init<std::size_t>(), nb::arg("bits"),
           "Poplar1(bits): BITS in 1..65535. Raises InvalidArgument otherwise.")
      .def_prop_ro(
          "BITS", [](const vdaf::Poplar1& v) { return v.bits(); }, "BITS, the measurement length.")
      .def(
          "is_leaf", [](const vdaf::Poplar1& v, std::size_t level) { return v.is_leaf(level); },
          nb::arg("level"), "Whether `level` is the leaf level (Field255 shares).");
}

}  // namespace vdaf_py
