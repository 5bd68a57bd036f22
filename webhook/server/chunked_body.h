#pragma once
// ChunkedBody decodes a `Transfer-Encoding: chunked` body as its bytes arrive. The API server never sends
// one, but HTTP/1.1 allows it, so it is decoded and bounded: the caller counts the bytes on the wire
// (framing included) against the body limit, so a body of tiny chunks or endless extensions is bounded
// like any other.
#include <cstddef>
#include <string>
#include <string_view>

namespace sessiongate::webhook {

// ChunkedBody is the decoding state of one chunked body.
class ChunkedBody {
 public:
  enum class Status { NeedMore, Done, Malformed };

  // feed decodes from input, appending the data to body; consumed says how much of input was used (all of
  // it unless Done, which leaves what follows the body, e.g. a pipelined request, unconsumed).
  Status feed(std::string_view input, std::string& body, std::size_t& consumed);

 private:
  enum class State { Size, SizeLine, Data, DataEnd, Trailer };
  State state_ = State::Size;
  std::size_t remaining_ = 0;  // of the current chunk's data
  bool sizeDigits_ = false;
  bool lastChunk_ = false;
  std::size_t lineBytes_ = 0;  // of the current trailer line
  bool sawCR_ = false;
};

}  // namespace sessiongate::webhook
