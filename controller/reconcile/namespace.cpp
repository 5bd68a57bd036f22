#include "controller/reconcile/namespace.h"

#include "controller/reconcile/names.h"
#include "core/kube/resource_ref.h"

namespace sessiongate::controller {

Json sessionLabels(const SessionFacts& facts) {
  return {{kSessionLabel, facts.session.name}, {kUserLabel, facts.userLabel}};
}

Json namespaceObject(const SessionFacts& facts) {
  return {
      {"apiVersion", "v1"},
      {"kind", "Namespace"},
      {"metadata",
       {{"name", facts.ns},
        {"labels", sessionLabels(facts)},
        {"annotations",
         {{kOwnerAnnotation, kube::resources::kUserSessions.qualifiedName() + "/" + facts.session.name},
          {kOwnerUidAnnotation, facts.session.uid}}}}},
  };
}

Json roleBindingObject(const SessionFacts& facts) {
  return {
      {"apiVersion", "rbac.authorization.k8s.io/v1"},
      {"kind", "RoleBinding"},
      {"metadata", {{"name", kRoleBindingName}, {"namespace", facts.ns}, {"labels", sessionLabels(facts)}}},
      {"roleRef", {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "ClusterRole"}, {"name", kSessionUserRole}}},
      {"subjects", Json::array({{{"apiGroup", "rbac.authorization.k8s.io"},
                                 {"kind", "User"},
                                 {"name", facts.session.spec.user}}})},
  };
}

}  // namespace sessiongate::controller
