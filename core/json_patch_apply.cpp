#include "core/json_patch_apply.h"

#include <string_view>
#include <vector>

#include "core/json_patch.h"

namespace sessiongate {
namespace {

// PatchError is how one operation fails; applyJsonPatch turns it into an Error naming the operation.
struct PatchError {
  std::string message;
};

std::vector<std::string> tokensOf(const std::string& path) {
  if (path.empty()) return {};
  if (path.front() != '/') throw PatchError{"path \"" + path + "\" is not a JSON pointer (it must start with /)"};
  std::vector<std::string> tokens;
  std::string_view rest(path);
  rest.remove_prefix(1);
  while (true) {
    const std::size_t slash = rest.find('/');
    std::string_view raw = rest.substr(0, slash);
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && (i + 1 == raw.size() || (raw[i + 1] != '0' && raw[i + 1] != '1'))) {
        throw PatchError{"path \"" + path + "\" has a ~ that is not ~0 or ~1"};
      }
    }
    tokens.push_back(unescapePointerToken(raw));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return tokens;
}

// arrayIndex parses a canonical array index (no sign, no leading zero) no greater than limit.
std::size_t arrayIndex(const std::string& token, std::size_t limit, const std::string& path) {
  const bool digits = !token.empty() && token.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || (token.size() > 1 && token.front() == '0') || token.size() > 9) {
    throw PatchError{"path \"" + path + "\": \"" + token + "\" is not an array index"};
  }
  const std::size_t index = std::stoul(token);
  if (index > limit) throw PatchError{"path \"" + path + "\": index " + token + " is out of bounds"};
  return index;
}

// resolve is the existing value at tokens[0, count).
Json& resolve(Json& document, const std::vector<std::string>& tokens, std::size_t count,
              const std::string& path) {
  Json* node = &document;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string& token = tokens[i];
    if (node->is_object()) {
      auto it = node->find(token);
      if (it == node->end()) throw PatchError{"path \"" + path + "\": member \"" + token + "\" does not exist"};
      node = &*it;
    } else if (node->is_array()) {
      if (node->empty()) throw PatchError{"path \"" + path + "\": index " + token + " is out of bounds"};
      node = &(*node)[arrayIndex(token, node->size() - 1, path)];
    } else {
      throw PatchError{"path \"" + path + "\": cannot descend into a " + std::string(node->type_name())};
    }
  }
  return *node;
}

const Json& memberOf(const Json& op, const char* name) {
  auto it = op.find(name);
  if (it == op.end()) throw PatchError{std::string("missing \"") + name + "\""};
  return *it;
}

std::string pointerMember(const Json& op, const char* name) {
  const Json& value = memberOf(op, name);
  if (!value.is_string()) throw PatchError{std::string("\"") + name + "\" is not a string"};
  return value.get<std::string>();
}

void add(Json& document, const std::string& path, Json value) {
  auto tokens = tokensOf(path);
  if (tokens.empty()) {
    document = std::move(value);
    return;
  }
  Json& parent = resolve(document, tokens, tokens.size() - 1, path);
  const std::string& last = tokens.back();
  if (parent.is_object()) {
    parent[last] = std::move(value);
  } else if (parent.is_array()) {
    const std::size_t at = last == "-" ? parent.size() : arrayIndex(last, parent.size(), path);
    parent.insert(parent.begin() + static_cast<std::ptrdiff_t>(at), std::move(value));
  } else {
    throw PatchError{"path \"" + path + "\": the parent is a " + std::string(parent.type_name()) +
                     ", not an object or array"};
  }
}

Json remove(Json& document, const std::string& path) {
  auto tokens = tokensOf(path);
  if (tokens.empty()) throw PatchError{"cannot remove the whole document"};
  Json& parent = resolve(document, tokens, tokens.size() - 1, path);
  const std::string& last = tokens.back();
  if (parent.is_object()) {
    auto it = parent.find(last);
    if (it == parent.end()) throw PatchError{"path \"" + path + "\": member \"" + last + "\" does not exist"};
    Json removed = std::move(*it);
    parent.erase(it);
    return removed;
  }
  if (parent.is_array()) {
    if (parent.empty()) throw PatchError{"path \"" + path + "\": index " + last + " is out of bounds"};
    const std::size_t at = arrayIndex(last, parent.size() - 1, path);
    Json removed = std::move(parent[at]);
    parent.erase(parent.begin() + static_cast<std::ptrdiff_t>(at));
    return removed;
  }
  throw PatchError{"path \"" + path + "\": the parent is a " + std::string(parent.type_name()) +
                   ", not an object or array"};
}

void applyOne(Json& document, const Json& op) {
  if (!op.is_object()) throw PatchError{"an operation must be an object"};
  const std::string name = pointerMember(op, "op");
  const std::string path = pointerMember(op, "path");
  if (name == "add") {
    add(document, path, memberOf(op, "value"));
  } else if (name == "remove") {
    remove(document, path);
  } else if (name == "replace") {
    const Json& value = memberOf(op, "value");
    auto tokens = tokensOf(path);
    resolve(document, tokens, tokens.size(), path) = value;
  } else if (name == "move") {
    const std::string from = pointerMember(op, "from");
    if (path.size() > from.size() && path.compare(0, from.size(), from) == 0 && path[from.size()] == '/') {
      throw PatchError{"cannot move \"" + from + "\" into its own child \"" + path + "\""};
    }
    if (from == path) {
      auto tokens = tokensOf(from);
      resolve(document, tokens, tokens.size(), from);
      return;
    }
    add(document, path, remove(document, from));
  } else if (name == "copy") {
    const std::string from = pointerMember(op, "from");
    auto tokens = tokensOf(from);
    Json value = resolve(document, tokens, tokens.size(), from);
    add(document, path, std::move(value));
  } else if (name == "test") {
    const Json& value = memberOf(op, "value");
    auto tokens = tokensOf(path);
    if (resolve(document, tokens, tokens.size(), path) != value) {
      throw PatchError{"test failed: the value at \"" + path + "\" differs"};
    }
  } else {
    throw PatchError{"unknown op \"" + name + "\""};
  }
}

}  // namespace

Result<Json> applyJsonPatch(Json document, const Json& patch) {
  if (!patch.is_array()) return Error{"a JSON patch must be an array of operations"};
  for (std::size_t i = 0; i < patch.size(); ++i) {
    try {
      applyOne(document, patch[i]);
    } catch (const PatchError& e) {
      return Error{"JSON patch operation " + std::to_string(i) + ": " + e.message};
    }
  }
  return document;
}

}  // namespace sessiongate
