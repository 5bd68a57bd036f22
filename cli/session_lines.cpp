#include "cli/session_lines.h"

#include "core/object_meta.h"

namespace sessiongate::cli {
namespace {

// Line keeps keys in insertion order, so "event" comes first on every line.
using Line = nlohmann::ordered_json;

const Json& field(const Json& object, std::string_view key) {
  static const Json null;
  if (!object.is_object()) return null;
  auto it = object.find(key);
  return it == object.end() ? null : *it;
}

std::string text(const Json& value) {
  return value.is_string() ? value.get<std::string>() : std::string();
}

std::string render(const Line& line) {
  return line.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// copyString copies a non-empty string field of from into line under the same key.
void copyString(Line& line, const Json& from, std::string_view key) {
  std::string value = text(field(from, key));
  if (!value.empty()) line[std::string(key)] = value;
}

}  // namespace

std::string createdLine(const Json& session) {
  const Json& spec = field(session, "spec");
  Line line;
  line["event"] = "created";
  line["name"] = std::string(metaOf(session).name());
  line["user"] = text(field(spec, "user"));
  line["profile"] = text(field(spec, "profile"));
  return render(line);
}

std::string statusLine(const Json& session) {
  const Json& status = field(session, "status");
  if (!status.is_object() || status.empty()) return {};
  Line line;
  line["event"] = "status";
  line["name"] = std::string(metaOf(session).name());
  for (std::string_view key : {"phase", "message", "namespace", "expiresAt", "lastActivity"})
    copyString(line, status, key);
  const Json& conditions = field(status, "conditions");
  if (conditions.is_array() && !conditions.empty()) {
    Line byType = Line::object();
    for (const Json& condition : conditions) {
      std::string type = text(field(condition, "type"));
      if (!type.empty()) byType[type] = text(field(condition, "status"));
    }
    line["conditions"] = byType;
  }
  const Json& exposure = field(status, "publicExposure");
  if (exposure.is_object()) {
    Line exposed = Line::object();
    copyString(exposed, exposure, "phase");
    copyString(exposed, exposure, "message");
    copyString(exposed, exposure, "externalIP");
    const Json& ports = field(exposure, "ports");
    if (ports.is_array() && !ports.empty()) exposed["ports"] = Line::parse(ports.dump());
    line["publicExposure"] = exposed;
  }
  return render(line);
}

std::string deletingLine(std::string_view name, std::string_view reason) {
  Line line;
  line["event"] = "deleting";
  line["name"] = std::string(name);
  line["reason"] = std::string(reason);
  return render(line);
}

std::string deletedLine(std::string_view name) {
  Line line;
  line["event"] = "deleted";
  line["name"] = std::string(name);
  return render(line);
}

std::string keptLine(std::string_view name, std::string_view reason) {
  Line line;
  line["event"] = "kept";
  line["name"] = std::string(name);
  line["reason"] = std::string(reason);
  return render(line);
}

std::string endedLine(std::string_view name, std::string_view reason) {
  Line line;
  line["event"] = "ended";
  line["name"] = std::string(name);
  line["reason"] = std::string(reason);
  return render(line);
}

std::string refusedLine(int code, std::string_view reason, std::string_view message) {
  Line line;
  line["event"] = "refused";
  line["code"] = code;
  line["reason"] = std::string(reason);
  line["message"] = std::string(message);
  return render(line);
}

std::string StatusPrinter::next(const Json& session) {
  std::string line = statusLine(session);
  if (line.empty() || line == last_) return {};
  last_ = line;
  return line;
}

}  // namespace sessiongate::cli
