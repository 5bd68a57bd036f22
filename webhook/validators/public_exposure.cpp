#include <map>
#include <utility>

#include "core/dns_name.h"
#include "webhook/validators/validators.h"

namespace sessiongate::webhook {
namespace {

const FieldPath kExposure = FieldPath("spec").child("publicExposure");
constexpr std::size_t kMaxPortNameLength = 15;

void checkPortNames(const std::vector<ExposedPort>& ports, const FieldPath& path, FieldErrors& errors) {
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < ports.size(); ++i) {
    const std::string& name = ports[i].name;
    FieldPath namePath = path.index(i).child("name");
    if (name.empty()) {
      if (ports.size() > 1)
        errors.push_back(required(namePath, "each port needs a name when there are several"));
      continue;
    }
    auto problems = dns1123LabelErrors(name, kMaxPortNameLength);
    for (auto& problem : problems) errors.push_back(invalid(namePath, name, problem));
    if (problems.empty() && !seen.emplace(name, i).second) {
      errors.push_back(duplicate(namePath, name));
    }
  }
}

void checkPortNumbers(const std::vector<ExposedPort>& ports, const FieldPath& path,
                      const SessionPolicy& policy, FieldErrors& errors) {
  std::map<std::pair<std::string, std::int64_t>, std::size_t> portsSeen, targetsSeen;
  for (std::size_t i = 0; i < ports.size(); ++i) {
    const ExposedPort& p = ports[i];
    FieldPath target = path.index(i).child("targetPort");
    FieldPath port = path.index(i).child("port");
    // Out-of-range numbers are reported by parseUserSession; they take no part in the other rules.
    if (p.targetPort >= 1 && p.targetPort <= 65535 &&
        !targetsSeen.emplace(std::pair(p.protocol, p.targetPort), i).second) {
      errors.push_back(duplicate(target, p.targetPort));
    }
    if (p.port <= 0 || p.port > 65535) continue;
    if (policy.publicExposure && policy.publicExposure->isReserved(static_cast<int>(p.port))) {
      errors.push_back(invalid(port, p.port, "is reserved by the policy (publicExposure.reservedPorts)"));
    }
    if (!portsSeen.emplace(std::pair(p.protocol, p.port), i).second)
      errors.push_back(duplicate(port, p.port));
  }
}

}  // namespace

FieldErrors checkPublicExposure(const UserSessionSpec& spec, const Profile& profile,
                                const SessionPolicy& policy) {
  FieldErrors errors;
  if (!profile.allowPublicExposure) {
    errors.push_back(forbidden(kExposure, "profile \"" + profile.name + "\" does not allow public exposure"));
  } else if (!policy.publicExposure) {
    errors.push_back(forbidden(kExposure, "the SessionPolicy has no publicExposure block (no IP pool)"));
  }
  FieldPath ports = kExposure.child("ports");
  if (profile.maxExposedPorts > 0 && spec.ports.size() > static_cast<std::size_t>(profile.maxExposedPorts)) {
    errors.push_back(tooMany(ports, static_cast<std::int64_t>(spec.ports.size()), profile.maxExposedPorts));
  }
  checkPortNames(spec.ports, ports, errors);
  checkPortNumbers(spec.ports, ports, policy, errors);
  return errors;
}

}  // namespace sessiongate::webhook
