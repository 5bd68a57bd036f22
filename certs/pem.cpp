#include "certs/pem.h"

#include <openssl/pem.h>

namespace sessiongate::certs {
namespace {

// bioText copies everything written to a memory BIO.
std::string bioText(BIO& bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(&bio, &data);
  return std::string(data, static_cast<std::size_t>(length));
}

BioPtr readOnlyBio(std::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

}  // namespace

Result<std::string> certificateToPem(X509& certificate) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), &certificate) != 1) {
    return Error{opensslError("cannot PEM-encode certificate")};
  }
  return bioText(*bio);
}

Result<std::string> privateKeyToPem(EVP_PKEY& key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), &key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Error{opensslError("cannot PEM-encode private key")};
  }
  return bioText(*bio);
}

Result<X509Ptr> certificateFromPem(std::string_view pem, std::string_view what) {
  BioPtr bio = readOnlyBio(pem);
  X509Ptr certificate(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!certificate) {
    return Error{opensslError(std::string(what) + " is not a PEM certificate")};
  }
  return certificate;
}

Result<PkeyPtr> privateKeyFromPem(std::string_view pem, std::string_view what) {
  BioPtr bio = readOnlyBio(pem);
  // An empty passphrase keeps OpenSSL from prompting on the terminal for an encrypted key.
  char empty[] = "";
  PkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, empty) : nullptr);
  if (!key) {
    return Error{opensslError(std::string(what) + " is not an unencrypted PEM private key")};
  }
  return key;
}

}  // namespace sessiongate::certs
