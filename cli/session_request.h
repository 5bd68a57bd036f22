#pragma once
// What `sessiongatectl session open` asks for, read from its flags, and the UserSession object it creates.
// Pure: no I/O, so every argument error is tested directly.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "cli/args.h"
#include "core/json.h"
#include "core/result.h"

namespace sessiongate::cli {

// SessionRequest is a checked `session open` command line.
struct SessionRequest {
  std::string profile;
  std::optional<std::string> gateway;
  std::optional<std::string> ttl;   // Go duration text as written
  std::optional<std::string> name;  // exact name; otherwise the API server generates one
  bool keep = false;                // leave the session when the command ends
  std::chrono::milliseconds deleteTimeout{120000};
  std::string kubeconfig;  // empty: $KUBECONFIG, in-cluster, ~/.kube/config
  std::string context;
};

// kMaxSessionNameLength leaves room for the "sess-" prefix of the session's namespace in a 63-char label.
inline constexpr std::size_t kMaxSessionNameLength = 58;
// kGeneratedSuffixLength is how many characters the API server appends to metadata.generateName.
inline constexpr std::size_t kGeneratedSuffixLength = 5;

// sessionOpenSpec is the flag table of `session open` (parsing, errors and --help come from it).
const CommandSpec& sessionOpenSpec();

// sessionRequestFromArgs checks parsed flags; each error names the flag, the value and what to write.
Result<SessionRequest> sessionRequestFromArgs(const ParsedArgs& args);

// generateNamePrefix is metadata.generateName for a session of username with profile: both lower-cased,
// every run of characters outside [a-z0-9] made one '-', cut so that the generated name stays within
// kMaxSessionNameLength, ending in '-'; "session-" when nothing usable is left.
std::string generateNamePrefix(std::string_view username, std::string_view profile);

// sessionManifest is the UserSession to create for username.
Json sessionManifest(const SessionRequest& request, const std::string& username);

}  // namespace sessiongate::cli
