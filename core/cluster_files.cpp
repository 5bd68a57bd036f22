#include "core/cluster_files.h"

#include "core/json_fields.h"
#include "core/object_loader.h"

namespace sessiongate {
namespace {

std::string kindOf(const Json& object) {
  return stringOf(object, "kind");
}

std::string nameOf(const Json& object) {
  const Json* metadata = memberOf(object, "metadata");
  return metadata != nullptr ? stringOf(*metadata, "name") : std::string();
}

std::string invalidObject(const SourcedObject& o, std::string_view kind, std::string_view name,
                          const FieldErrors& errors) {
  std::string text = o.source + ": " + std::string(kind) + " \"" + std::string(name) + "\" is invalid:";
  for (const auto& e : errors) text += "\n" + o.source + ": " + e.message();
  return text;
}

Result<NamespaceInfo> parseNamespace(const SourcedObject& o) {
  FieldErrors errors;
  FieldReader root(&o.object, FieldPath(), errors);
  FieldReader metadata = root.object("metadata");
  NamespaceInfo ns;
  ns.name = metadata.requiredString("name").value_or("");
  ns.labels = metadata.stringMap("labels").value_or(std::map<std::string, std::string>{});
  if (!errors.empty()) return Error{invalidObject(o, "Namespace", ns.name, errors)};
  return ns;
}

}  // namespace

Result<ClusterFiles> loadClusterFiles(const std::vector<std::filesystem::path>& paths,
                                      std::string_view policyName) {
  // Each object is parsed as its file is read and then dropped: with thousands of sessions, holding every
  // loaded object at once cost more memory than everything the webhook keeps.
  ClusterFiles files;
  std::map<std::string, std::string> sources;  // "Kind/name" -> where it was first defined
  std::vector<std::string> otherPolicies;
  auto take = [&](SourcedObject o) -> Result<bool> {
    const std::string kind = kindOf(o.object);
    const std::string name = nameOf(o.object);
    if (kind != "SessionPolicy" && kind != "UserSession" && kind != "Namespace") return true;
    if (kind == "SessionPolicy" && name != policyName) {
      otherPolicies.push_back("\"" + name + "\"");
      return true;
    }
    auto [seen, fresh] = sources.emplace(kind + "/" + name, o.source);
    if (!fresh) {
      return Error{o.source + ": " + kind + " \"" + name + "\" is defined more than once (also at " +
                   seen->second + ")"};
    }
    if (kind == "SessionPolicy") {
      PolicyParse parsed = parsePolicy(o.object);
      if (!parsed.errors.empty()) return Error{invalidObject(o, kind, name, parsed.errors)};
      files.policy = std::make_shared<const SessionPolicy>(std::move(parsed.policy));
    } else if (kind == "UserSession") {
      SessionParse parsed = parseUserSession(o.object);
      if (!parsed.errors.empty()) return Error{invalidObject(o, kind, name, parsed.errors)};
      parsed.session.status = nullptr;  // no admission rule reads it
      files.sessions.emplace(name, std::move(parsed.session));
    } else {
      auto ns = parseNamespace(o);
      if (!ns) return Error{ns.error()};
      files.namespaces.emplace(name, std::move(*ns));
    }
    return true;
  };
  for (const auto& path : paths) {
    auto loaded = forEachSourcedObject(path, take);
    if (!loaded) return Error{loaded.error()};
  }
  if (!files.policy) {
    std::string where;
    for (std::size_t i = 0; i < paths.size(); ++i) where += (i ? ", " : "") + paths[i].string();
    std::string message = "no SessionPolicy named \"" + std::string(policyName) + "\" in " + where;
    if (!otherPolicies.empty()) {
      message += " (found ";
      for (std::size_t i = 0; i < otherPolicies.size(); ++i) message += (i ? ", " : "") + otherPolicies[i];
      message += ")";
    }
    return Error{message};
  }
  return files;
}

void applyClusterFiles(const ClusterFiles& files, MemoryClusterView& view) {
  view.setPolicy(files.policy);
  view.replaceObjects(files.sessions, files.namespaces);
}

void applyClusterFiles(ClusterFiles&& files, MemoryClusterView& view) {
  view.setPolicy(std::move(files.policy));
  view.replaceObjects(std::move(files.sessions), std::move(files.namespaces));
}

}  // namespace sessiongate
