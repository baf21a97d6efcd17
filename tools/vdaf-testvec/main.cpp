// vdaf-testvec: replays official VDAF test-vector files against vdaf-cpp.
//
//   vdaf-testvec check FILE...   one line per file: "PASS <file>" or
//                                "FAIL <file>: <first mismatch>"
//   vdaf-testvec list            the instances that can be checked
//   vdaf-testvec --help
//
// Exit status: 0 if every file passed; 1 if some file failed; 2 on a usage
// error or if some file could not be checked at all (unreadable, not JSON,
// not a vector, unknown instance). Every file is processed either way.
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>

#include "vdaf-testvec/replay.hpp"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFail = 1;
constexpr int kExitError = 2;

void short_usage(std::ostream& os) {
  os << "usage: vdaf-testvec check FILE...\n"
        "       vdaf-testvec list\n"
        "       vdaf-testvec --help\n";
}

void usage(std::ostream& os) {
  short_usage(os);
  os << "\n"
        "check  Replays each test-vector FILE (draft-irtf-cfrg-vdaf-20 JSON format) and\n"
        "       prints one line per file: \"PASS <file>\" or \"FAIL <file>: <first mismatch>\".\n"
        "       The instance is the file name up to the first '_' (Prio3Sum_2.json ->\n"
        "       Prio3Sum; XofTurboShake128.json -> XofTurboShake128). Instance parameters\n"
        "       come from the file (shares, max_measurement, length, chunk_length,\n"
        "       max_weight, max_value, proofs); Prio3SumVecWithMultiproof takes optional "
        "\"field\"\n"
        "       (\"Field64\" | \"Field128\", default Field64) and \"proofs\" (default 3);\n"
        "       Poplar1 takes bits, and its agg_param must re-encode to the same bytes).\n"
        "       IdpfBBCGGI21 files are checked for gen (public share and keys, with\n"
        "       rand = keys[0] || keys[1]), then both keys are evaluated at every level:\n"
        "       the shares must sum to beta on alpha's path and to zero elsewhere.\n"
        "       Beyond the draft: Prio3L1BoundSum (length, max_value, chunk_length),\n"
        "       Prio3SumVecField64MultiproofHmacSha256Aes128 (length, max_measurement,\n"
        "       chunk_length, proofs, default 3).\n"
        "       XofTurboShake128 / XofFixedKeyAes128 / XofHmacSha256Aes128 files:\n"
        "       derive_seed, expand_into_vec.\n"
        "list   Prints the supported instances, one per line.\n"
        "\n"
        "exit status: 0 all files passed; 1 some file failed; 2 usage error, or some file\n"
        "was unreadable, not JSON, malformed or for an unknown instance (reported on\n"
        "stderr; the other files are still checked).\n";
}

}  // namespace

int main(int argc, char** argv) {
  namespace tv = vdaf::testvec;
  if (argc < 2) {
    short_usage(std::cerr);
    return kExitError;
  }
  std::string_view cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    usage(std::cout);
    return kExitOk;
  }
  if (cmd == "list") {
    if (argc != 2) {
      std::cerr << "vdaf-testvec: list takes no arguments\n";
      return kExitError;
    }
    for (const auto& s : tv::supported_instances()) std::cout << s << '\n';
    return kExitOk;
  }
  if (cmd != "check") {
    std::cerr << "vdaf-testvec: unknown command '" << cmd << "'\n";
    short_usage(std::cerr);
    return kExitError;
  }
  if (argc < 3) {
    std::cerr << "vdaf-testvec: check needs at least one FILE\n";
    short_usage(std::cerr);
    return kExitError;
  }

  int passed = 0, failed = 0, errors = 0;
  for (int i = 2; i < argc; ++i) {
    const std::string file = argv[i];
    try {
      tv::replay_result r = tv::check_file(file);
      if (r.ok) {
        std::cout << "PASS " << file << '\n';
        ++passed;
      } else {
        std::cout << "FAIL " << file << ": " << r.first_mismatch << '\n';
        ++failed;
      }
    } catch (const tv::unknown_instance& e) {
      std::cerr << "vdaf-testvec: " << file << ": " << e.what() << '\n';
      ++errors;
    } catch (const tv::file_error& e) {
      std::cerr << "vdaf-testvec: " << file << ": " << e.what() << '\n';
      ++errors;
    } catch (const tv::bad_vector& e) {
      std::cerr << "vdaf-testvec: " << file << ": malformed test vector: " << e.what() << '\n';
      ++errors;
    } catch (const std::exception& e) {
      std::cerr << "vdaf-testvec: " << file << ": internal error: " << e.what() << '\n';
      ++errors;
    }
    std::cout.flush();
  }
  std::cerr << passed << " passed, " << failed << " failed";
  if (errors > 0) std::cerr << ", " << errors << " not checked";
  std::cerr << '\n';
  if (errors > 0) return kExitError;
  return failed > 0 ? kExitFail : kExitOk;
}
