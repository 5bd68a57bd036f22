#include "tls_probe.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

namespace sessiongate::webhook::testing {
namespace {

std::string lastError(const std::string& what) {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  char buffer[256] = "no OpenSSL reason";
  if (code != 0) ERR_error_string_n(code, buffer, sizeof(buffer));
  return what + ": " + buffer;
}

int connectLoopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

ProbeResult probeTls(int port, const ProbeOptions& options) {
  ProbeResult result;
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
  SSL_CTX_set_max_proto_version(ctx.get(), options.maxVersion);
  if (options.maxVersion < TLS1_2_VERSION) {
    // OpenSSL 3 refuses TLS 1.0 and 1.1 itself at the default security level; the probe must offer them.
    SSL_CTX_set_min_proto_version(ctx.get(), TLS1_VERSION);
    SSL_CTX_set_cipher_list(ctx.get(), "DEFAULT:@SECLEVEL=0");
  }
  SSL_CTX_load_verify_locations(ctx.get(), options.caFile.c_str(), nullptr);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  if (options.clientCertFile && options.clientKeyFile) {
    SSL_CTX_use_certificate_chain_file(ctx.get(), options.clientCertFile->c_str());
    SSL_CTX_use_PrivateKey_file(ctx.get(), options.clientKeyFile->c_str(), SSL_FILETYPE_PEM);
  }
  int fd = connectLoopback(port);
  if (fd < 0) {
    result.error = "cannot connect";
    return result;
  }
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
  SSL_set_fd(ssl.get(), fd);
  SSL_set1_host(ssl.get(), "127.0.0.1");
  if (SSL_connect(ssl.get()) != 1) {
    result.error = lastError("handshake failed");
  } else {
    result.protocol = SSL_get_version(ssl.get());
    if (X509* peer = SSL_get0_peer_certificate(ssl.get())) {
      char cn[256] = "";
      X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, cn, sizeof(cn));
      result.peerCommonName = cn;
      BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get_serialNumber(peer), nullptr);
      char* hex = BN_bn2hex(bn);
      result.peerSerialHex = hex;
      OPENSSL_free(hex);
      BN_free(bn);
    }
    result.ok = true;
    if (options.sendRequest) {
      std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
      char buffer[512];
      int n = SSL_write(ssl.get(), request.data(), static_cast<int>(request.size()));
      if (n > 0) n = SSL_read(ssl.get(), buffer, sizeof(buffer));
      if (n > 0) {
        result.response.assign(buffer, static_cast<std::size_t>(n));
      } else {
        result.ok = false;
        result.error = lastError("request failed");
      }
    }
    SSL_shutdown(ssl.get());
  }
  ::close(fd);
  return result;
}

}  // namespace sessiongate::webhook::testing
