#pragma once
// WatchEvent and WatchDecoder: a watch answer is newline-delimited JSON events ({"type":..., "object":...}),
// and the chunks of the HTTP stream split them anywhere; the decoder reassembles whole lines.
#include <functional>
#include <string>
#include <string_view>

#include "core/json.h"
#include "core/result.h"

namespace sessiongate::kube {

// WatchEventType is the type field of a watch event.
enum class WatchEventType { Added, Modified, Deleted, Bookmark, Error };

// toString renders the wire name: ADDED, MODIFIED, DELETED, BOOKMARK, ERROR.
const char* toString(WatchEventType type);

// WatchEvent is one event; for Error the object is a metav1.Status, for Bookmark an object carrying only
// metadata.resourceVersion.
struct WatchEvent {
  WatchEventType type = WatchEventType::Added;
  Json object;
};

// WatchDecoder buffers a partial line between chunks. Not thread-safe; one per stream.
class WatchDecoder {
 public:
  // DecodeStatus says whether to keep reading.
  enum class DecodeStatus { Continue, Stopped };

  // feed consumes a chunk and calls emit for every completed event, stopping when emit returns false; a line
  // that is not an event is an error naming it.
  Result<DecodeStatus> feed(std::string_view chunk, const std::function<bool(WatchEvent&&)>& emit);
  // pending is true while a partial event is buffered (a stream ending then was cut off).
  bool pending() const { return !buffer_.empty(); }

 private:
  std::string buffer_;
};

// parseWatchEvent decodes one line.
Result<WatchEvent> parseWatchEvent(std::string_view line);

}  // namespace sessiongate::kube
