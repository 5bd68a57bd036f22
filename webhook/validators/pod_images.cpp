// checkImages: a session pod runs only the images its profile allows.
#include <algorithm>

#include "core/glob.h"
#include "core/json_fields.h"
#include "webhook/validators/pod_rules.h"

namespace sessiongate::webhook {
namespace {

bool allowedImage(const std::string& image, const SessionContext& context) {
  const Profile& profile = *context.profile;
  if (image == profile.image) return true;
  if (context.session->spec.image && image == *context.session->spec.image) return true;
  return std::any_of(profile.allowedImages.begin(), profile.allowedImages.end(),
                     [&](const std::string& glob) { return globMatch(glob, image); });
}

std::string allowedText(const SessionContext& context) {
  const Profile& profile = *context.profile;
  std::string text = profile.image;
  if (context.session->spec.image && *context.session->spec.image != profile.image) {
    text += ", " + *context.session->spec.image;
  }
  for (const auto& glob : profile.allowedImages) text += ", " + glob;
  return text;
}

}  // namespace

FieldErrors checkImages(const Json& pod, const SessionContext& context,
                        const std::set<ContainerRef>& exempt) {
  FieldErrors errors;
  auto spec = pod.find("spec");
  if (spec == pod.end() || !spec->is_object()) return errors;
  for (const char* list : kContainerLists) {
    auto containers = spec->find(list);
    if (containers == spec->end() || !containers->is_array()) continue;
    for (std::size_t i = 0; i < containers->size(); ++i) {
      if (exempt.count({list, i})) continue;
      const std::string text = stringOf((*containers)[i], "image");
      if (allowedImage(text, context)) continue;
      errors.push_back(forbidden(FieldPath("spec").child(list).index(i).child("image"),
                                 "image \"" + text + "\" is not allowed in sessions of profile \"" +
                                     context.profile->name + "\"; use one of: " + allowedText(context)));
    }
  }
  return errors;
}

}  // namespace sessiongate::webhook
