#pragma once
// Reviewer is the admission logic behind /validate and /mutate: decode the review, dispatch on the request's
// kind to the validators and mutators, encode the answer. It is a ReviewHandler for webhook/server and the
// engine of `sessiongatectl review`.
#include <string>
#include <string_view>

#include "core/cluster_view.h"
#include "webhook/admission/review_handler.h"

namespace sessiongate::webhook {

// ReviewerOptions tunes the rules that depend on the installation.
struct ReviewerOptions {
  // controllerServiceAccount is the only user allowed to create LoadBalancer Services in session namespaces.
  std::string controllerServiceAccount = "system:serviceaccount:sessiongate-system:sessiongate-controller";
};

// Reviewer answers admission reviews against a ClusterView.
class Reviewer {
 public:
  explicit Reviewer(const ClusterView& view, ReviewerOptions options = {});
  // operator() answers one body on /validate or /mutate; usable as a ReviewHandler.
  ReviewAnswer operator()(Endpoint endpoint, std::string_view body) const;
  // both mutates, applies the patch to the object, validates the result and answers with the denial or the
  // patch: what the API server does (sessiongatectl review --endpoint both).
  ReviewAnswer both(std::string_view body) const;

 private:
  const ClusterView& view_;
  ReviewerOptions options_;
};

}  // namespace sessiongate::webhook
