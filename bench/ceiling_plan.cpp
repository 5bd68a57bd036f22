#include "bench/ceiling_plan.h"

#include "controller/reconcile/exposure.h"
#include "controller/reconcile/names.h"
#include "controller/reconcile/namespace.h"
#include "controller/reconcile/network_policies.h"
#include "controller/reconcile/quota.h"
#include "controller/reconcile/status.h"
#include "controller/reconcile/worker_pod.h"
#include "controller/reconcile/worker_status.h"
#include "core/field_error.h"

namespace sessiongate::bench {

using namespace sessiongate::controller;

Result<ProvisionPlan> planProvision(const Json& stored, const SessionPolicy& policy, const Profile& profile,
                                    IpamAllocator& ipam, WallTime now) {
  SessionParse parsed = parseUserSession(stored);
  if (!parsed.errors.empty())
    return Error{"UserSession " + parsed.session.name + " is malformed: " + aggregate(parsed.errors)};
  ProvisionPlan plan{std::move(parsed.session), {}, {}, std::nullopt, nullptr};
  const UserSession& session = plan.session;
  plan.ns = namespaceFor(session.name);
  SessionFacts facts{
      session, policy, profile, profile.defaultGateway, plan.ns, toLabelValue(session.spec.user)};
  plan.children.push_back({&kube::resources::kNamespaces, namespaceObject(facts)});
  plan.children.push_back({&kube::resources::kResourceQuotas, resourceQuotaObject(facts)});
  plan.children.push_back({&kube::resources::kLimitRanges, limitRangeObject(facts)});
  for (Json& np : networkPolicyObjects(facts))
    plan.children.push_back({&kube::resources::kNetworkPolicies, np});
  plan.children.push_back({&kube::resources::kRoleBindings, roleBindingObject(facts)});
  plan.children.push_back({&kube::resources::kPods, workerPodObject(facts)});

  // The status the controller writes for a session on a control plane without a node: provisioned, the
  // worker pod pending (Ready means running, which no pod is here).
  StatusReport report;
  report.phase = phase::kProvisioning;
  report.generation = session.generation;
  report.ns = plan.ns;
  WorkerAssessment worker = assessWorkerPod(nullptr, plan.ns, kWorkerPodName);
  report.message = worker.condition.message;
  ExposureOutcome exposure;
  if (session.spec.hasPublicExposure && !session.spec.ports.empty() && policy.publicExposure) {
    AllocationRequest request{session.name, {}, std::nullopt};
    for (const ExposedPort& p : session.spec.ports)
      request.ports.push_back({p.name, p.protocol, static_cast<int>(p.targetPort), static_cast<int>(p.port)});
    auto allocation = ipam.allocate(request);
    if (!allocation) return Error{"IPAM for " + session.name + ": " + allocation.error()};
    plan.service = serviceObject(facts, *policy.publicExposure, *allocation);
    exposure.status = PublicExposureStatus{
        exposure_phase::kProvisioning,
        "allocated " + allocation->ip.str() + "; waiting for the load balancer to announce it",
        allocation->ip.str(), allocation->ports};
  }
  report.publicExposure = exposure.status;
  report.conditions = {
      {condition::kProvisioned, true, "Applied", "namespace " + plan.ns + " and its objects are in place"},
      worker.condition,
      exposedCondition(exposure),
      {condition::kReady, false, "WorkerNotReady", report.message}};
  plan.statusPatch = statusPatch(session.status, desiredStatus(session.status, report, now));
  return plan;
}

Json planJson(const ProvisionPlan& plan) {
  Json children = Json::array();
  for (const PlannedChild& child : plan.children) children.push_back(child.object);
  if (plan.service) children.push_back(*plan.service);
  Json status =
      plan.statusPatch.is_object() ? plan.statusPatch.value("status", Json::object()) : Json::object();
  return {{"session", plan.session.name}, {"namespace", plan.ns}, {"children", children}, {"status", status}};
}

}  // namespace sessiongate::bench
