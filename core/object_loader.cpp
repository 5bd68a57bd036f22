#include "core/object_loader.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <regex>
#include <sstream>

#include "core/file_text.h"

namespace sessiongate {
namespace {

// ConversionError is a YAML node that has no JSON equivalent.
struct ConversionError {
  int line;
  std::string message;
};

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string located(std::string_view source, int line, std::string_view message) {
  return std::string(source) + ":" + std::to_string(line) + ": " + std::string(message);
}

// tooLargeNumber is the message for a number no JSON number holds, its text cut at 40 characters.
std::string tooLargeNumber(const std::string& text) {
  return "the number " + text.substr(0, 40) + (text.size() > 40 ? "..." : "") +
         " is too large for a 64-bit float; quote it if it is meant as a string";
}

// floatScalar is a float as strtod reads it. A magnitude past the largest double is refused, since JSON has
// no infinity and kubectl would send the API server a string instead; one below the smallest reads as 0 or a
// subnormal, as Go's ParseFloat does.
Json floatScalar(const std::string& text, int line) {
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || (errno == ERANGE && std::isinf(value))) {
    throw ConversionError{line, tooLargeNumber(text)};
  }
  return Json(value);
}

Json integerScalar(const std::string& text, int base, int line) {
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (base != 10) digits.remove_prefix(2);  // 0o or 0x
  std::uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  if (ec == std::errc() && end == digits.data() + digits.size()) {
    if (!negative) {
      if (magnitude <= static_cast<std::uint64_t>(INT64_MAX))
        return Json(static_cast<std::int64_t>(magnitude));
      return Json(magnitude);
    }
    if (magnitude <= static_cast<std::uint64_t>(INT64_MAX) + 1)
      return Json(static_cast<std::int64_t>(0 - magnitude));
  }
  if (base != 10) {
    throw ConversionError{line, "the integer " + text.substr(0, 40) + (text.size() > 40 ? "..." : "") +
                                    " is too large for 64 bits; quote it if it is meant as a string"};
  }
  // A decimal too large for 64 bits is a float, as other YAML readers read it.
  return floatScalar(text, line);
}

// plainScalar types an untagged plain scalar by YAML 1.2's core schema; inf and nan, which JSON cannot hold,
// stay strings. line is the scalar's line, for a number no JSON number can hold.
Json plainScalar(const std::string& s, int line) {
  static const std::regex kInt10("[-+]?[0-9]+");
  static const std::regex kInt8("0o[0-7]+");
  static const std::regex kInt16("0x[0-9a-fA-F]+");
  static const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (std::regex_match(s, kInt10)) return integerScalar(s, 10, line);
  if (std::regex_match(s, kInt8)) return integerScalar(s, 8, line);
  if (std::regex_match(s, kInt16)) return integerScalar(s, 16, line);
  if (std::regex_match(s, kFloat)) return floatScalar(s, line);
  return s;
}

// firstInvalidUtf8 is the offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF), or npos. yaml-cpp passes such bytes through into
// strings that nlohmann::json then refuses to serialise, so the loader refuses them first, as kubectl does.
std::size_t firstInvalidUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    const unsigned char c = bytes[i];
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;   // no overlong forms
      if (c == 0xED) high = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;   // no overlong forms
      if (c == 0xF4) high = 0x8F;  // nothing above U+10FFFF
    } else {
      return i;
    }
    if (i + length > size) return i;
    if (bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (std::size_t k = 2; k < length; ++k) {
      if (bytes[i + k] < 0x80 || bytes[i + k] > 0xBF) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

// readText is a scalar's text as yaml-cpp decoded it, refused when that is not valid UTF-8: the file's
// bytes are checked before parsing, but yaml-cpp can still make invalid bytes (it reads a NUL followed by N
// as the single byte 0x85), which nlohmann::json would refuse to serialise wherever the value is printed.
const std::string& readText(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (std::size_t bad = firstInvalidUtf8(text); bad != std::string_view::npos) {
    char hex[8];
    std::snprintf(hex, sizeof(hex), "0x%02X", static_cast<unsigned char>(text[bad]));
    throw ConversionError{node.Mark().line + 1,
                          std::string("a string is not valid UTF-8 once read as YAML (byte ") + hex +
                              " at offset " + std::to_string(bad) +
                              " of the string); remove control characters such as NUL"};
  }
  return text;
}

Json scalar(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  const std::string& text = readText(node);
  if (tag == "?") return plainScalar(text, node.Mark().line + 1);
  const std::string_view core = "tag:yaml.org,2002:";
  if (tag.rfind(core, 0) == 0 && tag != "tag:yaml.org,2002:str") {
    Json typed = plainScalar(text, node.Mark().line + 1);
    if (!typed.is_string()) return typed;
  }
  return text;  // quoted ("!"), !!str, or an application tag
}

Json toJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      return scalar(node);
    case YAML::NodeType::Sequence: {
      Json array = Json::array();
      for (const auto& item : node) array.push_back(toJson(item));
      return array;
    }
    case YAML::NodeType::Map: {
      Json object = Json::object();
      for (const auto& entry : node) {
        if (!entry.first.IsScalar()) {
          throw ConversionError{entry.first.Mark().line + 1, "mapping keys must be strings"};
        }
        object[readText(entry.first)] = toJson(entry.second);
      }
      return object;
    }
  }
  return nullptr;
}

// addObject appends a document's object, flattening `kind: List`.
Result<bool> addObject(Json object, std::string_view source, int line, std::vector<SourcedObject>& out) {
  if (!object.is_object()) {
    return Error{located(
        source, line,
        "expected an object (a mapping with apiVersion and kind), found " + std::string(object.type_name()))};
  }
  auto kind = object.find("kind");
  auto items = object.find("items");
  if (kind != object.end() && *kind == "List" && items != object.end() && items->is_array()) {
    for (std::size_t i = 0; i < items->size(); ++i) {
      if (!(*items)[i].is_object()) {
        return Error{located(source, line, "items[" + std::to_string(i) + "] of a List is not an object")};
      }
      out.push_back({std::move((*items)[i]), std::string(source) + ":" + std::to_string(line)});
    }
    return true;
  }
  out.push_back({std::move(object), std::string(source) + ":" + std::to_string(line)});
  return true;
}

int lineOfByte(std::string_view text, std::size_t byte) {
  byte = std::min(byte, text.size());
  return 1 +
         static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(byte), '\n'));
}

// DocumentStarts records where each document of a YAML stream starts, and nothing else.
class DocumentStarts : public YAML::EventHandler {
 public:
  YAML::Mark start;
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
  }
  void OnMapEnd() override {}
};

// stuckDocument is where yaml-cpp 0.7's parser stops making progress, if it does. On some malformed streams
// (a line that starts with ",", e.g. "- a\n,\n") its LoadAll returns the same empty document forever,
// allocating until the process dies (jbeder/yaml-cpp#1040, fixed after 0.7 by #1319). This first pass sees
// only where documents start: one starting where the previous one did is that loop.
std::optional<YAML::Mark> stuckDocument(std::string_view text) {
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  DocumentStarts starts;
  std::optional<int> previous;
  while (parser.HandleNextDocument(starts)) {
    if (previous == starts.start.pos) return starts.start;
    previous = starts.start.pos;
  }
  return std::nullopt;
}

Result<std::vector<SourcedObject>> parseYaml(std::string_view text, std::string_view source) {
  if (std::size_t bad = firstInvalidUtf8(text); bad != std::string_view::npos) {
    char hex[8];
    std::snprintf(hex, sizeof(hex), "0x%02X", static_cast<unsigned char>(text[bad]));
    return Error{located(source, lineOfByte(text, bad),
                         std::string("not valid UTF-8 (byte ") + hex + " at offset " + std::to_string(bad) +
                             "); save the file as UTF-8")};
  }
  std::vector<SourcedObject> out;
  std::vector<YAML::Node> documents;
  try {
    if (auto stuck = stuckDocument(text)) {
      return Error{located(source, stuck->line + 1,
                           "cannot be parsed from column " + std::to_string(stuck->column + 1) + " on")};
    }
    documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    return Error{located(source, e.mark.line + 1, e.msg)};
  }
  for (const auto& document : documents) {
    if (document.IsNull()) continue;  // an empty document, e.g. after a trailing ---
    const int line = document.Mark().line + 1;
    Json object;
    try {
      object = toJson(document);
    } catch (const ConversionError& e) {
      return Error{located(source, e.line, e.message)};
    }
    auto added = addObject(std::move(object), source, line, out);
    if (!added) return Error{added.error()};
  }
  return out;
}

Result<std::vector<SourcedObject>> parseJson(std::string_view text, std::string_view source) {
  std::vector<SourcedObject> out;
  Json document;
  try {
    document = Json::parse(text);
  } catch (const Json::parse_error& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line 3, column 5: <reason>".
    std::string reason = e.what();
    if (auto column = reason.find(", column "); column != std::string::npos) {
      if (auto colon = reason.find(": ", column); colon != std::string::npos)
        reason = reason.substr(colon + 2);
    }
    return Error{located(source, lineOfByte(text, e.byte == 0 ? 0 : e.byte - 1), reason)};
  } catch (const Json::out_of_range& e) {
    // A number past the largest double: "[json.exception.out_of_range.406] number overflow parsing '<text>'",
    // with no position; the line is where that text first appears.
    const std::string what = e.what();
    const auto quote = what.find('\'');
    const std::string number =
        quote == std::string::npos ? std::string() : what.substr(quote + 1, what.size() - quote - 2);
    const auto at = number.empty() ? std::string_view::npos : text.find(number);
    return Error{
        located(source, at == std::string_view::npos ? 1 : lineOfByte(text, at), tooLargeNumber(number))};
  }
  if (document.is_array()) {
    for (auto& item : document) {
      auto added = addObject(std::move(item), source, 1, out);
      if (!added) return Error{added.error()};
    }
    return out;
  }
  auto added = addObject(std::move(document), source, 1, out);
  if (!added) return Error{added.error()};
  return out;
}

bool isObjectFile(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

Result<std::vector<SourcedObject>> loadFile(const std::filesystem::path& file) {
  auto text = fileText(file);
  if (!text) return Error{file.string() + ": cannot be read"};
  return parseSourcedObjects(*text, file.string());
}

}  // namespace

Result<std::vector<SourcedObject>> parseSourcedObjects(std::string_view text, std::string_view sourceName) {
  if (endsWith(sourceName, ".json")) return parseJson(text, sourceName);
  return parseYaml(text, sourceName);
}

Result<std::vector<Json>> parseObjects(std::string_view text, std::string_view sourceName) {
  auto sourced = parseSourcedObjects(text, sourceName);
  if (!sourced) return Error{sourced.error()};
  std::vector<Json> objects;
  for (auto& s : *sourced) objects.push_back(std::move(s.object));
  return objects;
}

Result<bool> forEachSourcedObject(const std::filesystem::path& fileOrDir, const ObjectVisitor& visit) {
  std::error_code ec;
  const auto status = std::filesystem::status(fileOrDir, ec);
  if (ec || !std::filesystem::exists(status))
    return Error{fileOrDir.string() + ": no such file or directory"};
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(status)) {
    for (const auto& entry : std::filesystem::directory_iterator(fileOrDir, ec)) {
      if (entry.is_regular_file() && isObjectFile(entry.path())) files.push_back(entry.path());
    }
    if (ec) return Error{fileOrDir.string() + ": cannot list the folder: " + ec.message()};
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(fileOrDir);
  }
  for (const auto& file : files) {
    auto loaded = loadFile(file);
    if (!loaded) return Error{loaded.error()};
    for (auto& o : *loaded) {
      auto visited = visit(std::move(o));
      if (!visited) return Error{visited.error()};
    }
  }
  return true;
}

Result<std::vector<SourcedObject>> loadSourcedObjects(const std::filesystem::path& fileOrDir) {
  std::vector<SourcedObject> all;
  auto loaded = forEachSourcedObject(fileOrDir, [&all](SourcedObject o) -> Result<bool> {
    all.push_back(std::move(o));
    return true;
  });
  if (!loaded) return Error{loaded.error()};
  return all;
}

Result<std::vector<Json>> loadObjects(const std::filesystem::path& fileOrDir) {
  auto sourced = loadSourcedObjects(fileOrDir);
  if (!sourced) return Error{sourced.error()};
  std::vector<Json> objects;
  for (auto& s : *sourced) objects.push_back(std::move(s.object));
  return objects;
}

}  // namespace sessiongate
