#pragma once
// Loading Kubernetes objects from files: YAML (several documents separated by `---`) or JSON, one file or a
// folder of them. YAML scalars are typed as YAML 1.2's core schema says (plain `5` is a number, `true` a
// bool, `null` or nothing is null; quoted scalars stay strings); `kind: List` is flattened into its items.
// Errors name the file and line: `policies/default.yaml:12: ...`.
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace sessiongate {

// SourcedObject is one loaded object and where it came from ("file:line" of the document or list item).
struct SourcedObject {
  Json object;
  std::string source;
};

// loadObjects loads every object of a file, or of every *.yaml, *.yml and *.json file of a folder (sorted by
// name, not recursive).
Result<std::vector<Json>> loadObjects(const std::filesystem::path& fileOrDir);

// loadSourcedObjects is loadObjects keeping where each object came from.
Result<std::vector<SourcedObject>> loadSourcedObjects(const std::filesystem::path& fileOrDir);

// ObjectVisitor takes one loaded object; an error stops the loading and is returned by forEachSourcedObject.
using ObjectVisitor = std::function<Result<bool>(SourcedObject object)>;

// forEachSourcedObject is loadSourcedObjects handing each object over as soon as its file is read, so a
// caller that keeps only what it parses out of the objects holds one file's objects at a time, not all.
Result<bool> forEachSourcedObject(const std::filesystem::path& fileOrDir, const ObjectVisitor& visit);

// parseObjects reads objects from text; sourceName ending in ".json" selects JSON, anything else YAML (which
// also reads most JSON). sourceName prefixes error messages.
Result<std::vector<Json>> parseObjects(std::string_view text, std::string_view sourceName);

// parseSourcedObjects is parseObjects keeping where each object came from.
Result<std::vector<SourcedObject>> parseSourcedObjects(std::string_view text, std::string_view sourceName);

}  // namespace sessiongate
