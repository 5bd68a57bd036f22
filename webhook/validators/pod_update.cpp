// checkPodUpdate: what a session pod keeps for its life. The API server already freezes most of a pod's spec;
// what it lets change (images, labels, annotations, ephemeral containers) is checked here.
#include <map>
#include <string_view>

#include "core/api_names.h"
#include "core/json_fields.h"
#include "webhook/injected/injected_parts.h"
#include "webhook/validators/pod_rules.h"

namespace sessiongate::webhook {
namespace {

const Json& member(const Json& obj, std::string_view key) {
  static const Json none;
  if (!obj.is_object()) return none;
  auto it = obj.find(key);
  return it == obj.end() ? none : *it;
}

void checkReservedKeys(const Json& pod, const Json& old, const char* section, FieldErrors& errors) {
  const Json& now = member(member(pod, "metadata"), section);
  const Json& before = member(member(old, "metadata"), section);
  std::map<std::string, std::pair<Json, Json>> reserved;  // key -> (before, now)
  for (const Json* map : {&before, &now}) {
    if (!map->is_object()) continue;
    for (const auto& [key, value] : map->items()) {
      if (key.rfind(kReservedPrefix, 0) != 0) continue;
      auto& slot = reserved[key];
      (map == &before ? slot.first : slot.second) = value;
    }
  }
  for (const auto& [key, values] : reserved) {
    if (values.first == values.second) continue;
    errors.push_back(forbidden(FieldPath("metadata").child(section).key(key),
                               std::string(kReservedPrefix) + " " + std::string(section) +
                                   " of a session pod are set by sessiongate and cannot be added, changed or "
                                   "removed; leave them as they are"));
  }
}

// byName maps the containers of a list to their JSON.
std::map<std::string, const Json*> byName(const Json& spec, const char* list) {
  std::map<std::string, const Json*> out;
  const Json& containers = member(spec, list);
  if (!containers.is_array()) return out;
  for (const Json& c : containers) out[stringOf(c, "name")] = &c;
  return out;
}

void checkContainers(const Json& pod, const Json& old, FieldErrors& errors) {
  const Json& spec = member(pod, "spec");
  const Json& oldSpec = member(old, "spec");
  for (const char* list : kContainerLists) {
    const std::map<std::string, const Json*> before = byName(oldSpec, list);
    const Json& containers = member(spec, list);
    if (!containers.is_array()) continue;
    for (std::size_t i = 0; i < containers.size(); ++i) {
      const Json& c = containers[i];
      const FieldPath path = FieldPath("spec").child(list).index(i);
      // The API server never sends such a pod; offline (sessiongatectl) a name that is not a string could
      // hide a changed gateway container, so it is refused.
      if (const Json* name = memberOf(c, "name"); name == nullptr || !name->is_string()) {
        errors.push_back(name == nullptr ? required(path.child("name"))
                                         : typeError(path.child("name"), *name, "string"));
        continue;
      }
      const std::string name = stringOf(c, "name");
      auto was = before.find(name);
      if (was != before.end() && looksLikeGatewayContainer(name)) {
        if (*was->second != c) {
          errors.push_back(forbidden(path, "the gateway container \"" + name +
                                               "\" cannot be changed; delete the pod and create it again"));
        }
        continue;
      }
      if (was != before.end() && member(*was->second, "image") != member(c, "image")) {
        errors.push_back(forbidden(path.child("image"),
                                   "the image of a session pod's container cannot change; create a new pod "
                                   "with the image instead"));
      }
    }
  }
}

}  // namespace

FieldErrors checkPodUpdate(const Json& pod, const Json& old) {
  FieldErrors errors;
  checkReservedKeys(pod, old, "labels", errors);
  checkReservedKeys(pod, old, "annotations", errors);
  checkContainers(pod, old, errors);
  return errors;
}

}  // namespace sessiongate::webhook
