#include "webhook/server/request_limits.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace sessiongate::webhook {
namespace {

std::string lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string trimmed(const std::string& text) {
  auto begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return {};
  auto end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

}  // namespace

std::optional<Refusal> checkRequestHead(const httplib::Headers& headers, std::size_t maxBodyBytes) {
  for (auto [it, end] = headers.equal_range("Content-Encoding"); it != end; ++it) {
    auto value = lowered(trimmed(it->second));
    if (value != "identity" && !value.empty()) {
      return Refusal{415, "Content-Encoding \"" + it->second +
                              "\" is not accepted: send the AdmissionReview uncompressed\n"};
    }
  }
  bool chunked = false;
  for (auto [it, end] = headers.equal_range("Transfer-Encoding"); it != end; ++it) {
    if (lowered(trimmed(it->second)) != "chunked") {
      return Refusal{501, "Transfer-Encoding \"" + it->second +
                              "\" is not supported: send the body with a Content-Length\n"};
    }
    chunked = true;
  }
  auto lengths = headers.count("Content-Length");
  if (chunked && lengths > 0) {
    return Refusal{400, "both Transfer-Encoding and Content-Length are set: send only a Content-Length\n"};
  }
  if (lengths > 1) return Refusal{400, "more than one Content-Length header\n"};
  if (lengths == 1) {
    auto text = trimmed(headers.find("Content-Length")->second);
    unsigned long long length = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), length);
    if (ec != std::errc::result_out_of_range && (ec != std::errc() || ptr != text.data() + text.size() || text.empty()))
      return Refusal{400, "Content-Length \"" + text + "\" is not a number of bytes\n"};
    // Over maxBodyBytes: cpp-httplib reads and discards the body (never stores it) and answers 413 through
    // the error handler, within the stream's body deadline. Refusing here would close the connection while
    // the client is still sending, and a reset loses the answer.
    (void)length;
  }
  return std::nullopt;
}

}  // namespace sessiongate::webhook
