// parseUserSession: reads a UserSession object, reporting malformed fields with their paths. Rules that need
// the policy (profile bounds, gateways, exposure limits) belong to the webhook's validators.
#include "core/user_session.h"

#include <algorithm>

#include "core/dns_name.h"
#include "core/duration.h"
#include "core/json_fields.h"

namespace sessiongate {
namespace {

// kNamespacePrefix is prepended to the session name to name its namespace, which must stay a 63-char label.
constexpr std::string_view kNamespacePrefix = "sess-";
constexpr std::size_t kMaxNameLength = 63 - kNamespacePrefix.size();
const std::vector<std::string> kProtocols{"TCP", "UDP", "SCTP"};

void checkName(const FieldPath& path, const std::string& name, FieldErrors& errors) {
  if (name.empty()) return;  // reported as Required by the reader
  if (name.size() > kMaxNameLength) {
    errors.push_back(invalid(path, name,
                             "must be no more than " + std::to_string(kMaxNameLength) +
                                 " characters, so that the namespace name sess-<name> fits in 63"));
  }
  for (auto& message : dns1123LabelErrors(name, std::string_view::npos))
    errors.push_back(invalid(path, name, message));
}

// durationText reads an optional Go duration kept as written; it must parse and be positive.
std::optional<std::string> durationText(FieldReader& spec, std::string_view name, FieldErrors& errors) {
  auto text = spec.string(name);
  if (!text) return std::nullopt;
  auto d = parseDuration(*text);
  if (!d) {
    errors.push_back(invalid(spec.path().child(name), *text, d.error()));
  } else if (d->count() <= 0) {
    errors.push_back(invalid(spec.path().child(name), *text, "must be positive"));
  }
  return text;
}

void checkPortRange(const FieldPath& path, std::int64_t port, std::int64_t min, FieldErrors& errors) {
  if (port < min || port > 65535) {
    errors.push_back(invalid(path, port, "must be between " + std::to_string(min) + " and 65535, inclusive"));
  }
}

ExposedPort parsePort(FieldReader r, FieldErrors& errors) {
  ExposedPort p;
  if (!r.present()) return p;  // not an object: already reported
  p.name = r.string("name").value_or("");
  p.protocol = r.string("protocol").value_or("TCP");
  if (std::find(kProtocols.begin(), kProtocols.end(), p.protocol) == kProtocols.end()) {
    errors.push_back(notSupported(r.path().child("protocol"), p.protocol, kProtocols));
  }
  const bool hasTarget = r.member("targetPort") != nullptr;
  if (auto target = r.integer("targetPort")) {
    p.targetPort = *target;
    checkPortRange(r.path().child("targetPort"), p.targetPort, 1, errors);
  } else if (!hasTarget) {
    errors.push_back(required(r.path().child("targetPort")));
  }
  if (auto port = r.integer("port")) {
    p.port = *port;
    checkPortRange(r.path().child("port"), p.port, 0, errors);
  }
  return p;
}

}  // namespace

SessionParse parseUserSession(const Json& object) {
  SessionParse out;
  FieldErrors& errors = out.errors;
  if (!object.is_object()) {
    errors.push_back(typeError(FieldPath("object"), object, "object"));
    return out;
  }
  UserSession& s = out.session;
  FieldReader root(&object, FieldPath(), errors);
  FieldReader metadata = root.object("metadata");
  s.name = metadata.requiredString("name").value_or("");
  checkName(metadata.path().child("name"), s.name, errors);
  s.uid = metadata.string("uid").value_or("");
  s.creationTimestamp = metadata.string("creationTimestamp").value_or("");
  s.resourceVersion = metadata.string("resourceVersion").value_or("");
  s.generation = metadata.integer("generation").value_or(0);
  s.deleting = metadata.member("deletionTimestamp") != nullptr;

  if (const Json* status = root.member("status")) s.status = *status;
  if (root.member("spec") == nullptr) {
    errors.push_back(required(FieldPath("spec")));
    return out;
  }
  FieldReader spec = root.object("spec");
  UserSessionSpec& sp = s.spec;
  sp.user = spec.requiredString("user").value_or("");
  sp.profile = spec.requiredString("profile").value_or("");
  sp.image = spec.string("image");
  sp.gateway = spec.string("gateway");
  sp.storage = spec.boolean("storage");
  sp.ttl = durationText(spec, "ttl", errors);
  sp.inactivityTimeout = durationText(spec, "inactivityTimeout", errors);
  if (spec.member("publicExposure") != nullptr) {
    FieldReader exposure = spec.object("publicExposure");
    sp.hasPublicExposure = exposure.present();
    for (auto& port : exposure.objects("ports")) sp.ports.push_back(parsePort(port, errors));
  }
  return out;
}

}  // namespace sessiongate
