#pragma once
// trackerTargets turns the EndpointSlices of the trackers' Services (found by label selector, one list per
// namespace) into the trackers to read: one per ready endpoint, at http://ADDRESS:PORT with the port found
// by name or number in its slice. What cannot be read is a target with the reason, so that the reading
// says activity is unknown rather than absent: an endpoint not ready (a tracker pod down or starting), a
// slice without the port, a namespace not listed yet. Pure: the slices are arguments.
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/kube/object_store.h"
#include "core/result.h"

namespace sessiongate::controller {

// TrackerPort is the trackers' activity port in their EndpointSlices: by name ("activity") or number.
struct TrackerPort {
  std::string name;  // used when number is 0
  int number = 0;
};

// parseTrackerPort reads a port name (an IANA service name: a DNS label of at most 15 characters with a
// letter) or a number 1..65535.
Result<TrackerPort> parseTrackerPort(const std::string& text);

// TrackerTarget is one tracker to read, or why one cannot be read.
struct TrackerTarget {
  std::string source;              // the URL, or the endpoint, for messages
  std::optional<std::string> url;  // nullopt: not readable, problem says why
  std::string problem;

  bool operator==(const TrackerTarget&) const = default;
};

// TrackerSlices are one namespace's EndpointSlices as its informer holds them.
struct TrackerSlices {
  std::string ns;
  bool listed = false;  // the informer delivered its first list
  std::vector<kube::SharedObject> slices;
};

// fixedTargets are the --tracker-url URLs.
std::vector<TrackerTarget> fixedTargets(const std::vector<std::string>& urls);

// trackerTargets are the discovered trackers, ordered by URL, each URL once (an endpoint can sit in two
// slices while the endpointslice controller moves it).
std::vector<TrackerTarget> trackerTargets(const std::vector<TrackerSlices>& namespaces, const TrackerPort& port);

}  // namespace sessiongate::controller
