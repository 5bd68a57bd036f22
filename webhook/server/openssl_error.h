#pragma once
// opensslReason pops the oldest error of this thread's OpenSSL error queue as text and clears the rest, for
// messages that say why a certificate, key or TLS setting was refused.
#include <string>

namespace sessiongate::webhook {

std::string opensslReason();

}  // namespace sessiongate::webhook
