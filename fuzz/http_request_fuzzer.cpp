// Fuzzes the webhook's request head parser and chunked decoder (webhook/server/http_request.h,
// chunked_body.h), what every client byte goes through before any bound but the head's. Properties: a
// complete head lies within the buffer and the head bound and ends with an empty line; its path is the
// target's prefix and starts with '/'; a Content-Length is within the body bound and never together with
// chunked; the same bytes arriving in pieces (as the event loop sees them) give the same head, or are
// refused too; a chunked body decodes to the same bytes and stops at the same place whole or in pieces.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "webhook/server/chunked_body.h"
#include "webhook/server/http_request.h"

using namespace sessiongate::webhook;
using sessiongate::fuzz::fuzzCheck;

namespace {

constexpr std::size_t kMaxHead = 1024;
constexpr std::size_t kMaxBody = 4096;

// inPieces parses text as it would arrive in pieces of step bytes.
HeadParse inPieces(std::string_view text, std::size_t step) {
  HeadParse parse;
  std::size_t scanned = 0;
  for (std::size_t n = 0;; n = std::min(text.size(), n + step)) {
    parse = parseRequestHead(text.substr(0, n), kMaxHead, kMaxBody, scanned);
    if (parse.status != HeadParse::Status::Incomplete || n == text.size()) return parse;
    scanned = n;
  }
}

void checkChunked(std::string_view body) {
  ChunkedBody whole;
  std::string wholeBody;
  std::size_t wholeConsumed = 0;
  auto wholeStatus = whole.feed(body, wholeBody, wholeConsumed);
  fuzzCheck(wholeConsumed <= body.size(), "a chunked body consumes at most its input", body);
  fuzzCheck(wholeBody.size() <= body.size(), "decoded data is no larger than its input", body);
  ChunkedBody pieces;
  std::string piecesBody;
  std::size_t used = 0;
  auto status = ChunkedBody::Status::NeedMore;
  for (std::size_t at = 0; at < body.size() && status == ChunkedBody::Status::NeedMore; at += 3) {
    std::size_t consumed = 0;
    status = pieces.feed(body.substr(at, 3), piecesBody, consumed);
    used += consumed;
  }
  fuzzCheck(status == wholeStatus, "a chunked body decodes alike whole and in pieces", body);
  if (status != ChunkedBody::Status::Malformed) {
    fuzzCheck(piecesBody == wholeBody, "the same data whole and in pieces", body);
    fuzzCheck(used == wholeConsumed, "the body ends at the same byte whole and in pieces", body);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto whole = parseRequestHead(text, kMaxHead, kMaxBody);
  if (whole.status == HeadParse::Status::Complete) {
    const auto& head = whole.head;
    fuzzCheck(whole.headBytes <= text.size() && whole.headBytes <= kMaxHead, "a head lies within its bounds", text);
    fuzzCheck(text.substr(whole.headBytes - 4, 4) == "\r\n\r\n", "a head ends with an empty line", text);
    fuzzCheck(!head.path.empty() && head.path.front() == '/', "a path starts with /", text);
    fuzzCheck(head.target.compare(0, head.path.size(), head.path) == 0, "the path starts the target", text);
    fuzzCheck(head.contentLength <= kMaxBody, "a Content-Length within the body bound", text);
    fuzzCheck(!(head.chunked && head.contentLength > 0), "chunked never with a Content-Length", text);
    if (head.chunked) checkChunked(text.substr(whole.headBytes));
  } else if (whole.status == HeadParse::Status::Refused) {
    auto status = whole.refusal.status;
    fuzzCheck(status >= 400 && status < 600 && !whole.refusal.message.empty() && whole.refusal.message.back() == '\n',
              "a refusal is an error status with a message line", text);
  } else {
    fuzzCheck(text.size() < kMaxHead, "an incomplete head is under the head bound", text);
  }
  for (std::size_t step : {std::size_t{1}, std::size_t{7}}) {
    if (step == 1 && size > 2048) continue;
    auto pieces = inPieces(text, step);
    if (whole.status == HeadParse::Status::Refused) {
      fuzzCheck(pieces.status == HeadParse::Status::Refused, "refused whole, refused in pieces", text);
    } else {
      fuzzCheck(pieces.status == whole.status, "the same outcome whole and in pieces", text);
    }
    if (whole.status == HeadParse::Status::Complete) {
      fuzzCheck(pieces.headBytes == whole.headBytes && pieces.head.target == whole.head.target &&
                    pieces.head.headers == whole.head.headers && pieces.head.keepAlive == whole.head.keepAlive,
                "the same head whole and in pieces", text);
    }
  }
  return 0;
}
