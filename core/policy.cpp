// parsePolicy: reads a SessionPolicy object into the model, filling defaults and reporting malformed fields;
// the semantic rules are in policy_check.cpp.
#include "core/policy.h"

#include <algorithm>
#include <charconv>
#include <limits>

#include "core/json_fields.h"

namespace sessiongate {
namespace {

constexpr std::string_view kPortRangeHint = "must be a range of ports such as 49152-65535";
constexpr std::string_view kReservedHint = "must be a port such as 22 or a range of ports such as 8000-8100";

std::optional<int> portNumber(std::string_view s) {
  int n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

// parsePortRange reads "a-b", or "N" when single ports are allowed; ranges are checked in checkPolicy.
std::optional<PortRange> parsePortRange(std::string_view text, bool allowSingle) {
  const std::size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    if (!allowSingle) return std::nullopt;
    auto n = portNumber(text);
    if (!n) return std::nullopt;
    return PortRange{*n, *n};
  }
  auto first = portNumber(text.substr(0, dash));
  auto last = portNumber(text.substr(dash + 1));
  if (!first || !last) return std::nullopt;
  return PortRange{*first, *last};
}

// smallInt narrows an integer field to int, reporting values that do not fit.
std::optional<int> smallInt(FieldReader& r, std::string_view name, FieldErrors& errors) {
  auto v = r.integer(name);
  if (!v) return std::nullopt;
  if (*v > std::numeric_limits<int>::max() || *v < std::numeric_limits<int>::min()) {
    errors.push_back(invalid(r.path().child(name), *v, "must fit in a 32-bit integer"));
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

Profile parseProfile(FieldReader r, FieldErrors& errors) {
  Profile p;
  p.name = r.string("name").value_or("");
  p.image = r.string("image").value_or("");
  p.command = r.strings("command").value_or(std::vector<std::string>{});
  FieldReader resources = r.object("resources");
  p.requests = resources.quantityMap("requests").value_or(std::map<std::string, std::string>{});
  p.limits = resources.quantityMap("limits").value_or(std::map<std::string, std::string>{});
  p.quotaHard = r.object("quota").quantityMap("hard").value_or(std::map<std::string, std::string>{});
  const auto maxTTL = r.duration("maxTTL");
  const auto defaultTTL = r.duration("defaultTTL");
  const auto maxInactivity = r.duration("maxInactivity");
  p.maxTTL = maxTTL.value_or(Duration(0));
  p.defaultTTL = defaultTTL.value_or(p.maxTTL);
  if (!defaultTTL && r.member("defaultTTL") != nullptr) p.defaultTTL = Duration(0);  // malformed, reported
  p.maxInactivity = maxInactivity.value_or(Duration(0));
  p.allowImageOverride = r.boolean("allowImageOverride").value_or(false);
  p.allowedImages = r.strings("allowedImages").value_or(std::vector<std::string>{});
  p.gateways = r.strings("gateways").value_or(std::vector<std::string>{});
  p.allowNoGateway = r.boolean("allowNoGateway").value_or(false);
  const auto defaultGateway = r.string("defaultGateway");
  p.defaultGateway = defaultGateway.value_or(p.gateways.empty() ? "none" : p.gateways.front());
  if (p.defaultGateway.empty()) p.defaultGateway = p.gateways.empty() ? "none" : p.gateways.front();
  p.storage = r.boolean("storage").value_or(false);
  p.allowPublicExposure = r.boolean("allowPublicExposure").value_or(false);
  p.maxExposedPorts = smallInt(r, "maxExposedPorts", errors).value_or(0);
  if (auto level = r.string("podSecurity")) {
    if (*level == "restricted") {
      p.podSecurity = PodSecurityLevel::Restricted;
    } else if (*level != "baseline") {
      errors.push_back(notSupported(r.path().child("podSecurity"), *level, {"baseline", "restricted"}));
    }
  }
  return p;
}

Gateway parseGateway(FieldReader r) {
  Gateway g;
  g.name = r.string("name").value_or("");
  g.address = r.string("address").value_or("");
  g.image = r.string("image").value_or("");
  g.dnsServers = r.strings("dnsServers").value_or(std::vector<std::string>{});
  g.nativeSidecar = r.boolean("nativeSidecar").value_or(false);
  return g;
}

StorageConfig parseStorage(FieldReader r) {
  StorageConfig s;
  s.server = r.string("server").value_or("");
  s.pathTemplate = r.string("pathTemplate").value_or("");
  s.mountPath = r.string("mountPath").value_or(s.mountPath);
  s.readOnly = r.boolean("readOnly").value_or(false);
  return s;
}

PublicExposureConfig parsePublicExposure(FieldReader r, FieldErrors& errors) {
  PublicExposureConfig e;
  e.ipPool = r.strings("ipPool").value_or(std::vector<std::string>{});
  if (auto text = r.string("autoPortRange")) {
    if (auto range = parsePortRange(*text, false)) {
      e.autoPortRange = *range;
    } else {
      errors.push_back(invalid(r.path().child("autoPortRange"), *text, std::string(kPortRangeHint)));
    }
  }
  if (const Json* reserved = r.member("reservedPorts")) {
    const FieldPath path = r.path().child("reservedPorts");
    if (!reserved->is_array()) errors.push_back(typeError(path, *reserved, "array"));
    for (std::size_t i = 0; reserved->is_array() && i < reserved->size(); ++i) {
      const Json& item = (*reserved)[i];
      std::optional<PortRange> range;
      if (item.is_number_integer() && item.get<std::int64_t>() >= std::numeric_limits<int>::min() &&
          item.get<std::int64_t>() <= std::numeric_limits<int>::max()) {
        const int port = item.get<int>();
        range = PortRange{port, port};
      } else if (item.is_string()) {
        range = parsePortRange(item.get<std::string>(), true);
      }
      if (!range) {
        errors.push_back(invalid(path.index(i), item, std::string(kReservedHint)));
        range = PortRange{1, 1};  // placeholder keeps later entries at their indexes; the error is reported
      }
      e.reservedPorts.push_back(*range);
    }
  }
  e.ipAnnotation = r.string("ipAnnotation").value_or(e.ipAnnotation);
  e.sharedIPKey = r.string("sharedIPKey").value_or("");
  e.commonAnnotations = r.stringMap("commonAnnotations").value_or(std::map<std::string, std::string>{});
  return e;
}

NetworkConfig parseNetwork(FieldReader r) {
  NetworkConfig n;
  n.allowDNS = r.boolean("allowDNS").value_or(true);
  n.egressCIDRs = r.strings("egressCIDRs").value_or(std::vector<std::string>{});
  return n;
}

// coveredBy is true when field is path itself or lies below it.
bool coveredBy(const std::string& field, const std::string& path) {
  if (field.compare(0, path.size(), path) != 0) return false;
  return field.size() == path.size() || field[path.size()] == '.' || field[path.size()] == '[';
}

}  // namespace

const char* podSecurityName(PodSecurityLevel level) {
  return level == PodSecurityLevel::Restricted ? "restricted" : "baseline";
}

bool PublicExposureConfig::isReserved(int port) const {
  return std::any_of(reservedPorts.begin(), reservedPorts.end(),
                     [port](const PortRange& r) { return r.contains(port); });
}

const Profile* SessionPolicy::profile(std::string_view profileName) const {
  for (const auto& p : profiles) {
    if (p.name == profileName) return &p;
  }
  return nullptr;
}

const Gateway* SessionPolicy::gateway(std::string_view gatewayName) const {
  for (const auto& g : gateways) {
    if (g.name == gatewayName) return &g;
  }
  return nullptr;
}

bool SessionPolicy::isAdmin(const std::vector<std::string>& groups) const {
  for (const auto& g : groups) {
    if (std::find(adminGroups.begin(), adminGroups.end(), g) != adminGroups.end()) return true;
  }
  return false;
}

PolicyParse parsePolicy(const Json& object) {
  PolicyParse out;
  FieldErrors& errors = out.errors;
  if (!object.is_object()) {
    errors.push_back(typeError(FieldPath("object"), object, "object"));
    return out;
  }
  SessionPolicy& policy = out.policy;
  FieldReader root(&object, FieldPath(), errors);
  FieldReader metadata = root.object("metadata");
  policy.name = metadata.requiredString("name").value_or("");
  policy.resourceVersion = metadata.string("resourceVersion").value_or("");

  FieldReader spec = root.object("spec");
  if (!spec.present() && root.member("spec") == nullptr) errors.push_back(required(FieldPath("spec")));
  policy.adminGroups = spec.strings("adminGroups").value_or(std::vector<std::string>{});
  FieldReader limits = spec.object("limits");
  policy.maxSessionsPerUser = smallInt(limits, "maxSessionsPerUser", errors).value_or(0);
  for (auto& r : spec.objects("profiles")) policy.profiles.push_back(parseProfile(r, errors));
  for (auto& r : spec.objects("gateways")) policy.gateways.push_back(parseGateway(r));
  if (spec.member("storage") != nullptr) {
    FieldReader storage = spec.object("storage");
    if (storage.present()) policy.storage = parseStorage(storage);
  }
  if (spec.member("publicExposure") != nullptr) {
    FieldReader exposure = spec.object("publicExposure");
    if (exposure.present()) policy.publicExposure = parsePublicExposure(exposure, errors);
  }
  policy.network = parseNetwork(spec.object("network"));

  // A malformed field is reported once: semantic errors about the same field or below it are dropped.
  const FieldErrors malformed = errors;
  for (auto& e : checkPolicy(policy)) {
    const bool covered = std::any_of(malformed.begin(), malformed.end(),
                                     [&](const FieldError& m) { return coveredBy(e.field, m.field); });
    if (!covered) errors.push_back(std::move(e));
  }
  return out;
}

}  // namespace sessiongate
