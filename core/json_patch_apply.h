#pragma once
// applyJsonPatch applies an RFC 6902 patch the strict way the API server's applier (evanphx/json-patch)
// does: every operation's parent must exist and be an object or an array, array indexes are canonical
// decimal numbers within bounds ("-" only to append with add), remove/replace/move/copy need an existing
// target, test compares exactly. Unlike nlohmann's basic_json::patch it never asserts, never turns a null
// parent into an object and never indexes into a string or number: a patch that the API server would
// reject is an error that says which operation failed and why.
#include <string>

#include "core/json.h"
#include "core/result.h"

namespace sessiongate {

// applyJsonPatch returns document with patch applied, or the first operation's error.
Result<Json> applyJsonPatch(Json document, const Json& patch);

}  // namespace sessiongate
