#pragma once
// The command-line flag parser lives in core/command_flags.h, shared with the other binaries; these names
// keep the sessiongatectl commands reading as before.
#include "core/command_flags.h"

namespace sessiongate::cli {

using sessiongate::CommandSpec;
using sessiongate::FlagSpec;
using sessiongate::helpText;
using sessiongate::ParsedArgs;
using sessiongate::parseArgs;

}  // namespace sessiongate::cli
