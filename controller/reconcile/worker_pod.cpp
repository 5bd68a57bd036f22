#include "controller/reconcile/worker_pod.h"

#include "controller/reconcile/names.h"

namespace sessiongate::controller {

Json workerPodObject(const SessionFacts& facts) {
  Json container = {{"name", "worker"}, {"image", facts.session.spec.image.value_or(facts.profile.image)}};
  if (!facts.profile.command.empty()) container["command"] = facts.profile.command;
  if (facts.profile.podSecurity == PodSecurityLevel::Restricted) {
    // What the restricted Pod Security Standard asks of every container, set on the container rather than the
    // pod: a pod-level runAsNonRoot would also bind the injected gateway containers, which run as root.
    container["securityContext"] = {{"allowPrivilegeEscalation", false},
                                    {"capabilities", {{"drop", Json::array({"ALL"})}}},
                                    {"runAsNonRoot", true},
                                    {"seccompProfile", {{"type", "RuntimeDefault"}}}};
  }
  return {
      {"apiVersion", "v1"},
      {"kind", "Pod"},
      {"metadata",
       {{"name", kWorkerPodName},
        {"namespace", facts.ns},
        {"labels", {{kSessionLabel, facts.session.name}}}}},
      {"spec", {{"containers", Json::array({container})}}},
  };
}

}  // namespace sessiongate::controller
