#pragma once
// HttpResponse is an answer of the webhook and its HTTP/1.1 wire form.
#include <string>

namespace sessiongate::webhook {

struct HttpResponse {
  int status = 200;
  std::string contentType = "text/plain; charset=utf-8";
  std::string body;
};

// serializeResponse is the status line, Content-Type, Content-Length, Connection and the body. close says
// `Connection: close` (the connection ends after this answer); otherwise `Connection: keep-alive`.
std::string serializeResponse(const HttpResponse& response, bool close);

// reasonPhrase is the standard reason phrase of status, e.g. "Payload Too Large" for 413.
const char* reasonPhrase(int status);

}  // namespace sessiongate::webhook
