#pragma once
// ReviewHandler is the seam between the transport (webhook/server) and the admission logic: it takes the
// raw body of a POST to /validate or /mutate and returns the HTTP answer. Only webhook/admission knows
// AdmissionReview JSON; only webhook/server knows HTTP and TLS.
#include <functional>
#include <string>
#include <string_view>

namespace sessiongate::webhook {

// Endpoint is which admission endpoint was called.
enum class Endpoint { Validate, Mutate };

// ReviewAnswer is the HTTP answer to one review plus the labels the server's metrics record.
struct ReviewAnswer {
  int status = 200;          // 200 with an AdmissionReview, 400 for an unparseable review
  std::string body;          // response AdmissionReview JSON, or a plain error text when status != 200
  std::string kind;          // request kind (UserSession, SessionPolicy, Pod, Service, ...) or "unknown"
  std::string decision;      // allowed | denied | patched | error
};

// ReviewHandler answers one admission review body.
using ReviewHandler = std::function<ReviewAnswer(Endpoint, std::string_view body)>;

}  // namespace sessiongate::webhook
