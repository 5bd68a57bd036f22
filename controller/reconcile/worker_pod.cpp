#include "controller/reconcile/worker_pod.h"

#include "controller/reconcile/names.h"

namespace sessiongate::controller {

Json workerPodObject(const SessionFacts& facts) {
  Json container = {{"name", "worker"}, {"image", facts.session.spec.image.value_or(facts.profile.image)}};
  if (!facts.profile.command.empty()) container["command"] = facts.profile.command;
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
