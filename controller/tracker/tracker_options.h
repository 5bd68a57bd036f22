#pragma once
// TrackerOptions are the flags of sessiongate-tracker, parsed with core/command_flags.h (the same table gives
// --help); lists are comma-separated.
#include <chrono>
#include <string>
#include <vector>

#include "controller/tracker/capture_selection.h"
#include "controller/tracker/interface_capture.h"
#include "core/command_flags.h"
#include "core/result.h"

namespace sessiongate::tracker {

// TrackerOptions holds every flag's value, checked.
struct TrackerOptions {
  bool help = false;
  std::vector<std::string> interfaces;
  CaptureSelection selection;
  CaptureSettings capture;
  std::string listen = "0.0.0.0:9470";
  std::string name;  // reported as "tracker" in /activity; default the host name
  std::size_t maxEntries = 65536;
  std::string logFormat = "text";
  std::string logLevel = "info";
};

// trackerCommand is the flag table.
const CommandSpec& trackerCommand();
// parseTrackerOptions reads the arguments after argv[0]; the error names the flag and what is expected.
Result<TrackerOptions> parseTrackerOptions(const std::vector<std::string>& args);

}  // namespace sessiongate::tracker
