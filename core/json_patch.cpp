#include "core/json_patch.h"

#include <vector>

namespace sessiongate {
namespace {

std::vector<std::string> splitPointer(std::string_view path) {
  std::vector<std::string> tokens;
  if (path.empty()) return tokens;
  path.remove_prefix(1);  // leading "/"
  while (true) {
    const std::size_t slash = path.find('/');
    tokens.push_back(unescapePointerToken(path.substr(0, slash)));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return tokens;
}

// child finds the member or element `token` of node, or null when it does not exist.
const Json* child(const Json& node, const std::string& token) {
  if (node.is_object()) {
    auto it = node.find(token);
    return it == node.end() ? nullptr : &*it;
  }
  if (node.is_array() && !token.empty() && token.find_first_not_of("0123456789") == std::string::npos) {
    const std::size_t index = std::stoul(token);
    return index < node.size() ? &node[index] : nullptr;
  }
  return nullptr;
}

Json operation(std::string_view op, std::string path) {
  return Json{{"op", op}, {"path", std::move(path)}};
}

}  // namespace

std::string escapePointerToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string unescapePointerToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

std::string appendToken(std::string_view base, std::string_view token) {
  return std::string(base) + "/" + escapePointerToken(token);
}

JsonPatch& JsonPatch::add(std::string path, Json value) {
  Json op = operation("add", std::move(path));
  op["value"] = std::move(value);
  ops_.push_back(std::move(op));
  return *this;
}

JsonPatch& JsonPatch::replace(std::string path, Json value) {
  Json op = operation("replace", std::move(path));
  op["value"] = std::move(value);
  ops_.push_back(std::move(op));
  return *this;
}

JsonPatch& JsonPatch::remove(std::string path) {
  ops_.push_back(operation("remove", std::move(path)));
  return *this;
}

JsonPatch& JsonPatch::test(std::string path, Json value) {
  Json op = operation("test", std::move(path));
  op["value"] = std::move(value);
  ops_.push_back(std::move(op));
  return *this;
}

JsonPatch& JsonPatch::set(const Json& document, std::string_view path, Json value) {
  const std::vector<std::string> tokens = splitPointer(path);
  const Json* node = &document;
  std::size_t depth = 0;
  for (; depth < tokens.size(); ++depth) {
    const Json* next = child(*node, tokens[depth]);
    if (next == nullptr) break;
    node = next;
  }
  if (depth == tokens.size()) {
    if (*node != value) replace(std::string(path), std::move(value));
    return *this;
  }
  // Wrap the value in objects for every missing level below the first missing one.
  for (std::size_t i = tokens.size(); i-- > depth + 1;) value = Json{{tokens[i], std::move(value)}};
  std::string prefix;
  for (std::size_t i = 0; i <= depth; ++i) prefix = appendToken(prefix, tokens[i]);
  return add(std::move(prefix), std::move(value));
}

JsonPatch& JsonPatch::append(const JsonPatch& other) {
  for (const auto& op : other.ops_) ops_.push_back(op);
  return *this;
}

}  // namespace sessiongate
