#include "webhook/server/chunked_body.h"

#include <algorithm>
#include <limits>

namespace sessiongate::webhook {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

ChunkedBody::Status ChunkedBody::feed(std::string_view input, std::string& body, std::size_t& consumed) {
  std::size_t at = 0;
  while (at < input.size()) {
    char c = input[at];
    switch (state_) {
      case State::Size: {
        int digit = hexValue(c);
        if (digit >= 0) {
          if (remaining_ > (std::numeric_limits<std::size_t>::max() >> 4)) return Status::Malformed;
          remaining_ = remaining_ * 16 + static_cast<std::size_t>(digit);
          sizeDigits_ = true;
          ++at;
          break;
        }
        if (!sizeDigits_) return Status::Malformed;
        state_ = State::SizeLine;  // extensions (";name=value") and the line's end
        sawCR_ = false;
        break;
      }
      case State::SizeLine:
        ++at;
        if (sawCR_) {
          if (c != '\n') return Status::Malformed;
          sizeDigits_ = false;
          lastChunk_ = remaining_ == 0;
          state_ = lastChunk_ ? State::Trailer : State::Data;
          lineBytes_ = 0;
          sawCR_ = false;
        } else if (c == '\r') {
          sawCR_ = true;
        } else if (c == '\n') {
          return Status::Malformed;
        }
        break;
      case State::Data: {
        auto take = std::min(remaining_, input.size() - at);
        body.append(input.substr(at, take));
        at += take;
        remaining_ -= take;
        if (remaining_ == 0) {
          state_ = State::DataEnd;
          sawCR_ = false;
        }
        break;
      }
      case State::DataEnd:
        ++at;
        if (!sawCR_) {
          if (c != '\r') return Status::Malformed;
          sawCR_ = true;
        } else {
          if (c != '\n') return Status::Malformed;
          state_ = State::Size;
        }
        break;
      case State::Trailer:  // trailer lines, ignored, until an empty line
        ++at;
        if (sawCR_) {
          if (c != '\n') return Status::Malformed;
          if (lineBytes_ == 0) {
            consumed = at;
            return Status::Done;
          }
          lineBytes_ = 0;
          sawCR_ = false;
        } else if (c == '\r') {
          sawCR_ = true;
        } else if (c == '\n') {
          return Status::Malformed;
        } else {
          ++lineBytes_;
        }
        break;
    }
  }
  consumed = at;
  return Status::NeedMore;
}

}  // namespace sessiongate::webhook
