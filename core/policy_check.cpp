// checkPolicy: the semantic rules of a SessionPolicy (DESIGN.md, "SessionPolicy" admission rules). Every rule
// runs; none stops the others, so an admin sees every problem at once.
#include <algorithm>
#include <set>

#include "core/dns_name.h"
#include "core/duration.h"
#include "core/ip_pool.h"
#include "core/policy.h"
#include "core/quantity.h"

namespace sessiongate {
namespace {

constexpr std::string_view kNonNegative = "must be greater than or equal to 0";

void nameErrors(const FieldPath& path, const std::string& name, std::set<std::string>& seen,
                FieldErrors& errors) {
  if (name.empty()) {
    errors.push_back(required(path));
    return;
  }
  for (auto& message : dns1123LabelErrors(name)) errors.push_back(invalid(path, name, message));
  if (!seen.insert(name).second) errors.push_back(duplicate(path, name));
}

void hostErrors(const FieldPath& path, const std::string& host, FieldErrors& errors) {
  if (host.empty()) {
    errors.push_back(required(path));
  } else if (!isIpAddress(host) && !dns1123SubdomainErrors(host).empty()) {
    errors.push_back(invalid(path, host, "must be an IP address or a DNS name such as host.example.com"));
  }
}

// quantities parses a resource map, reporting bad or negative entries, and returns the good ones.
std::map<std::string, Quantity> quantities(const FieldPath& path, const std::map<std::string, std::string>& m,
                                           FieldErrors& errors) {
  std::map<std::string, Quantity> out;
  for (const auto& [resource, text] : m) {
    auto q = Quantity::parse(text);
    if (!q) {
      errors.push_back(invalid(path.key(resource), text, q.error()));
    } else if (q->nanoValue() < 0) {
      errors.push_back(invalid(path.key(resource), q->str(), std::string(kNonNegative)));
    } else {
      out.emplace(resource, *q);
    }
  }
  return out;
}

void positiveDuration(const FieldPath& path, Duration d, std::string_view example, FieldErrors& errors) {
  if (d.count() == 0) {
    errors.push_back(required(path, "a positive duration such as " + std::string(example)));
  } else if (d.count() < 0) {
    errors.push_back(invalid(path, formatDuration(d), "must be positive"));
  }
}

void checkTimes(const FieldPath& path, const Profile& p, FieldErrors& errors) {
  positiveDuration(path.child("maxTTL"), p.maxTTL, "8h", errors);
  if (p.defaultTTL.count() < 0 || (p.defaultTTL.count() == 0 && p.maxTTL.count() > 0)) {
    errors.push_back(invalid(path.child("defaultTTL"), formatDuration(p.defaultTTL), "must be positive"));
  } else if (p.maxTTL.count() > 0 && p.defaultTTL > p.maxTTL) {
    errors.push_back(invalid(path.child("defaultTTL"), formatDuration(p.defaultTTL),
                             "must not be greater than maxTTL (" + formatDuration(p.maxTTL) + ")"));
  }
  positiveDuration(path.child("maxInactivity"), p.maxInactivity, "30m", errors);
}

void checkResources(const FieldPath& path, const Profile& p, FieldErrors& errors) {
  const FieldPath resources = path.child("resources");
  const auto requests = quantities(resources.child("requests"), p.requests, errors);
  const auto limits = quantities(resources.child("limits"), p.limits, errors);
  for (const auto& [resource, request] : requests) {
    auto limit = limits.find(resource);
    if (limit != limits.end() && request > limit->second) {
      errors.push_back(
          invalid(resources.child("requests").key(resource), request.str(),
                  "must be less than or equal to " + resource + " limit of " + limit->second.str()));
    }
  }
  quantities(path.child("quota").child("hard"), p.quotaHard, errors);
}

void checkGatewayChoice(const FieldPath& path, const Profile& p, const SessionPolicy& policy,
                        FieldErrors& errors) {
  std::vector<std::string> known;  // the policy's gateway names, for the error message
  for (const auto& g : policy.gateways) {
    if (!g.name.empty() && std::find(known.begin(), known.end(), g.name) == known.end())
      known.push_back(g.name);
  }
  std::set<std::string> seen;
  for (std::size_t j = 0; j < p.gateways.size(); ++j) {
    const FieldPath entry = path.child("gateways").index(j);
    if (policy.gateway(p.gateways[j]) == nullptr) {
      errors.push_back(notSupported(entry, p.gateways[j], known));
    } else if (!seen.insert(p.gateways[j]).second) {
      errors.push_back(duplicate(entry, p.gateways[j]));
    }
  }
  if (p.gateways.empty() && !p.allowNoGateway) {
    errors.push_back(
        required(path.child("gateways"), "list at least one of spec.gateways, or set allowNoGateway"));
    return;
  }
  const FieldPath defaultPath = path.child("defaultGateway");
  if (p.defaultGateway == "none") {
    if (!p.allowNoGateway) errors.push_back(invalid(defaultPath, "none", "needs allowNoGateway: true"));
  } else if (std::find(p.gateways.begin(), p.gateways.end(), p.defaultGateway) == p.gateways.end()) {
    std::vector<std::string> allowed;  // the profile's gateways that exist
    for (const auto& name : p.gateways) {
      if (policy.gateway(name) && std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        allowed.push_back(name);
      }
    }
    if (p.allowNoGateway) allowed.push_back("none");
    errors.push_back(notSupported(defaultPath, p.defaultGateway, allowed));
  }
}

void checkProfile(const FieldPath& path, const Profile& p, const SessionPolicy& policy,
                  std::set<std::string>& names, FieldErrors& errors) {
  nameErrors(path.child("name"), p.name, names, errors);
  if (p.image.empty()) errors.push_back(required(path.child("image")));
  checkResources(path, p, errors);
  checkTimes(path, p, errors);
  if (p.allowImageOverride && p.allowedImages.empty()) {
    errors.push_back(
        required(path.child("allowedImages"), "allowImageOverride needs at least one image glob"));
  }
  for (std::size_t j = 0; j < p.allowedImages.size(); ++j) {
    if (p.allowedImages[j].empty()) {
      errors.push_back(invalid(path.child("allowedImages").index(j), "", "must not be empty"));
    }
  }
  checkGatewayChoice(path, p, policy, errors);
  if (p.storage && !policy.storage) {
    errors.push_back(
        invalid(path.child("storage"), true, "needs spec.storage (NFS server and pathTemplate)"));
  }
  if (p.allowPublicExposure && (!policy.publicExposure || policy.publicExposure->ipPool.empty())) {
    errors.push_back(invalid(path.child("allowPublicExposure"), true,
                             "needs spec.publicExposure with a non-empty ipPool"));
  }
  if (p.maxExposedPorts < 0) {
    errors.push_back(invalid(path.child("maxExposedPorts"), p.maxExposedPorts, std::string(kNonNegative)));
  }
}

void checkGateway(const FieldPath& path, const Gateway& g, std::set<std::string>& names,
                  FieldErrors& errors) {
  nameErrors(path.child("name"), g.name, names, errors);
  if (g.name == "none") {
    errors.push_back(invalid(path.child("name"), g.name, "\"none\" means no gateway and cannot name one"));
  }
  hostErrors(path.child("address"), g.address, errors);
  if (g.image.empty()) errors.push_back(required(path.child("image")));
  for (std::size_t j = 0; j < g.dnsServers.size(); ++j) {
    if (!isIpAddress(g.dnsServers[j])) {
      errors.push_back(invalid(path.child("dnsServers").index(j), g.dnsServers[j], "must be an IP address"));
    }
  }
}

void checkStorage(const FieldPath& path, const StorageConfig& s, FieldErrors& errors) {
  hostErrors(path.child("server"), s.server, errors);
  const FieldPath pathTemplate = path.child("pathTemplate");
  if (s.pathTemplate.empty()) {
    errors.push_back(required(pathTemplate, "e.g. /exports/users/{user}"));
  } else {
    if (s.pathTemplate.front() != '/')
      errors.push_back(invalid(pathTemplate, s.pathTemplate, "must be an absolute path"));
    if (s.pathTemplate.find("{user}") == std::string::npos) {
      errors.push_back(
          invalid(pathTemplate, s.pathTemplate, "must contain {user}, replaced by the session's user"));
    }
  }
  if (s.mountPath.empty() || s.mountPath.front() != '/') {
    errors.push_back(invalid(path.child("mountPath"), s.mountPath, "must be an absolute path"));
  }
}

void checkPortRange(const FieldPath& path, const PortRange& r, bool single, FieldErrors& errors) {
  const std::string text = single && r.first == r.last
                               ? std::to_string(r.first)
                               : std::to_string(r.first) + "-" + std::to_string(r.last);
  if (r.first < 1 || r.last > 65535 || r.first > 65535 || r.last < 1) {
    errors.push_back(invalid(path, text, "ports must be between 1 and 65535, inclusive"));
  } else if (r.first > r.last) {
    errors.push_back(invalid(path, text, "the first port must not be greater than the last"));
  }
}

void checkPublicExposure(const FieldPath& path, const PublicExposureConfig& e, FieldErrors& errors) {
  const FieldPath pool = path.child("ipPool");
  if (e.ipPool.empty()) errors.push_back(required(pool, "at least one IP address, CIDR or range"));
  std::vector<IpRange> ranges;
  std::vector<std::size_t> entryIndex;  // ranges[k] came from ipPool[entryIndex[k]]
  for (std::size_t i = 0; i < e.ipPool.size(); ++i) {
    auto range = parseIpRange(e.ipPool[i]);
    if (!range) {
      errors.push_back(invalid(pool.index(i), e.ipPool[i], range.error()));
      continue;
    }
    ranges.push_back(std::move(*range));
    entryIndex.push_back(i);
  }
  for (const auto& o : findOverlaps(ranges)) {
    const std::size_t later = entryIndex[o.later];
    const std::size_t earlier = entryIndex[o.earlier];
    errors.push_back(
        invalid(pool.index(later), e.ipPool[later],
                "overlaps " + pool.index(earlier).str() + " (" + Json(e.ipPool[earlier]).dump() + ")"));
  }
  checkPortRange(path.child("autoPortRange"), e.autoPortRange, false, errors);
  for (std::size_t i = 0; i < e.reservedPorts.size(); ++i) {
    checkPortRange(path.child("reservedPorts").index(i), e.reservedPorts[i], true, errors);
  }
  if (e.ipAnnotation.empty()) errors.push_back(required(path.child("ipAnnotation")));
}

// builtInGroupMembers says who is in a group Kubernetes fills by itself (its authenticators put every
// principal of a class in it), or "" for a group an admin controls. Naming such a group in adminGroups would
// make a whole class of principals, perhaps everyone, an admin of every session.
std::string builtInGroupMembers(std::string_view group) {
  auto startsWith = [&](std::string_view prefix) { return group.rfind(prefix, 0) == 0; };
  if (group == "system:authenticated") return "every authenticated user";
  if (group == "system:unauthenticated") return "every anonymous request";
  if (group == "system:serviceaccounts") return "every service account";
  if (startsWith("system:serviceaccounts:")) return "every service account of namespace " + std::string(group.substr(23));
  if (group == "system:nodes") return "every node (kubelet)";
  if (group == "system:bootstrappers" || startsWith("system:bootstrappers:"))
    return "every bootstrap token (joining nodes)";
  return "";
}

void checkAdminGroups(const FieldPath& path, const std::vector<std::string>& groups, FieldErrors& errors) {
  for (std::size_t i = 0; i < groups.size(); ++i) {
    std::string members = builtInGroupMembers(groups[i]);
    if (members.empty()) continue;
    errors.push_back(invalid(path.index(i), groups[i],
                             "is a built-in group of " + members +
                                 "; adminGroups may act for any user, so name a group only admins are in"));
  }
}

}  // namespace

FieldErrors checkPolicy(const SessionPolicy& policy) {
  FieldErrors errors;
  const FieldPath spec("spec");
  checkAdminGroups(spec.child("adminGroups"), policy.adminGroups, errors);
  if (policy.maxSessionsPerUser < 0) {
    errors.push_back(invalid(spec.child("limits").child("maxSessionsPerUser"), policy.maxSessionsPerUser,
                             std::string(kNonNegative)));
  }
  if (policy.profiles.empty()) {
    errors.push_back(
        required(spec.child("profiles"), "at least one profile, or users cannot start sessions"));
  }
  std::set<std::string> profileNames;
  for (std::size_t i = 0; i < policy.profiles.size(); ++i) {
    checkProfile(spec.child("profiles").index(i), policy.profiles[i], policy, profileNames, errors);
  }
  std::set<std::string> gatewayNames;
  for (std::size_t i = 0; i < policy.gateways.size(); ++i) {
    checkGateway(spec.child("gateways").index(i), policy.gateways[i], gatewayNames, errors);
  }
  if (policy.storage) checkStorage(spec.child("storage"), *policy.storage, errors);
  if (policy.publicExposure)
    checkPublicExposure(spec.child("publicExposure"), *policy.publicExposure, errors);
  for (std::size_t i = 0; i < policy.network.egressCIDRs.size(); ++i) {
    auto cidr = parseCidr(policy.network.egressCIDRs[i]);
    if (!cidr) {
      errors.push_back(invalid(spec.child("network").child("egressCIDRs").index(i),
                               policy.network.egressCIDRs[i], cidr.error()));
    }
  }
  return errors;
}

}  // namespace sessiongate
