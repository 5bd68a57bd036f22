#include "controller/inactivity/tracker_endpoints.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace sessiongate::controller {

namespace {

const Json& member(const Json& object, const char* key) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string text(const Json& object, const char* key) {
  const Json& value = member(object, key);
  return value.is_string() ? value.get<std::string>() : "";
}

// slicePort is the slice's port number for the tracker port, or 0.
int slicePort(const Json& slice, const TrackerPort& port) {
  const Json& ports = member(slice, "ports");
  if (!ports.is_array()) return 0;
  for (const Json& entry : ports) {
    const Json& number = member(entry, "port");
    if (!number.is_number_integer()) continue;
    const int value = number.get<int>();
    if (value < 1 || value > 65535) continue;
    if (text(entry, "protocol") != "" && text(entry, "protocol") != "TCP") continue;
    if (port.number != 0 ? value == port.number : text(entry, "name") == port.name) return value;
  }
  return 0;
}

// ready: the EndpointSlice API says a missing ready condition means ready.
bool ready(const Json& endpoint) {
  const Json& value = member(member(endpoint, "conditions"), "ready");
  return !value.is_boolean() || value.get<bool>();
}

std::string portText(const TrackerPort& port) {
  return port.number != 0 ? std::to_string(port.number) : "\"" + port.name + "\"";
}

}  // namespace

Result<TrackerPort> parseTrackerPort(const std::string& text) {
  if (!text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (text.size() <= 5) {
      const int number = std::stoi(text);
      if (number >= 1 && number <= 65535) return TrackerPort{"", number};
    }
    return Error{"expected a port number 1..65535 or a port name, got \"" + text + "\""};
  }
  const bool label =
      !text.empty() && text.size() <= 15 && text.front() != '-' && text.back() != '-' &&
      std::all_of(text.begin(), text.end(),
                  [](unsigned char c) { return std::islower(c) || std::isdigit(c) || c == '-'; }) &&
      std::any_of(text.begin(), text.end(), [](unsigned char c) { return std::islower(c); }) &&
      text.find("--") == std::string::npos;
  if (!label)
    return Error{"expected a port name (lower-case letters, digits and '-', at most 15 characters, as in the "
                 "tracker Service's ports[].name) or a number, got \"" +
                 text + "\""};
  return TrackerPort{text, 0};
}

std::vector<TrackerTarget> fixedTargets(const std::vector<std::string>& urls) {
  std::vector<TrackerTarget> targets;
  for (const std::string& url : urls) targets.push_back({url, url, ""});
  return targets;
}

std::vector<TrackerTarget> trackerTargets(const std::vector<TrackerSlices>& namespaces, const TrackerPort& port) {
  std::map<std::string, TrackerTarget> bySource;
  auto add = [&](TrackerTarget target) {
    auto [it, inserted] = bySource.emplace(target.source, target);
    // The same endpoint ready in one slice and not in another (a move in progress): readable wins.
    if (!inserted && !it->second.url && target.url) it->second = std::move(target);
  };
  for (const TrackerSlices& ns : namespaces) {
    if (!ns.listed) {
      add({"namespace " + ns.ns, std::nullopt,
           "the EndpointSlices of the trackers in namespace " + ns.ns + " are not listed yet"});
      continue;
    }
    for (const kube::SharedObject& shared : ns.slices) {
      const Json& slice = *shared;
      const Json& metadata = member(slice, "metadata");
      const std::string sliceName = text(metadata, "namespace") + "/" + text(metadata, "name");
      const std::string family = text(slice, "addressType");
      const Json& endpoints = member(slice, "endpoints");
      if (!endpoints.is_array() || endpoints.empty()) continue;  // a Service with no tracker behind it yet
      const int number = slicePort(slice, port);
      if (number == 0) {
        add({"EndpointSlice " + sliceName, std::nullopt,
             "EndpointSlice " + sliceName + " has no TCP port " + portText(port) +
                 " (see the controller's --tracker-port)"});
        continue;
      }
      for (const Json& endpoint : endpoints) {
        const Json& addresses = member(endpoint, "addresses");
        // Every address of an endpoint is the same tracker; like kube-proxy, use the first.
        if (!addresses.is_array() || addresses.empty() || !addresses[0].is_string()) continue;
        const std::string address = addresses[0].get<std::string>();
        const std::string host = family == "IPv6" ? "[" + address + "]" : address;
        const std::string url = "http://" + host + ":" + std::to_string(number);
        if (ready(endpoint)) {
          add({url, url, ""});
          continue;
        }
        const Json& pod = member(endpoint, "targetRef");
        const std::string who = text(pod, "name").empty()
                                    ? ""
                                    : " (pod " + text(pod, "namespace") + "/" + text(pod, "name") + ")";
        add({url, std::nullopt, "the tracker endpoint" + who + " is not ready"});
      }
    }
  }
  std::vector<TrackerTarget> targets;
  for (auto& [source, target] : bySource) targets.push_back(std::move(target));
  return targets;
}

}  // namespace sessiongate::controller
