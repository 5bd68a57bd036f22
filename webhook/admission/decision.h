#pragma once
// Decision is what a validator or mutator answers, built with the helpers below the way controller-runtime's
// admission.Allowed / Denied / Patched / Errored do. Only the response encoder turns it into JSON.
#include <string>
#include <vector>

#include "core/field_error.h"

namespace sessiongate {
}

namespace sessiongate::webhook {

// Decision is one admission answer.
struct Decision {
  // Outcome is what the metrics and logs call the decision.
  enum class Outcome { Allowed, Patched, Denied, Errored };
  Outcome outcome = Outcome::Allowed;
  int code = 200;                     // status.code for denials and errors
  std::string reason;                 // status.reason, e.g. Forbidden
  std::string message;                // status.message
  std::string patch;                  // RFC 6902 patch as JSON text; empty when there is none
  std::vector<std::string> warnings;  // shown by kubectl as "Warning: ..."

  bool allowed() const { return outcome == Outcome::Allowed || outcome == Outcome::Patched; }
  // label is allowed, patched, denied or error.
  const char* label() const;
};

// allowed admits the request unchanged.
Decision allowed();

// denied refuses the request with every error listed, as the API server lists field errors.
Decision denied(const FieldErrors& errors);

// denied refuses the request with a plain message.
Decision denied(std::string message);

// retryLater refuses the request for now (503 ServiceUnavailable): the webhook cannot decide yet (its cache
// has not seen the object the rule needs) and the same request will succeed once it has, so clients retry.
Decision retryLater(std::string message);

// patched admits the request with a patch given as a JSON array text; "[]" or empty is allowed().
Decision patchedText(std::string patchJson);

// errored refuses the request because the webhook could not decide (code is an HTTP status).
Decision errored(int code, std::string message);

// withWarnings adds warnings to a decision.
Decision withWarnings(Decision decision, std::vector<std::string> warnings);

}  // namespace sessiongate::webhook
