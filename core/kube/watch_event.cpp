#include "core/kube/watch_event.h"

namespace sessiongate::kube {

const char* toString(WatchEventType type) {
  switch (type) {
    case WatchEventType::Added:
      return "ADDED";
    case WatchEventType::Modified:
      return "MODIFIED";
    case WatchEventType::Deleted:
      return "DELETED";
    case WatchEventType::Bookmark:
      return "BOOKMARK";
    case WatchEventType::Error:
      return "ERROR";
  }
  return "ERROR";
}

Result<WatchEvent> parseWatchEvent(std::string_view line) {
  auto shown = [&] { return std::string(line.substr(0, 200)); };
  Json j = Json::parse(line, nullptr, false);
  if (!j.is_object()) return Error{"watch stream: an event is not JSON: " + shown()};
  auto type = j.find("type");
  auto object = j.find("object");
  if (type == j.end() || !type->is_string() || object == j.end() || !object->is_object()) {
    return Error{"watch stream: an event lacks type or object: " + shown()};
  }
  static const std::pair<const char*, WatchEventType> kTypes[] = {
      {"ADDED", WatchEventType::Added},     {"MODIFIED", WatchEventType::Modified},
      {"DELETED", WatchEventType::Deleted}, {"BOOKMARK", WatchEventType::Bookmark},
      {"ERROR", WatchEventType::Error},
  };
  const std::string& name = type->get_ref<const std::string&>();
  for (const auto& [wire, value] : kTypes) {
    if (name == wire) return WatchEvent{value, std::move(*object)};
  }
  return Error{"watch stream: unknown event type \"" + name + "\""};
}

Result<WatchDecoder::DecodeStatus> WatchDecoder::feed(std::string_view chunk,
                                                      const std::function<bool(WatchEvent&&)>& emit) {
  buffer_.append(chunk);
  std::size_t start = 0;
  DecodeStatus status = DecodeStatus::Continue;
  while (status == DecodeStatus::Continue) {
    std::size_t end = buffer_.find('\n', start);
    if (end == std::string::npos) break;
    std::string_view line(buffer_.data() + start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \r\t") == std::string_view::npos) continue;
    auto event = parseWatchEvent(line);
    if (!event) {
      buffer_.erase(0, start);
      return Error{event.error()};
    }
    if (!emit(std::move(*event))) status = DecodeStatus::Stopped;
  }
  buffer_.erase(0, start);
  return status;
}

}  // namespace sessiongate::kube
