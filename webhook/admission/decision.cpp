#include "webhook/admission/decision.h"


namespace sessiongate::webhook {

const char* Decision::label() const {
  switch (outcome) {
    case Outcome::Allowed:
      return "allowed";
    case Outcome::Patched:
      return "patched";
    case Outcome::Denied:
      return "denied";
    case Outcome::Errored:
      return "error";
  }
  return "error";
}

Decision allowed() {
  return Decision{};
}

Decision denied(const FieldErrors& errors) {
  return denied(aggregate(errors));
}

Decision denied(std::string message) {
  Decision d;
  d.outcome = Decision::Outcome::Denied;
  d.code = 403;
  d.reason = "Forbidden";
  d.message = std::move(message);
  return d;
}

Decision retryLater(std::string message) {
  Decision d = denied(std::move(message));
  d.code = 503;
  d.reason = "ServiceUnavailable";
  return d;
}

Decision patchedText(std::string patchJson) {
  if (patchJson.empty() || patchJson == "[]") return allowed();
  Decision d;
  d.outcome = Decision::Outcome::Patched;
  d.patch = std::move(patchJson);
  return d;
}

Decision errored(int code, std::string message) {
  Decision d;
  d.outcome = Decision::Outcome::Errored;
  d.code = code;
  d.message = std::move(message);
  return d;
}

Decision withWarnings(Decision decision, std::vector<std::string> warnings) {
  for (auto& w : warnings) decision.warnings.push_back(std::move(w));
  return decision;
}

}  // namespace sessiongate::webhook
