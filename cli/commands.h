#pragma once
// The sessiongatectl commands. Each takes the arguments after its name and the streams to use, and returns
// the process exit code, so tests run them in-process exactly as main.cpp does.
#include <iosfwd>
#include <string>
#include <vector>

namespace sessiongate::cli {

// CommandIo is the standard streams a command reads and writes.
struct CommandIo {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

// kExitOk: the command did its job. kExitProblems: it ran and found problems (a denied policy, a failed
// case). kExitUsage: it could not run: bad flags, unreadable or malformed input.
inline constexpr int kExitOk = 0;
inline constexpr int kExitProblems = 1;
inline constexpr int kExitUsage = 2;

// runReview answers one AdmissionReview offline: `review --policies PATH [--objects PATH] [--endpoint
// mutate|validate|both] [--file REVIEW.json] [--policy-name NAME]`.
int runReview(const std::vector<std::string>& args, CommandIo io);

// runTest runs the policy test cases of a folder: `test DIR`.
int runTest(const std::vector<std::string>& args, CommandIo io);

// runCerts writes a CA and a serving certificate: `certs --service NAME --namespace NS --out DIR [--days N]`.
int runCerts(const std::vector<std::string>& args, CommandIo io);

// runPolicy checks a SessionPolicy file: `policy check FILE`.
int runPolicy(const std::vector<std::string>& args, CommandIo io);

// runSession opens a session for the kubeconfig's user for as long as it runs: `session open --profile P
// [--gateway G] [--ttl D] [--name N] [--keep]`; exit code 3 (kExitClusterError) when the cluster fails it.
int runSession(const std::vector<std::string>& args, CommandIo io);

// dispatch runs the command named by args[0] (argv without the program name).
int dispatch(const std::vector<std::string>& args, CommandIo io);

}  // namespace sessiongate::cli
