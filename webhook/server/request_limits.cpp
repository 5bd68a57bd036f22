#include "webhook/server/request_limits.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace sessiongate::webhook {
namespace {

bool sameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string lowered(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string bodyTooLargeMessage(std::size_t maxBodyBytes) {
  return "request body is larger than " + std::to_string(maxBodyBytes) + " bytes; the webhook does not accept it\n";
}

std::variant<BodyFraming, Refusal> checkRequestHead(
    const std::vector<std::pair<std::string, std::string>>& headers, std::size_t maxBodyBytes) {
  BodyFraming framing;
  const std::string* length = nullptr;
  std::size_t lengths = 0;
  for (const auto& [name, value] : headers) {
    if (sameName(name, "Content-Encoding")) {
      auto coding = lowered(value);
      if (!coding.empty() && coding != "identity") {
        return Refusal{415, "Content-Encoding \"" + value + "\" is not accepted: send the AdmissionReview uncompressed\n",
                       RefusalReason::ContentEncoding};
      }
    } else if (sameName(name, "Transfer-Encoding")) {
      if (lowered(value) != "chunked") {
        return Refusal{501, "Transfer-Encoding \"" + value + "\" is not supported: send the body with a Content-Length\n",
                       RefusalReason::TransferEncoding};
      }
      framing.chunked = true;
    } else if (sameName(name, "Content-Length")) {
      length = &value;
      ++lengths;
    }
  }
  if (framing.chunked && lengths > 0) {
    return Refusal{400, "both Transfer-Encoding and Content-Length are set: send only a Content-Length\n",
                   RefusalReason::BadRequest};
  }
  if (lengths > 1) return Refusal{400, "more than one Content-Length header\n", RefusalReason::BadRequest};
  if (length != nullptr) {
    unsigned long long value = 0;
    const char* end = length->data() + length->size();
    auto [ptr, ec] = std::from_chars(length->data(), end, value);
    bool digits = !length->empty() && std::all_of(length->begin(), length->end(),
                                                  [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || (ec != std::errc() && ec != std::errc::result_out_of_range) || ptr != end) {
      return Refusal{400, "Content-Length \"" + *length + "\" is not a number of bytes\n", RefusalReason::BadRequest};
    }
    if (ec == std::errc::result_out_of_range || value > maxBodyBytes) {
      return Refusal{413, bodyTooLargeMessage(maxBodyBytes), RefusalReason::BodyTooLarge};
    }
    framing.contentLength = static_cast<std::size_t>(value);
  }
  return framing;
}

}  // namespace sessiongate::webhook
