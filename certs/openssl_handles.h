#pragma once
// Owning handles for the OpenSSL objects the certs component uses, and opensslError(), which turns the
// OpenSSL error queue into a message. Only certs/ and tests include this header.
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <string_view>

namespace sessiongate::certs {

// OpenSslDeleter frees one OpenSSL object with its matching _free function.
template <typename T, void (*Free)(T*)>
struct OpenSslDeleter {
  void operator()(T* p) const { Free(p); }
};

// PkeyPtr owns an EVP_PKEY.
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY, EVP_PKEY_free>>;
// X509Ptr owns an X509 certificate.
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509, X509_free>>;
// BioPtr owns a BIO.
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO, BIO_free_all>>;
// BignumPtr owns a BIGNUM.
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslDeleter<BIGNUM, BN_free>>;
// ExtensionPtr owns an X509_EXTENSION.
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpenSslDeleter<X509_EXTENSION, X509_EXTENSION_free>>;

// opensslError returns "what: reason" with the oldest queued OpenSSL reason, and clears the queue.
inline std::string opensslError(std::string_view what) {
  std::string message(what);
  unsigned long code = ERR_get_error();
  if (code != 0) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    message += ": ";
    message += buffer;
  }
  ERR_clear_error();
  return message;
}

}  // namespace sessiongate::certs
