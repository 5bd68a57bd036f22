#include <algorithm>
#include <set>

#include "core/duration.h"
#include "core/glob.h"
#include "core/user_session_reader.h"
#include "webhook/admission/dom.h"
#include "webhook/admission/dom_node.h"
#include "webhook/admission/session_context.h"
#include "webhook/validators/session_owner.h"
#include "webhook/validators/validators.h"

namespace sessiongate::webhook {
namespace {

const FieldPath kSpec("spec");

// listText renders names as "[a, b]" for messages.
std::string listText(const std::vector<std::string>& names) {
  std::string s = "[";
  for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
  return s + "]";
}

std::vector<std::string> profileNames(const SessionPolicy& policy) {
  std::vector<std::string> names;
  for (const auto& p : policy.profiles) names.push_back(p.name);
  return names;
}

void append(FieldErrors& to, FieldErrors from) {
  for (auto& e : from) to.push_back(std::move(e));
}

void checkSessionCount(const UserSessionSpec& spec, const SessionPolicy& policy, const ClusterView& view,
                       FieldErrors& errors) {
  if (spec.user.empty() || policy.maxSessionsPerUser <= 0) return;
  std::size_t count = view.sessionCountForUser(spec.user);
  if (count < static_cast<std::size_t>(policy.maxSessionsPerUser)) return;
  errors.push_back(forbidden(kSpec.child("user"), spec.user + " already has " + std::to_string(count) +
                                                      " sessions, the policy's " + "maxSessionsPerUser is " +
                                                      std::to_string(policy.maxSessionsPerUser) +
                                                      "; delete a session first"));
}

void checkImmutable(const UserSessionSpec& spec, const UserSessionSpec& old, FieldErrors& errors) {
  if (spec.user != old.user) errors.push_back(invalid(kSpec.child("user"), spec.user, "field is immutable"));
  if (spec.profile != old.profile) {
    errors.push_back(invalid(kSpec.child("profile"), spec.profile, "field is immutable"));
  }
}

void checkImage(const UserSessionSpec& spec, const Profile& profile, FieldErrors& errors) {
  if (!spec.image) return;
  FieldPath path = kSpec.child("image");
  if (!profile.allowImageOverride) {
    errors.push_back(forbidden(path, "profile \"" + profile.name + "\" does not allow image overrides"));
    return;
  }
  bool matches = std::any_of(profile.allowedImages.begin(), profile.allowedImages.end(),
                             [&](const std::string& glob) { return globMatch(glob, *spec.image); });
  if (!matches) {
    errors.push_back(
        invalid(path, *spec.image,
                "must match one of the profile's allowedImages " + listText(profile.allowedImages)));
  }
}

void checkGateway(const UserSessionSpec& spec, const Profile& profile, FieldErrors& errors) {
  if (!spec.gateway) return;
  FieldPath path = kSpec.child("gateway");
  const std::string& gateway = *spec.gateway;
  if (gateway == "none") {
    if (!profile.allowNoGateway) {
      errors.push_back(forbidden(
          path, "profile \"" + profile.name + "\" requires a gateway, one of " + listText(profile.gateways)));
    }
    return;
  }
  if (std::find(profile.gateways.begin(), profile.gateways.end(), gateway) != profile.gateways.end()) return;
  std::vector<std::string> supported = profile.gateways;
  if (profile.allowNoGateway) supported.push_back("none");
  errors.push_back(notSupported(path, gateway, supported));
}

void checkDuration(const std::optional<std::string>& text, const FieldPath& path, Duration max,
                   const char* maxName, FieldErrors& errors) {
  if (!text) return;
  auto parsed = parseDuration(*text);
  if (!parsed || *parsed <= Duration::zero()) return;  // reported by parseUserSession
  if (max > Duration::zero() && *parsed > max) {
    errors.push_back(
        invalid(path, *text, "must be at most " + formatDuration(max) + " (the profile's " + maxName + ")"));
  }
}

void checkAgainstProfile(const UserSessionSpec& spec, const SessionPolicy& policy, FieldErrors& errors) {
  const Profile* profile = policy.profile(spec.profile);
  if (!profile) {
    if (!spec.profile.empty()) {
      errors.push_back(notSupported(kSpec.child("profile"), spec.profile, profileNames(policy)));
    }
    return;
  }
  checkImage(spec, *profile, errors);
  checkGateway(spec, *profile, errors);
  if (spec.storage.value_or(false) && !policy.storage) {
    errors.push_back(forbidden(kSpec.child("storage"),
                               "the SessionPolicy has no storage block, so sessions cannot mount storage"));
  }
  checkDuration(spec.ttl, kSpec.child("ttl"), profile->maxTTL, "maxTTL", errors);
  checkDuration(spec.inactivityTimeout, kSpec.child("inactivityTimeout"), profile->maxInactivity,
                "maxInactivity", errors);
  if (spec.hasPublicExposure) {
    for (auto& e : checkPublicExposure(spec, *profile, policy)) errors.push_back(std::move(e));
  }
}

// readSession parses a reviewed UserSession in place, in the DOM, with core's one parser.
SessionParse readSession(simdjson::dom::element object) {
  return readUserSession(DomNode(object));
}

// sameSpec: both objects have an equal spec (absent and null count as the same).
bool sameSpec(simdjson::dom::element object, simdjson::dom::element oldObject) {
  auto spec = member(object, "spec");
  auto oldSpec = member(oldObject, "spec");
  const bool isNull = !spec || spec->is_null();
  const bool oldIsNull = !oldSpec || oldSpec->is_null();
  if (isNull || oldIsNull) return isNull == oldIsNull;
  return sameJson(*spec, *oldSpec);
}

// withoutRepeats drops errors whose message an earlier one already gave (a parse error and a rule can
// both see the same bad value).
FieldErrors withoutRepeats(FieldErrors errors) {
  std::set<std::string> seen;
  FieldErrors out;
  for (auto& e : errors) {
    if (seen.insert(e.message()).second) out.push_back(std::move(e));
  }
  return out;
}

// validateDelete lets the owner, a policy admin and the controller (ending expired sessions) delete a
// session. The API server sends the stored object as oldObject; should it not, the cache says who owns it.
Decision validateDelete(const AdmissionRequest& request, const ClusterView& view,
                        std::string_view controllerServiceAccount) {
  auto policy = view.policy();
  Requester requester{request.userInfo, policy.get(), controllerServiceAccount};
  std::string owner;
  if (request.oldObject) {
    owner = readSession(*request.oldObject).session.spec.user;
  } else if (auto cached = view.session(request.name)) {
    owner = cached->spec.user;
  } else if (!requester.isAdmin() && !requester.isController()) {
    return denied("cannot tell who owns UserSession " + request.name +
                  " yet (the webhook's cache has not seen it); retry in a few seconds");
  }
  FieldErrors errors = actingErrors(owner, requester, "delete");
  if (errors.empty()) return allowed();
  return denied(errors);
}

}  // namespace

Decision validateUserSession(const AdmissionRequest& request, const ClusterView& view,
                             std::string_view controllerServiceAccount) {
  if (!request.subResource.empty()) return allowed();  // status is the controller's (and RBAC's)
  if (request.operation == "DELETE") return validateDelete(request, view, controllerServiceAccount);
  if (request.operation != "CREATE" && request.operation != "UPDATE") return allowed();
  auto policy = view.policy();
  Requester requester{request.userInfo, policy.get(), controllerServiceAccount};
  if (!request.object) return denied("the review has no object to validate");
  const simdjson::dom::element object = *request.object;
  std::optional<UserSessionSpec> oldSpec;
  if (request.operation == "UPDATE" && request.oldObject) {
    oldSpec = readSession(*request.oldObject).session.spec;
    // Only the owner, an admin or the controller may touch a session at all, metadata included (finalizers,
    // ownerReferences): the stored owner decides, whatever the new object claims.
    FieldErrors acting = actingErrors(oldSpec->user, requester, "update");
    if (!acting.empty()) return denied(acting);
    // Metadata-only updates (finalizers, labels, deletion) must pass even if the policy changed since.
    if (sameSpec(object, *request.oldObject)) return allowed();
  }
  if (!policy) return denied(noPolicyMessage(view.policyName()));

  SessionParse parsed = readSession(object);
  FieldErrors errors = std::move(parsed.errors);
  const UserSessionSpec& spec = parsed.session.spec;
  if (oldSpec) {
    checkImmutable(spec, *oldSpec, errors);
    append(errors, actingErrors(spec.user, requester, "update"));
  } else {
    append(errors, actingErrors(spec.user, requester, "create"));
    append(errors, ownerNameErrors(spec.user, requester));
    checkSessionCount(spec, *policy, view, errors);
  }
  checkAgainstProfile(spec, *policy, errors);
  if (errors.empty()) return allowed();
  return denied(withoutRepeats(std::move(errors)));
}

}  // namespace sessiongate::webhook
