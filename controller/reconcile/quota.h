#pragma once
// The session's compute bounds: a ResourceQuota with the profile's quota.hard and a LimitRange whose
// container defaults are the profile's resources (limits as default, requests as defaultRequest).
#include "controller/reconcile/session_facts.h"
#include "core/json.h"

namespace sessiongate::controller {

// resourceQuotaObject is ResourceQuota session-quota.
Json resourceQuotaObject(const SessionFacts& facts);
// limitRangeObject is LimitRange session-limits.
Json limitRangeObject(const SessionFacts& facts);

}  // namespace sessiongate::controller
