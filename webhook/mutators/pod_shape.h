#pragma once
// podShapeErrors checks that a pod has the JSON types the pod mutator writes into (metadata, labels, spec,
// containers, resources, volumeMounts, volumes, dnsConfig), so that every patch it writes applies. The
// API server only sends pods it decoded, so these errors are met offline (sessiongatectl review, fuzzing)
// or from a broken client; each names the field, the way the API server names fields.
#include <simdjson.h>

#include "core/field_error.h"

namespace sessiongate::webhook {

// podShapeErrors lists every member of pod whose type the mutation cannot write into; null counts as
// absent (RFC 6902 add replaces it).
FieldErrors podShapeErrors(simdjson::dom::element pod);

}  // namespace sessiongate::webhook
