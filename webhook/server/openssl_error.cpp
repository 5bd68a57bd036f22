#include "webhook/server/openssl_error.h"

#include <openssl/err.h>

namespace sessiongate::webhook {

std::string opensslReason() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "no OpenSSL reason";
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof(buffer));
  return buffer;
}

}  // namespace sessiongate::webhook
