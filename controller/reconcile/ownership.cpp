#include "controller/reconcile/ownership.h"

#include "controller/reconcile/names.h"
#include "core/object_meta.h"

namespace sessiongate::controller {
namespace {

std::string ownerUid(const Json& ns) {
  return std::string(metaOf(ns).annotation(kOwnerUidAnnotation).value_or(""));
}

}  // namespace

NamespaceOwner namespaceOwner(const Json& ns, const UserSession& session) {
  if (ns.is_null()) return NamespaceOwner::Absent;
  std::string uid = ownerUid(ns);
  return !uid.empty() && uid == session.uid ? NamespaceOwner::Ours : NamespaceOwner::Foreign;
}

std::string foreignNamespaceMessage(const Json& ns, const UserSession& session) {
  std::string uid = ownerUid(ns);
  std::string why = uid.empty() ? std::string("it has no ") + kOwnerUidAnnotation + " annotation"
                                : std::string("its ") + kOwnerUidAnnotation + " is " + uid + ", not this session's " +
                                      session.uid;
  return "namespace " + namespaceFor(session.name) + " already exists and was not created for this session (" +
         why + "); sessiongate does not adopt it and changes nothing in it: delete this session and create one "
         "with another name, or ask an admin to remove the namespace";
}

}  // namespace sessiongate::controller
