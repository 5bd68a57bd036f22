#pragma once
// readUserSession is the one UserSession parser, written against the node interface of core/json_node.h:
// parseUserSession (core/user_session.h) runs it over an nlohmann value, the webhook over the review's
// simdjson DOM, with the same field errors. The rules on single values live in user_session.cpp.
#include <optional>
#include <string>

#include "core/node_reader.h"
#include "core/user_session.h"

namespace sessiongate {
namespace session_rules {

// checkName reports a session name that cannot name the namespace sess-<name>.
void checkName(const FieldPath& path, const std::string& name, FieldErrors& errors);
// checkDuration reports a duration text that does not parse or is not positive.
void checkDuration(const FieldPath& path, const std::string& text, FieldErrors& errors);
// checkProtocol reports a port protocol other than TCP, UDP or SCTP.
void checkProtocol(const FieldPath& path, const std::string& protocol, FieldErrors& errors);
// checkPortRange reports a port outside [min, 65535].
void checkPortRange(const FieldPath& path, std::int64_t port, std::int64_t min, FieldErrors& errors);

template <class Node>
std::optional<std::string> durationText(NodeReader<Node>& spec, std::string_view name, FieldErrors& errors) {
  auto text = spec.string(name);
  if (text) checkDuration(spec.path().child(name), *text, errors);
  return text;
}

template <class Node>
ExposedPort readPort(NodeReader<Node>& r, FieldErrors& errors) {
  ExposedPort p;
  if (!r.present()) return p;  // not an object: already reported
  p.name = r.string("name").value_or("");
  p.protocol = r.string("protocol").value_or("TCP");
  checkProtocol(r.path().child("protocol"), p.protocol, errors);
  const bool hasTarget = r.has("targetPort");
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

}  // namespace session_rules

// readUserSession reads a UserSession object (all but status, which only parseUserSession keeps); errors
// name malformed fields (types, enums, ranges).
template <class Node>
SessionParse readUserSession(Node object) {
  SessionParse out;
  FieldErrors& errors = out.errors;
  if (object.kind() != JsonKind::Object) {
    errors.push_back(typeError(FieldPath("object"), object.toJson(), "object"));
    return out;
  }
  UserSession& s = out.session;
  NodeReader<Node> root(object, FieldPath(), errors);
  NodeReader<Node> metadata = root.object("metadata");
  s.name = metadata.requiredString("name").value_or("");
  session_rules::checkName(metadata.path().child("name"), s.name, errors);
  s.uid = metadata.string("uid").value_or("");
  s.creationTimestamp = metadata.string("creationTimestamp").value_or("");
  s.resourceVersion = metadata.string("resourceVersion").value_or("");
  s.generation = metadata.integer("generation").value_or(0);
  s.deleting = metadata.has("deletionTimestamp");

  if (!root.has("spec")) {
    errors.push_back(required(FieldPath("spec")));
    return out;
  }
  NodeReader<Node> spec = root.object("spec");
  UserSessionSpec& sp = s.spec;
  sp.user = spec.requiredString("user").value_or("");
  sp.profile = spec.requiredString("profile").value_or("");
  sp.image = spec.string("image");
  sp.gateway = spec.string("gateway");
  sp.storage = spec.boolean("storage");
  sp.ttl = session_rules::durationText(spec, "ttl", errors);
  sp.inactivityTimeout = session_rules::durationText(spec, "inactivityTimeout", errors);
  if (spec.has("publicExposure")) {
    NodeReader<Node> exposure = spec.object("publicExposure");
    sp.hasPublicExposure = exposure.present();
    for (auto& port : exposure.objects("ports")) sp.ports.push_back(session_rules::readPort(port, errors));
  }
  return out;
}

}  // namespace sessiongate
