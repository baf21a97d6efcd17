// bind_vdaf<V>: the Python class of one VDAF (every Prio3 instance, Poplar1), with the draft's
// method names and argument order (poc/vdaf_poc), its message classes, the batch APIs where the
// C++ class has them (Prio3), and its ping-pong topology class.
#pragma once

#include <deque>
#include <string>

#include "common.hpp"
#if defined(VDAF_PY_HAVE_TBB)
#include "vdaf/parallel.hpp"
#endif

namespace vdaf_py {

/// Whether the batch calls can run on several cores (vdaf::parallel, oneTBB).
#if defined(VDAF_PY_HAVE_TBB)
inline constexpr bool HAVE_PARALLEL = true;
#else
inline constexpr bool HAVE_PARALLEL = false;
#endif
/// Raises InvalidArgument for parallel=True in a build without oneTBB.
inline void check_parallel(bool parallel) {
  if (parallel && !HAVE_PARALLEL) {
    VDAF_THROW(invalid_argument,
               "parallel=True: this build of vdaf has no oneTBB (vdaf::parallel); rebuild with "
               "libtbb-dev installed (vdaf.HAVE_PARALLEL is False)");
  }
}
inline constexpr const char* PARALLEL_DOC =
    " parallel=True runs the batch on every core through vdaf::parallel (oneTBB; same results, "
    "in order), in tasks of `grain` reports (0: automatic); it raises InvalidArgument when "
    "vdaf.HAVE_PARALLEL is False.";

/// Docstrings built at run time stay alive here (nanobind keeps the pointer).
inline const char* doc(std::string s) {
  static std::deque<std::string> docs;
  docs.push_back(std::move(s));
  return docs.back().c_str();
}

/// How a VDAF's aggregation parameter and output/aggregate shares look in Python. The primary
/// template is Prio3's (AggParam None; shares are lists of ints of the instance's field);
/// poplar1.cpp specialises it.
template <class V>
struct VdafConv {
  using F = typename V::Field;
  using AggParam = typename V::AggParam;
  using OutShare = typename V::OutShare;
  static constexpr const char* SPEC = "7.2";  // Prio3
  static constexpr const char* AP_DOC =
      "agg_param: None (Prio3 has no aggregation parameter; anything else raises "
      "InvalidArgument)";
  static constexpr const char* SHARE_DOC = "a list of OUTPUT_LEN ints (field elements)";
  static AggParam ap_from(const V&, nb::handle h) {
    if (!h.is_none()) {
      VDAF_THROW(invalid_argument, "Prio3: the aggregation parameter must be None, got " +
                                       std::string(nb::repr(h).c_str()));
    }
    return {};
  }
  static nb::object ap_to(const V&, const AggParam&) { return nb::none(); }
  static nb::object out_to(const V&, const OutShare& s) {
    return vec_to_py<F>(std::span<const F>(s));
  }
  static OutShare out_from(const V&, const AggParam&, nb::handle h) {
    return vec_from_py<OutShare>(h, "output/aggregate share");
  }
};

template <class V>
std::vector<typename V::AggParam> aps_from(const V& v, nb::handle l) {
  check_sequence(l, "previous_agg_params");
  std::vector<typename V::AggParam> out;
  for (nb::handle h : l) out.push_back(VdafConv<V>::ap_from(v, h));
  return out;
}

template <class V>
nb::object verify_next_to_py(
    const V& v, std::variant<std::pair<typename V::VerifyState, typename V::VerifierShare>,
                             typename V::OutShare>&& r) {
  if (r.index() == 0) {
    auto& p = std::get<0>(r);
    return nb::make_tuple(nb::cast(VerifyStateBox<V>{std::move(p.first)}),
                          nb::cast(VerifierShareBox<V>{std::move(p.second)}));
  }
  return VdafConv<V>::out_to(v, std::get<1>(r));
}

// A batch call's PingPongStates as a Python list of PingPongState.
template <class V>
nb::list ping_pong_states_to_py(std::vector<typename vdaf::PingPong<V>::State>&& states) {
  nb::list l;
  for (auto& s : states) l.append(nb::cast(PingPongStateBox<V>{std::move(s)}));
  return l;
}

// leader_continued_batch (leader) or helper_continued_batch: copies the states out of their
// boxes, runs the batch with the GIL released, returns the new states.
template <class V>
nb::list ping_pong_continued_batch(const vdaf::PingPong<V>& p, bool leader, nb::list states,
                                   nb::list inbound) {
  std::vector<typename vdaf::PingPong<V>::State> st;
  for (nb::handle h : states) st.push_back(nb::cast<const PingPongStateBox<V>&>(h).v);
  auto in = spans_of(inbound, "inbound");
  std::vector<typename vdaf::PingPong<V>::State> out;
  {
    nb::gil_scoped_release rel;
    out = leader ? p.leader_continued_batch(std::move(st), in)
                 : p.helper_continued_batch(std::move(st), in);
  }
  return ping_pong_states_to_py<V>(std::move(out));
}

template <class V>
void bind_ping_pong(nb::class_<V>& cls) {
  using PP = vdaf::PingPong<V>;
  using SB = PingPongStateBox<V>;
  using C = VdafConv<V>;
  nb::class_<SB> st(cls, "PingPongState",
                    "A ping-pong party's state after a step (draft §5.7.1, Appendix B): "
                    "Continued, Finished, FinishedWithOutbound or Rejected (see `kind`).");
  st.def_prop_ro(
        "kind",
        [](const SB& s) -> const char* {
          switch (s.v.index()) {
            case 0:
              return "continued";
            case 1:
              return "finished";
            case 2:
              return "finished_with_outbound";
            default:
              return "rejected";
          }
        },
        "'continued', 'finished', 'finished_with_outbound' or 'rejected'.")
      .def_prop_ro(
          "outbound",
          [](const SB& s) -> nb::object {
            const Bytes* b = PP::outbound(s.v);
            return b ? nb::object(to_bytes(*b)) : nb::none();
          },
          "The encoded PingPongMessage to send to the peer (bytes), or None (Finished, "
          "Rejected).")
      .def_prop_ro(
          "is_finished", [](const SB& s) { return PP::is_finished(s.v); },
          "True for Finished and FinishedWithOutbound (an output share is available).")
      .def_prop_ro(
          "is_rejected", [](const SB& s) { return PP::is_rejected(s.v); }, "True for Rejected.")
      .def_prop_ro(
          "verify_round",
          [](const SB& s) -> nb::object {
            if (const auto* c = std::get_if<typename PP::Continued>(&s.v))
              return nb::int_(c->verify_round);
            return nb::none();
          },
          "Continued: the round of the held verification state; else None.")
      .def_prop_ro(
          "reason",
          [](const SB& s) -> nb::object {
            if (const auto* r = std::get_if<typename PP::Rejected>(&s.v))
              return nb::str(r->reason.c_str());
            return nb::none();
          },
          "Rejected: why, for a person ('ping-pong STEP: MESSAGE'); else None.")
      .def_prop_ro(
          "cause",
          [](const SB& s) -> nb::object {
            if (const auto* r = std::get_if<typename PP::Rejected>(&s.v))
              return nb::str(vdaf::to_string(r->cause));
            return nb::none();
          },
          "Rejected: 'decode_error', 'invalid_argument', 'verify_error', 'protocol', "
          "'out_of_memory' or 'internal_error'; else None.")
      .def_prop_ro(
          "failure",
          [](const SB& s) -> nb::object {
            if (const auto* r = std::get_if<typename PP::Rejected>(&s.v))
              return nb::str(vdaf::to_string(r->failure));
            return nb::none();
          },
          "Rejected with cause 'verify_error': the VerifyFailure name ('proof_rejected', "
          "'joint_rand_mismatch', ...); 'unspecified' for other causes; None if not rejected.");

  nb::class_<PP> pp(cls, "PingPong",
                    doc(std::string("The ping-pong topology (draft §5.7.1) for two aggregators "
                                    "of this VDAF: PingPong(vdaf, verify_key, ctx, agg_param). "
                                    "Every step returns a PingPongState and never raises for a "
                                    "bad report: errors become a 'rejected' state. ") +
                        C::AP_DOC));
  pp.def(
      "__init__",
      [](PP* self, const V& v, nb::bytes verify_key, nb::bytes ctx, nb::handle agg_param) {
        new (self) PP(v, span_of(verify_key), span_of(ctx), C::ap_from(v, agg_param));
      },
      nb::arg("vdaf"), nb::arg("verify_key"), nb::arg("ctx"), nb::arg("agg_param").none(),
      nb::keep_alive<1, 2>(),
      "verify_key: VERIFY_KEY_SIZE bytes; ctx: the application context (bytes). Raises "
      "InvalidArgument on a wrong key length or a VDAF with other than 2 aggregators.");
  pp.def(
        "leader_initialized",
        [](const PP& p, nb::bytes nonce, nb::bytes public_share, nb::bytes input_share) {
          return SB{p.leader_initialized_encoded(span_of(nonce), span_of(public_share),
                                                 span_of(input_share))};
        },
        nb::arg("nonce"), nb::arg("public_share"), nb::arg("input_share"),
        "§5.7.1 ping_pong_leader_init on the encoded public share and Leader input share: "
        "verify_init as aggregator 0. Returns a 'continued' state (send .outbound to the "
        "Helper) or 'rejected'. Never raises for bad bytes.")
      .def(
          "helper_initialized",
          [](const PP& p, nb::bytes nonce, nb::bytes public_share, nb::bytes input_share,
             nb::bytes inbound) {
            return SB{p.helper_initialized_encoded(span_of(nonce), span_of(public_share),
                                                   span_of(input_share), span_of(inbound))};
          },
          nb::arg("nonce"), nb::arg("public_share"), nb::arg("input_share"), nb::arg("inbound"),
          "§5.7.1 ping_pong_helper_init on the Leader's first message `inbound`: verify_init as "
          "aggregator 1, then the round's transition. Returns 'continued', "
          "'finished_with_outbound' or 'rejected'.")
      .def(
          "leader_continued",
          [](const PP& p, const SB& state, nb::bytes inbound) {
            return SB{p.leader_continued(state.v, span_of(inbound))};
          },
          nb::arg("state"), nb::arg("inbound"),
          "§5.7.1 ping_pong_leader_continued: the Leader's step on the Helper's message. "
          "`state` is not modified. Returns a new PingPongState.")
      .def(
          "helper_continued",
          [](const PP& p, const SB& state, nb::bytes inbound) {
            return SB{p.helper_continued(state.v, span_of(inbound))};
          },
          nb::arg("state"), nb::arg("inbound"),
          "§5.7.1 ping_pong_helper_continued: the Helper's step on the Leader's message. "
          "`state` is not modified. Returns a new PingPongState.")
      .def(
          "out_share",
          [](const PP& p, const SB& state) -> nb::object {
            const auto* o = PP::out_share(state.v);
            if (!o) return nb::none();
            return C::out_to(p.vdaf(), *o);
          },
          nb::arg("state"),
          "The output share of a finished state as a list of ints (field elements), else "
          "None.")
      .def(
          "leader_initialized_batch",
          [](const PP& p, nb::list nonces, nb::list public_shares, nb::list input_shares) {
            auto n = spans_of(nonces, "nonces");
            auto ps = spans_of(public_shares, "public_shares");
            auto is = spans_of(input_shares, "input_shares");
            std::vector<typename PP::State> out;
            {
              nb::gil_scoped_release rel;
              out = p.leader_initialized_encoded_batch(n, ps, is);
            }
            return ping_pong_states_to_py<V>(std::move(out));
          },
          nb::arg("nonces"), nb::arg("public_shares"), nb::arg("input_shares"),
          "leader_initialized over a batch (lists of bytes of equal length n); returns n "
          "PingPongStates, equal to the one-by-one calls. The GIL is released during the "
          "computation. Raises InvalidArgument if the lists differ in length.")
      .def(
          "helper_initialized_batch",
          [](const PP& p, nb::list nonces, nb::list public_shares, nb::list input_shares,
             nb::list inbound) {
            auto n = spans_of(nonces, "nonces");
            auto ps = spans_of(public_shares, "public_shares");
            auto is = spans_of(input_shares, "input_shares");
            auto in = spans_of(inbound, "inbound");
            std::vector<typename PP::State> out;
            {
              nb::gil_scoped_release rel;
              out = p.helper_initialized_encoded_batch(n, ps, is, in);
            }
            return ping_pong_states_to_py<V>(std::move(out));
          },
          nb::arg("nonces"), nb::arg("public_shares"), nb::arg("input_shares"), nb::arg("inbound"),
          "helper_initialized over a batch (lists of bytes of equal length n); returns n "
          "PingPongStates. The GIL is released during the computation.")
      .def(
          "leader_continued_batch",
          [](const PP& p, nb::list states, nb::list inbound) {
            return ping_pong_continued_batch<V>(p, true, states, inbound);
          },
          nb::arg("states"), nb::arg("inbound"),
          "leader_continued over a batch (equal-length lists); returns new states. The GIL is "
          "released during the computation.")
      .def(
          "helper_continued_batch",
          [](const PP& p, nb::list states, nb::list inbound) {
            return ping_pong_continued_batch<V>(p, false, states, inbound);
          },
          nb::arg("states"), nb::arg("inbound"),
          "helper_continued over a batch (equal-length lists); returns new states. The GIL is "
          "released during the computation.");
  if constexpr (vdaf::VdafWithStoredState<V>) {
    pp.def(
          "encode_state",
          [](const PP& p, const SB& s) {
            auto b = p.encode_state(s.v);
            return to_bytes(b);
          },
          nb::arg("state"),
          "Stores a state as bytes (vdaf-cpp's own format, docs/wire-formats.md; holds secrets). "
          "Raises InvalidArgument on a state of another instance.")
        .def(
            "decode_state", [](const PP& p, nb::bytes b) { return SB{p.decode_state(span_of(b))}; },
            nb::arg("encoded"),
            "Restores a state stored by encode_state with the same VDAF, ctx and agg_param. "
            "Raises DecodeError on malformed or foreign bytes.");
  }
}

/// Binds V as `name` in `m`; the caller adds the constructor and instance-specific members.
template <class V>
nb::class_<V> bind_vdaf(nb::module_& m, const char* name, const char* class_doc) {
  using C = VdafConv<V>;
  using PSB = PublicShareBox<V>;
  using ISB = InputShareBox<V>;
  using VSB = VerifyStateBox<V>;
  using VShB = VerifierShareBox<V>;
  using VMB = VerifierMessageBox<V>;
  using AggParam = typename V::AggParam;
  const std::string S = C::SPEC;
  const std::string SHARE = C::SHARE_DOC;
  const std::string AP = C::AP_DOC;

  nb::class_<V> cls(m, name, class_doc);
  nb::class_<PSB> psb(cls, "PublicShare",
                      doc("A decoded public share (§" + S + "); encode with encode_public_share."));
  nb::class_<ISB> isb(
      cls, "InputShare",
      doc("A decoded input share (§" + S + "; secret); encode with encode_input_share."));
  nb::class_<VSB> vsb(cls, "VerifyState",
                      doc("An aggregator's verification state (§" + S +
                          "; secret); store with encode_verify_state."));
  nb::class_<VShB> vshb(cls, "VerifierShare",
                        doc("A verifier share (§" + S + "); encode with encode_verifier_share."));
  nb::class_<VMB> vmb(cls, "VerifierMessage",
                      doc("A verifier message (§" + S + "); encode with encode_verifier_message."));
  if constexpr (vdaf::VdafWithBatchVerify<V>) {  // Prio3: the public parts, readable
    using F = typename V::Field;
    auto opt_seed = [](const auto& o) -> nb::object {
      return o ? nb::object(to_bytes(*o)) : nb::none();
    };
    psb.def_prop_ro(
        "joint_rand_parts",
        [](const PSB& p) {
          nb::list l;
          for (const auto& part : p.v.joint_rand_parts) l.append(to_bytes(part));
          return l;
        },
        "The SHARES joint-randomness parts (32 bytes each), or [] without joint randomness.");
    isb.def_prop_ro(
        "is_leader", [](const ISB& i) { return i.v.is_leader(); },
        "Whether this is the Leader's kind of input share (measurement and proofs shares).");
    vsb.def_prop_ro(
        "agg_id", [](const VSB& st) { return st.v.agg_id; }, "The aggregator of this state.");
    vshb.def_prop_ro(
            "verifiers_share",
            [](const VShB& x) { return vec_to_py<F>(std::span<const F>(x.v.verifiers_share)); },
            "The verifiers share: VERIFIER_LEN*PROOFS field elements (ints).")
        .def_prop_ro(
            "joint_rand_part", [opt_seed](const VShB& x) { return opt_seed(x.v.joint_rand_part); },
            "This aggregator's joint-randomness part (32 bytes), or None.");
    vmb.def_prop_ro(
        "joint_rand_seed", [opt_seed](const VMB& m) { return opt_seed(m.v.joint_rand_seed); },
        "The joint-randomness seed (32 bytes), or None without joint randomness.");
  }

  cls.attr("ID") = nb::int_(V::ID);
  cls.attr("VERIFY_KEY_SIZE") = nb::int_(V::VERIFY_KEY_SIZE);
  cls.attr("NONCE_SIZE") = nb::int_(V::NONCE_SIZE);
  cls.attr("ROUNDS") = nb::int_(V::ROUNDS);
  cls.def_prop_ro(
         "SHARES", [](const V& v) { return v.shares(); }, "The number of aggregators.")
      .def_prop_ro(
          "RAND_SIZE", [](const V& v) { return v.rand_size(); },
          "The number of random bytes shard takes.");

  cls.def(
      "shard",
      [](const V& v, nb::bytes ctx, nb::handle measurement, nb::bytes nonce, nb::bytes rand) {
        auto meas = MeasConv<typename V::Measurement>::from(measurement);
        auto r = v.shard(span_of(ctx), meas, span_of(nonce), span_of(rand));
        nb::list shares;
        for (auto& s : r.input_shares) shares.append(nb::cast(ISB{std::move(s)}));
        return nb::make_tuple(nb::cast(PSB{std::move(r.public_share)}), shares);
      },
      nb::arg("ctx"), nb::arg("measurement"), nb::arg("nonce"), nb::arg("rand"),
      doc("shard(ctx, measurement, nonce, rand) -> (public_share, input_shares). Spec §" + S +
          ".1. nonce: NONCE_SIZE bytes; rand: RAND_SIZE bytes. Returns the public share and "
          "SHARES input shares (input_shares[0] is the Leader's). Raises InvalidArgument on "
          "an invalid measurement, wrong nonce/rand length or a too long ctx."));
  cls.def(
      "is_valid",
      [](const V& v, nb::handle agg_param, nb::handle previous) {
        auto ap = C::ap_from(v, agg_param);
        auto prev = aps_from(v, previous);
        return v.is_valid(ap, std::span<const AggParam>(prev));
      },
      nb::arg("agg_param").none(), nb::arg("previous_agg_params"),
      doc("is_valid(agg_param, previous_agg_params) -> bool. Spec §" + S + ".3. " + AP));
  cls.def(
      "verify_init",
      [](const V& v, nb::bytes verify_key, nb::bytes ctx, std::size_t agg_id, nb::handle agg_param,
         nb::bytes nonce, const PSB& public_share, const ISB& input_share) {
        auto ap = C::ap_from(v, agg_param);
        auto r = v.verify_init(span_of(verify_key), span_of(ctx), agg_id, ap, span_of(nonce),
                               public_share.v, input_share.v);
        return nb::make_tuple(nb::cast(VSB{std::move(r.first)}),
                              nb::cast(VShB{std::move(r.second)}));
      },
      nb::arg("verify_key"), nb::arg("ctx"), nb::arg("agg_id"), nb::arg("agg_param").none(),
      nb::arg("nonce"), nb::arg("public_share"), nb::arg("input_share"),
      doc("verify_init(verify_key, ctx, agg_id, agg_param, nonce, public_share, input_share) "
          "-> (verify_state, verifier_share). Spec §" +
          S +
          ".2. verify_key: VERIFY_KEY_SIZE bytes; agg_id in 0..SHARES-1; nonce: NONCE_SIZE "
          "bytes. Raises InvalidArgument on wrong shapes, VerifyError if the report is "
          "rejected here. " +
          AP));
  cls.def(
      "verifier_shares_to_message",
      [](const V& v, nb::bytes ctx, nb::handle agg_param, nb::handle shares) {
        auto ap = C::ap_from(v, agg_param);
        check_sequence(shares, "verifier_shares");
        std::vector<typename V::VerifierShare> vs;
        for (nb::handle h : shares) vs.push_back(nb::cast<const VShB&>(h).v);
        return VMB{v.verifier_shares_to_message(span_of(ctx), ap,
                                                std::span<const typename V::VerifierShare>(vs))};
      },
      nb::arg("ctx"), nb::arg("agg_param").none(), nb::arg("verifier_shares"),
      doc("verifier_shares_to_message(ctx, agg_param, verifier_shares) -> verifier_message. "
          "Spec §" +
          S +
          ".2. verifier_shares: one per aggregator, in aggregator order. Raises VerifyError "
          "(with .reason, .proof) if the report is rejected, InvalidArgument on wrong shapes. " +
          AP));
  cls.def(
      "verify_next",
      [](const V& v, nb::bytes ctx, const VSB& state, const VMB& msg) {
        return verify_next_to_py<V>(v, v.verify_next(span_of(ctx), state.v, msg.v));
      },
      nb::arg("ctx"), nb::arg("verify_state"), nb::arg("verifier_message"),
      doc("verify_next(ctx, verify_state, verifier_message) -> (verify_state, verifier_share) "
          "or out_share. Spec §" +
          S + ".2. The output share is " + SHARE +
          ". Raises VerifyError if the message does not match the state."));
  cls.def(
      "agg_init",
      [](const V& v, nb::handle agg_param) {
        auto ap = C::ap_from(v, agg_param);
        return C::out_to(v, v.agg_init(ap));
      },
      nb::arg("agg_param").none(),
      doc("agg_init(agg_param) -> agg_share: zeros, " + SHARE + ". Spec §" + S + ".4. " + AP));
  cls.def(
      "agg_update",
      [](const V& v, nb::handle agg_param, nb::handle agg_share, nb::handle out_share) {
        auto ap = C::ap_from(v, agg_param);
        auto agg = C::out_from(v, ap, agg_share);
        auto out = C::out_from(v, ap, out_share);
        v.agg_update(ap, agg, out);
        return C::out_to(v, agg);
      },
      nb::arg("agg_param").none(), nb::arg("agg_share"), nb::arg("out_share"),
      doc("agg_update(agg_param, agg_share, out_share) -> agg_share + out_share (a new list; "
          "the argument is not modified). Spec §" +
          S + ".4. Shares are " + SHARE + ". Raises InvalidArgument on a length mismatch."));
  cls.def(
      "merge",
      [](const V& v, nb::handle agg_param, nb::handle agg_shares) {
        auto ap = C::ap_from(v, agg_param);
        check_sequence(agg_shares, "agg_shares");
        std::vector<typename V::AggShare> s;
        for (nb::handle h : agg_shares) s.push_back(C::out_from(v, ap, h));
        return C::out_to(v, v.merge(ap, std::span<const typename V::AggShare>(s)));
      },
      nb::arg("agg_param").none(), nb::arg("agg_shares"),
      doc("merge(agg_param, agg_shares) -> agg_share: the element-wise sum. Spec §" + S +
          ".4. Shares are " + SHARE + "."));
  cls.def(
      "unshard",
      [](const V& v, nb::handle agg_param, nb::handle agg_shares, std::uint64_t num_measurements) {
        auto ap = C::ap_from(v, agg_param);
        check_sequence(agg_shares, "agg_shares");
        std::vector<typename V::AggShare> s;
        for (nb::handle h : agg_shares) s.push_back(C::out_from(v, ap, h));
        return result_to_py(
            v.unshard(ap, std::span<const typename V::AggShare>(s), num_measurements));
      },
      nb::arg("agg_param").none(), nb::arg("agg_shares"), nb::arg("num_measurements"),
      doc("unshard(agg_param, agg_shares, num_measurements) -> aggregate result (an int or a "
          "list of ints). Spec §" +
          S + ".5. agg_shares: SHARES shares, each " + SHARE +
          ". Raises InvalidArgument on wrong shapes or if the aggregate could have wrapped "
          "around the field modulus."));

  // --- encodings ---
  cls.def(
         "encode_public_share",
         [](const V& v, const PSB& s) { return to_bytes(v.encode_public_share(s.v)); },
         nb::arg("public_share"), doc("Encodes a public share (§" + S + ".6/§7.2.7) as bytes."))
      .def(
          "decode_public_share",
          [](const V& v, nb::bytes b) { return PSB{v.decode_public_share(span_of(b))}; },
          nb::arg("encoded"), "Decodes a public share. Raises DecodeError on malformed bytes.")
      .def(
          "encode_input_share",
          [](const V& v, const ISB& s) { return to_bytes(v.encode_input_share(s.v)); },
          nb::arg("input_share"), "Encodes an input share as bytes (holds secrets).")
      .def(
          "decode_input_share",
          [](const V& v, std::size_t agg_id, nb::bytes b) {
            return ISB{v.decode_input_share(agg_id, span_of(b))};
          },
          nb::arg("agg_id"), nb::arg("encoded"),
          "Decodes aggregator agg_id's input share (the Leader's kind for 0). Raises "
          "DecodeError on malformed bytes, InvalidArgument if agg_id >= SHARES.")
      .def(
          "encode_verifier_share",
          [](const V& v, const VShB& s) { return to_bytes(v.encode_verifier_share(s.v)); },
          nb::arg("verifier_share"), "Encodes a verifier share as bytes.")
      .def(
          "decode_verifier_share",
          [](const V& v, const VSB& st, nb::bytes b) {
            return VShB{v.decode_verifier_share(st.v, span_of(b))};
          },
          nb::arg("verify_state"), nb::arg("encoded"),
          "Decodes a verifier share (its shape follows the state's round). Raises DecodeError.")
      .def(
          "encode_verifier_message",
          [](const V& v, const VMB& m) { return to_bytes(v.encode_verifier_message(m.v)); },
          nb::arg("verifier_message"), "Encodes a verifier message as bytes.")
      .def(
          "decode_verifier_message",
          [](const V& v, const VSB& st, nb::bytes b) {
            return VMB{v.decode_verifier_message(st.v, span_of(b))};
          },
          nb::arg("verify_state"), nb::arg("encoded"),
          "Decodes a verifier message. Raises DecodeError on malformed bytes.")
      .def(
          "encode_agg_param",
          [](const V& v, nb::handle ap) { return to_bytes(v.encode_agg_param(C::ap_from(v, ap))); },
          nb::arg("agg_param").none(), doc("Encodes the aggregation parameter. " + AP))
      .def(
          "decode_agg_param",
          [](const V& v, nb::bytes b) { return C::ap_to(v, v.decode_agg_param(span_of(b))); },
          nb::arg("encoded"), "Decodes an aggregation parameter. Raises DecodeError.")
      .def(
          "encode_agg_share",
          [](const V& v, nb::handle ap, nb::handle share) {
            auto a = C::ap_from(v, ap);
            return to_bytes(v.encode_agg_share(C::out_from(v, a, share)));
          },
          nb::arg("agg_param").none(), nb::arg("agg_share"),
          doc("Encodes an aggregate share (" + SHARE +
              ") as bytes. agg_param picks the field (Poplar1); unlike the reference, it is "
              "passed because the share is a list of plain ints."))
      .def(
          "decode_agg_share",
          [](const V& v, nb::handle ap, nb::bytes b) {
            auto a = C::ap_from(v, ap);
            return C::out_to(v, v.decode_agg_share(a, span_of(b)));
          },
          nb::arg("agg_param").none(), nb::arg("encoded"),
          "Decodes an aggregate share into a list of ints. Raises DecodeError.")
      .def(
          "encode_out_share",
          [](const V& v, nb::handle ap, nb::handle share) {
            auto a = C::ap_from(v, ap);
            return to_bytes(v.encode_out_share(C::out_from(v, a, share)));
          },
          nb::arg("agg_param").none(), nb::arg("out_share"),
          doc("Encodes an output share (" + SHARE + ") as bytes."))
      .def(
          "decode_out_share",
          [](const V& v, nb::handle ap, nb::bytes b) {
            auto a = C::ap_from(v, ap);
            return C::out_to(v, v.decode_out_share(a, span_of(b)));
          },
          nb::arg("agg_param").none(), nb::arg("encoded"),
          "Decodes an output share into a list of ints. Raises DecodeError.")
      .def(
          "encode_verify_state",
          [](const V& v, const VSB& s) { return to_bytes(v.encode_verify_state(s.v)); },
          nb::arg("verify_state"),
          "Stores a verification state as bytes (vdaf-cpp's format; holds secrets).")
      .def(
          "decode_verify_state",
          [](const V& v, nb::bytes b) { return VSB{v.decode_verify_state(span_of(b))}; },
          nb::arg("encoded"),
          "Restores a verification state stored by encode_verify_state with the same instance. "
          "Raises DecodeError on malformed or foreign bytes.");

  // --- batch APIs (Prio3) ---
  if constexpr (vdaf::VdafWithBatchVerify<V>) {
    cls.def(
        "verify_init_batch",
        [](const V& v, nb::bytes verify_key, nb::bytes ctx, std::size_t agg_id,
           nb::handle agg_param, nb::list nonces, nb::list public_shares, nb::list input_shares,
           bool parallel, std::size_t grain) {
          check_parallel(parallel);
          auto ap = C::ap_from(v, agg_param);
          auto n = spans_of(nonces, "nonces");
          std::vector<typename V::PublicShare> ps;
          std::vector<typename V::InputShare> is;
          for (nb::handle h : public_shares) ps.push_back(nb::cast<const PSB&>(h).v);
          for (nb::handle h : input_shares) is.push_back(nb::cast<const ISB&>(h).v);
          std::vector<typename V::VerifyInitOutcome> out;
          {
            nb::gil_scoped_release rel;
#if defined(VDAF_PY_HAVE_TBB)
            if (parallel) {
              out = vdaf::parallel::verify_init_batch(
                  v, span_of(verify_key), span_of(ctx), agg_id, ap, std::span<const ByteSpan>(n),
                  std::span<const typename V::PublicShare>(ps),
                  std::span<const typename V::InputShare>(is), grain);
            } else
#endif
            {
              (void)grain;
              out = v.verify_init_batch(span_of(verify_key), span_of(ctx), agg_id, ap, n, ps, is);
            }
          }
          nb::list l;
          for (auto& o : out) {
            if (o.result) {
              l.append(nb::make_tuple(nb::cast(VSB{std::move(o.result->first)}),
                                      nb::cast(VShB{std::move(o.result->second)})));
            } else {
              l.append(exception_object(o.error));
            }
          }
          return l;
        },
        nb::arg("verify_key"), nb::arg("ctx"), nb::arg("agg_id"), nb::arg("agg_param").none(),
        nb::arg("nonces"), nb::arg("public_shares"), nb::arg("input_shares"),
        nb::arg("parallel") = false, nb::arg("grain") = 0,
        doc("verify_init over a batch of reports of one aggregator (§" + S +
            ".2): equal-length lists of nonces (bytes), public shares and input shares. "
            "Returns one entry per report: (verify_state, verifier_share), or the exception "
            "(a vdaf.Error instance, not raised) that verify_init would raise for it. The GIL "
            "is released during the computation. Raises InvalidArgument for the whole batch if "
            "the lists differ in length, the key is not VERIFY_KEY_SIZE bytes or agg_id >= "
            "SHARES." +
            std::string(PARALLEL_DOC)));
    cls.def(
        "verifier_shares_to_message_batch",
        [](const V& v, nb::bytes ctx, nb::handle agg_param, nb::list by_aggregator, bool parallel,
           std::size_t grain) {
          check_parallel(parallel);
          auto ap = C::ap_from(v, agg_param);
          std::vector<std::vector<typename V::VerifierShare>> vs;
          for (nb::handle agg : by_aggregator) {
            check_sequence(agg, "by_aggregator[j]");
            auto& row = vs.emplace_back();
            for (nb::handle h : agg) {
              row.push_back(h.is_none() ? typename V::VerifierShare{} : nb::cast<const VShB&>(h).v);
            }
          }
          std::vector<std::span<const typename V::VerifierShare>> spans(vs.begin(), vs.end());
          std::vector<typename V::VerifierMessageOutcome> out;
          {
            nb::gil_scoped_release rel;
#if defined(VDAF_PY_HAVE_TBB)
            if (parallel) {
              out = vdaf::parallel::verifier_shares_to_message_batch(
                  v, span_of(ctx), ap,
                  std::span<const std::span<const typename V::VerifierShare>>(spans), grain);
            } else
#endif
            {
              (void)grain;
              out = v.verifier_shares_to_message_batch(span_of(ctx), ap, spans);
            }
          }
          nb::list l;
          for (auto& o : out) {
            if (o.result) {
              l.append(nb::cast(VMB{std::move(*o.result)}));
            } else {
              l.append(exception_object(o.error));
            }
          }
          return l;
        },
        nb::arg("ctx"), nb::arg("agg_param").none(), nb::arg("by_aggregator"),
        nb::arg("parallel") = false, nb::arg("grain") = 0,
        doc("verifier_shares_to_message over a batch (§" + S +
            ".2): by_aggregator[j][i] is aggregator j's verifier share of report i (None for a "
            "report whose verify_init failed). Returns one entry per report: the "
            "verifier_message, or the exception (vdaf.Error instance) for that report. The GIL "
            "is released during the computation." +
            std::string(PARALLEL_DOC)));
    cls.def(
        "verify_next_batch",
        [](const V& v, nb::bytes ctx, nb::list states, nb::list messages, bool parallel,
           std::size_t grain) {
          check_parallel(parallel);
          std::vector<typename V::VerifyState> st;
          std::vector<typename V::VerifierMessage> ms;
          for (nb::handle h : states) st.push_back(nb::cast<const VSB&>(h).v);
          for (nb::handle h : messages) ms.push_back(nb::cast<const VMB&>(h).v);
          std::vector<typename V::OutShareOutcome> out;
          {
            nb::gil_scoped_release rel;
#if defined(VDAF_PY_HAVE_TBB)
            if (parallel) {
              out = vdaf::parallel::verify_next_batch(
                  v, span_of(ctx), std::move(st), std::span<const typename V::VerifierMessage>(ms),
                  grain);
            } else
#endif
            {
              (void)grain;
              out = v.verify_next_batch(span_of(ctx), std::move(st),
                                        std::span<const typename V::VerifierMessage>(ms));
            }
          }
          nb::list l;
          for (auto& o : out) {
            if (o.result) {
              l.append(C::out_to(v, *o.result));
            } else {
              l.append(exception_object(o.error));
            }
          }
          return l;
        },
        nb::arg("ctx"), nb::arg("verify_states"), nb::arg("verifier_messages"),
        nb::arg("parallel") = false, nb::arg("grain") = 0,
        doc("verify_next over a batch (§" + S +
            ".2): equal-length lists of states and messages. Returns one entry per report: the "
            "output share (" +
            SHARE +
            "), or the exception (vdaf.Error instance) for that report. The GIL is released "
            "during the computation." +
            std::string(PARALLEL_DOC)));
  }

  cls.def(
      "ping_pong",
      [](nb::handle self, nb::bytes verify_key, nb::bytes ctx, nb::handle agg_param) {
        return self.attr("PingPong")(self, verify_key, ctx, agg_param);
      },
      nb::arg("verify_key"), nb::arg("ctx"), nb::arg("agg_param").none(),
      "Shorthand for PingPong(self, verify_key, ctx, agg_param).");
  bind_ping_pong<V>(cls);
  return cls;
}

/// The members of a Prio3 instance beyond the common ones: the FLP's lengths.
template <class V>
void bind_prio3_extras(nb::class_<V>& cls) {
  cls.def_prop_ro(
         "PROOFS", [](const V& v) { return v.num_proofs(); }, "PROOFS, the number of FLP proofs.")
      .def_prop_ro(
          "MEAS_LEN", [](const V& v) { return v.meas_len(); },
          "MEAS_LEN: field elements in an encoded measurement (§7.1).")
      .def_prop_ro(
          "OUTPUT_LEN", [](const V& v) { return v.output_len(); },
          "OUTPUT_LEN: field elements in an output/aggregate share (§7.1).")
      .def_prop_ro(
          "PROOF_LEN", [](const V& v) { return v.proof_len(); },
          "PROOF_LEN: field elements in one proof (§7.1).")
      .def_prop_ro(
          "VERIFIER_LEN", [](const V& v) { return v.verifier_len(); },
          "VERIFIER_LEN: field elements in one proof's verifier (§7.1).")
      .def_prop_ro(
          "JOINT_RAND_LEN", [](const V& v) { return v.joint_rand_len(); },
          "JOINT_RAND_LEN: joint randomness elements per proof (0: none) (§7.1).")
      .def_prop_ro(
          "MAX_CTX_SIZE", [](const V&) { return V::MAX_CTX_SIZE; },
          "The longest ctx accepted, in bytes.");
  cls.attr("FIELD") = nb::str(V::Field::NAME);
}

}  // namespace vdaf_py

namespace vdaf_py {
/// bind_vdaf plus the Prio3 members (§7): the FLP lengths, PROOFS and FIELD.
template <class V>
nb::class_<V> bind_prio3(nb::module_& m, const char* name, const char* class_doc) {
  auto c = bind_vdaf<V>(m, name, class_doc);
  bind_prio3_extras<V>(c);
  return c;
}
}  // namespace vdaf_py
