#include "core/kube/resource_ref.h"

namespace sessiongate::kube {

std::string escapeComponent(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string ResourceRef::collectionPath(std::string_view ns) const {
  std::string path = group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
  if (namespaced && !ns.empty()) {
    path += "/namespaces/";
    path += escapeComponent(ns);
  }
  path += "/";
  path += resource;
  return path;
}

std::string ResourceRef::objectPath(std::string_view ns, std::string_view name,
                                    std::string_view subresource) const {
  std::string path = collectionPath(ns) + "/" + escapeComponent(name);
  if (!subresource.empty()) {
    path += "/";
    path += subresource;
  }
  return path;
}

std::string ResourceRef::qualifiedName() const {
  return group.empty() ? resource : resource + "." + group;
}

}  // namespace sessiongate::kube
