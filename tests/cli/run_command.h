#pragma once
// runCommand runs sessiongatectl in-process through cli::dispatch with captured streams.
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace sessiongate::cli {

// CommandRun is the exit code and the captured output of one run.
struct CommandRun {
  int code = -1;
  std::string out;
  std::string err;
};

// runCommand runs args (without the program name) with stdin given as text.
inline CommandRun runCommand(const std::vector<std::string>& args, const std::string& stdinText = {}) {
  std::istringstream in(stdinText);
  std::ostringstream out;
  std::ostringstream err;
  CommandRun run;
  run.code = dispatch(args, {in, out, err});
  run.out = out.str();
  run.err = err.str();
  return run;
}

inline std::string fixture(const std::string& name) {
  return std::string(SESSIONGATE_FIXTURES) + "/" + name;
}

inline std::string defaultPolicy() {
  return std::string(SESSIONGATE_SOURCE_DIR) + "/policies/default.yaml";
}

}  // namespace sessiongate::cli
