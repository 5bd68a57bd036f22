// parseUserSession: reads a UserSession object, reporting malformed fields with their paths. The reading
// itself is readUserSession (core/user_session_reader.h), shared with the webhook's DOM; the rules on single
// values are here. Rules that need the policy (profile bounds, gateways, exposure limits) belong to the
// webhook's validators.
#include "core/user_session.h"

#include <algorithm>

#include "core/dns_name.h"
#include "core/duration.h"
#include "core/user_session_reader.h"

namespace sessiongate {
namespace {

// kNamespacePrefix is prepended to the session name to name its namespace, which must stay a 63-char label.
constexpr std::string_view kNamespacePrefix = "sess-";
constexpr std::size_t kMaxNameLength = 63 - kNamespacePrefix.size();
const std::vector<std::string> kProtocols{"TCP", "UDP", "SCTP"};

}  // namespace

namespace session_rules {

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

void checkDuration(const FieldPath& path, const std::string& text, FieldErrors& errors) {
  auto d = parseDuration(text);
  if (!d) {
    errors.push_back(invalid(path, text, d.error()));
  } else if (d->count() <= 0) {
    errors.push_back(invalid(path, text, "must be positive"));
  }
}

void checkProtocol(const FieldPath& path, const std::string& protocol, FieldErrors& errors) {
  if (std::find(kProtocols.begin(), kProtocols.end(), protocol) == kProtocols.end()) {
    errors.push_back(notSupported(path, protocol, kProtocols));
  }
}

void checkPortRange(const FieldPath& path, std::int64_t port, std::int64_t min, FieldErrors& errors) {
  if (port < min || port > 65535) {
    errors.push_back(invalid(path, port, "must be between " + std::to_string(min) + " and 65535, inclusive"));
  }
}

}  // namespace session_rules

SessionParse parseUserSession(const Json& object) {
  SessionParse out = readUserSession(JsonValueNode(object));
  if (const Json* status = memberOf(object, "status")) out.session.status = *status;
  return out;
}

}  // namespace sessiongate
