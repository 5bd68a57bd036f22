#include "webhook/server/http_request.h"

#include <algorithm>
#include <cctype>

namespace sessiongate::webhook {
namespace {

bool isTokenChar(unsigned char c) {
  if (std::isalnum(c)) return true;
  static constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
  return c != 0 && extra.find(static_cast<char>(c)) != std::string_view::npos;
}

bool isToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return isTokenChar(static_cast<unsigned char>(c)); });
}

bool isFieldValueChar(unsigned char c) {
  return c == '\t' || (c >= 0x20 && c != 0x7f);
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// quoted is text for a message: at most 64 bytes, anything but printable ASCII as '?'.
std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text.substr(0, 64)) out += (c >= 0x20 && c < 0x7f && c != '"') ? c : '?';
  return out + (text.size() > 64 ? "...\"" : "\"");
}

HeadParse refused(int status, std::string message, RefusalReason reason = RefusalReason::BadRequest) {
  HeadParse parse;
  parse.status = HeadParse::Status::Refused;
  parse.refusal = Refusal{status, std::move(message), reason};
  return parse;
}

std::string headTooLargeMessage(std::size_t maxHeadBytes) {
  return "request line and headers are larger than " + std::to_string(maxHeadBytes) +
         " bytes; the webhook does not accept them\n";
}

// parseRequestLine fills method, target, path and version; an error message otherwise.
std::optional<HeadParse> parseRequestLine(std::string_view line, HttpRequestHead& head) {
  const std::string expected = ": expected METHOD /path HTTP/1.1\n";
  auto firstSpace = line.find(' ');
  auto lastSpace = line.rfind(' ');
  if (firstSpace == std::string_view::npos || firstSpace == lastSpace) {
    return refused(400, "malformed request line " + quoted(line) + expected);
  }
  auto method = line.substr(0, firstSpace);
  auto target = line.substr(firstSpace + 1, lastSpace - firstSpace - 1);
  auto version = line.substr(lastSpace + 1);
  if (!isToken(method) || target.empty() ||
      !std::all_of(target.begin(), target.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
    return refused(400, "malformed request line " + quoted(line) + expected);
  }
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || !std::isdigit(static_cast<unsigned char>(version[5])) ||
      version[6] != '.' || !std::isdigit(static_cast<unsigned char>(version[7]))) {
    return refused(400, "malformed request line " + quoted(line) + expected);
  }
  if (version[5] != '1') {
    return refused(505, "HTTP version " + quoted(version) + " is not supported: send HTTP/1.1\n");
  }
  if (target.front() != '/') {
    return refused(400, "request target " + quoted(target) + " is not a path: send e.g. POST /validate\n");
  }
  head.method = std::string(method);
  head.target = std::string(target);
  head.path = std::string(target.substr(0, target.find('?')));
  head.minorVersion = version[7] - '0';
  head.keepAlive = head.minorVersion >= 1;
  return std::nullopt;
}

// applyConnection reads the tokens of a Connection header.
void applyConnection(std::string_view value, HttpRequestHead& head) {
  while (!value.empty()) {
    auto comma = value.find(',');
    auto token = trimmed(value.substr(0, comma));
    if (equalsIgnoringCase(token, "close")) head.keepAlive = false;
    else if (equalsIgnoringCase(token, "keep-alive") && head.minorVersion == 0) head.keepAlive = true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

}  // namespace

std::optional<std::string_view> HttpRequestHead::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (equalsIgnoringCase(key, name)) return std::string_view(value);
  return std::nullopt;
}

HeadParse parseRequestHead(std::string_view buffer, std::size_t maxHeadBytes, std::size_t maxBodyBytes,
                           std::size_t searchFrom) {
  auto window = buffer.substr(0, std::min(buffer.size(), maxHeadBytes));
  auto end = window.find("\r\n\r\n", searchFrom > 3 ? searchFrom - 3 : 0);
  if (end == std::string_view::npos) {
    if (buffer.size() >= maxHeadBytes) return refused(431, headTooLargeMessage(maxHeadBytes), RefusalReason::HeadTooLarge);
    // A bare line feed is never part of a valid head: refuse it now rather than at the head's deadline.
    for (auto at = window.find('\n', searchFrom); at != std::string_view::npos; at = window.find('\n', at + 1)) {
      if (at == 0 || window[at - 1] != '\r') return refused(400, "a line of the request head does not end with CRLF\n");
    }
    return {};
  }
  auto text = buffer.substr(0, end + 2);  // every line with its CRLF
  HeadParse parse;
  std::size_t lineStart = 0;
  bool first = true;
  while (lineStart < text.size()) {
    auto lineEnd = text.find("\r\n", lineStart);
    auto line = text.substr(lineStart, lineEnd - lineStart);
    lineStart = lineEnd + 2;
    if (line.find('\n') != std::string_view::npos || line.find('\r') != std::string_view::npos) {
      return refused(400, "a line of the request head does not end with CRLF\n");
    }
    if (first) {
      first = false;
      if (auto refusal = parseRequestLine(line, parse.head)) return *refusal;
      continue;
    }
    if (line.front() == ' ' || line.front() == '\t') {
      return refused(400, "header line folding (a line starting with a space or tab) is not accepted\n");
    }
    auto colon = line.find(':');
    auto name = line.substr(0, colon);
    if (colon == std::string_view::npos || !isToken(name)) {
      return refused(400, "malformed header line " + quoted(line) + ": expected Name: value\n");
    }
    auto value = trimmed(line.substr(colon + 1));
    if (!std::all_of(value.begin(), value.end(), [](char c) { return isFieldValueChar(static_cast<unsigned char>(c)); })) {
      return refused(400, "header " + quoted(name) + " has a control character in its value\n");
    }
    if (equalsIgnoringCase(name, "Connection")) applyConnection(value, parse.head);
    parse.head.headers.emplace_back(name, value);
  }
  if (parse.head.minorVersion >= 1 && !parse.head.header("Host")) {
    return refused(400, "an HTTP/1.1 request needs a Host header\n");
  }
  auto framing = checkRequestHead(parse.head.headers, maxBodyBytes);
  if (auto* refusal = std::get_if<Refusal>(&framing)) {
    parse.status = HeadParse::Status::Refused;
    parse.refusal = std::move(*refusal);
    return parse;
  }
  parse.head.chunked = std::get<BodyFraming>(framing).chunked;
  parse.head.contentLength = std::get<BodyFraming>(framing).contentLength;
  parse.status = HeadParse::Status::Complete;
  parse.headBytes = end + 4;
  return parse;
}

}  // namespace sessiongate::webhook
