#pragma once
// The JSON lines `sessiongatectl session open` prints on stdout, one object per line with "event" first, so
// that a WebSocket client (behind websocketd, one line is one message) or a script can follow the session:
//   {"event":"created","name":N,"user":U,"profile":P}
//   {"event":"status","name":N,"phase":...,"message":...,"namespace":...,"expiresAt":...,"lastActivity":...,
//    "conditions":{"Provisioned":"True",...},"publicExposure":{"phase":...,"externalIP":...,"ports":[...]}}
//    (absent fields left out)
//   {"event":"deleting","name":N,"reason":R}   then   {"event":"deleted","name":N}
//   {"event":"kept","name":N,"reason":R}        {"event":"ended","name":N,"reason":R}
//   {"event":"refused","code":403,"reason":"Forbidden","message":M}   (the session was not created)
// Pure rendering, no I/O.
#include <string>
#include <string_view>

#include "core/json.h"

namespace sessiongate::cli {

// createdLine announces the session the API server stored (its generated name, the user it is for).
std::string createdLine(const Json& session);

// statusLine renders what a user sees of the session's status; conditions are reduced to type -> status
// and publicExposure to phase, message, externalIP and ports, so a line changes only when something a user
// sees changes (not on lastTransitionTime or observedGeneration alone). Empty when the object has no status
// yet.
std::string statusLine(const Json& session);

// deletingLine: the command asked the API server to delete the session, and why (stdin closed, SIGTERM).
std::string deletingLine(std::string_view name, std::string_view reason);
// deletedLine: the session is gone.
std::string deletedLine(std::string_view name);
// keptLine: the command ended (--keep) and left the session in place.
std::string keptLine(std::string_view name, std::string_view reason);
// endedLine: the session went away without this command deleting it (expired, idle, deleted by someone).
std::string endedLine(std::string_view name, std::string_view reason);

// refusedLine: the API server (or an admission webhook through it) refused to create the session; message is
// its message as kubectl prints it, so a WebSocket client sees why (stderr does not reach it).
std::string refusedLine(int code, std::string_view reason, std::string_view message);

// StatusPrinter remembers the last status line, so that each change is printed once.
class StatusPrinter {
 public:
  // next is the status line of session when it differs from the last one returned, else empty.
  std::string next(const Json& session);

 private:
  std::string last_;
};

}  // namespace sessiongate::cli
