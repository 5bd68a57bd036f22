#pragma once
// The response half of the review codec: a Decision becomes the AdmissionReview the API server reads.
#include <string>
#include <string_view>

#include "webhook/admission/decision.h"

namespace sessiongate::webhook {

// encodeResponse renders {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{...}}
// with uid echoed, allowed, status for denials, patchType JSONPatch with the base64 patch, and warnings.
std::string encodeResponse(std::string_view uid, const Decision& decision);

// base64Encode is standard base64 with padding, as the API server decodes response.patch.
std::string base64Encode(std::string_view bytes);

// base64Decode reverses base64Encode; an invalid input decodes to an empty string.
std::string base64Decode(std::string_view text);

}  // namespace sessiongate::webhook
