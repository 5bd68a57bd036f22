// ws_client: the WebSocket client of the broker e2e (RFC 6455, text frames only), as a user's browser would
// connect to `websocketd ... sessiongatectl session open`.
//
// usage: ws_client ws://HOST:PORT/PATH
// Connects, checks the handshake (101 and Sec-WebSocket-Accept), prints every text message the server sends as
// one line on stdout (flushed, so the test reads them as they come) and, when its own stdin ends, sends a close
// frame and shuts its side down. Exits 0 once the server has closed the connection, 1 on a handshake or protocol
// error, 2 on bad usage. Every wait is bounded: 600 s without any traffic ends the client.
#include <netdb.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
constexpr int kIdleMillis = 600 * 1000;

int fail(const std::string& what) {
  std::fprintf(stderr, "ws_client: %s\n", what.c_str());
  return 1;
}

std::string base64(const unsigned char* data, int size) {
  std::string out(static_cast<std::size_t>(4 * ((size + 2) / 3)), '\0');
  int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, size);
  out.resize(static_cast<std::size_t>(written));
  return out;
}

struct Url {
  std::string host, port, path;
};

std::optional<Url> parseUrl(std::string_view url) {
  constexpr std::string_view scheme = "ws://";
  if (url.substr(0, scheme.size()) != scheme) return std::nullopt;
  url.remove_prefix(scheme.size());
  Url u;
  auto slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  u.path = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
  auto colon = authority.rfind(':');
  u.host = std::string(authority.substr(0, colon));
  u.port = colon == std::string_view::npos ? "80" : std::string(authority.substr(colon + 1));
  if (u.host.empty() || u.port.empty()) return std::nullopt;
  return u;
}

int connectTo(const Url& u) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(u.host.c_str(), u.port.c_str(), &hints, &found) != 0) return -1;
  int fd = -1;
  for (addrinfo* a = found; a && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  return fd;
}

// waitReadable: the fd has bytes (or EOF) within the idle bound.
bool waitReadable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, kIdleMillis) == 1;
}

bool sendAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Reader buffers the socket: the handshake's answer may arrive in the same segment as the first frame.
struct Reader {
  int fd;
  std::string buffered;
  bool eof = false;

  bool fill() {
    if (!waitReadable(fd)) return false;
    char chunk[4096];
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) {
      eof = true;
      return false;
    }
    buffered.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
  // exactly n bytes, or nullopt when the connection ended first.
  std::optional<std::string> take(std::size_t n) {
    while (buffered.size() < n) {
      if (!fill()) return std::nullopt;
    }
    std::string out = buffered.substr(0, n);
    buffered.erase(0, n);
    return out;
  }
};

std::string frame(std::uint8_t opcode, std::string_view payload) {
  std::string out;
  out += static_cast<char>(0x80 | opcode);
  if (payload.size() < 126) {
    out += static_cast<char>(0x80 | payload.size());
  } else {
    out += static_cast<char>(0x80 | 126);
    out += static_cast<char>((payload.size() >> 8) & 0xff);
    out += static_cast<char>(payload.size() & 0xff);
  }
  std::array<unsigned char, 4> mask{};
  RAND_bytes(mask.data(), static_cast<int>(mask.size()));
  out.append(reinterpret_cast<const char*>(mask.data()), mask.size());
  for (std::size_t i = 0; i < payload.size(); ++i) out += static_cast<char>(payload[i] ^ mask[i % 4]);
  return out;
}

int handshake(int fd, const Url& u, Reader& reader) {
  std::array<unsigned char, 16> nonce{};
  RAND_bytes(nonce.data(), static_cast<int>(nonce.size()));
  std::string key = base64(nonce.data(), static_cast<int>(nonce.size()));
  std::string request = "GET " + u.path + " HTTP/1.1\r\nHost: " + u.host + ":" + u.port +
                        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
                        "\r\nSec-WebSocket-Version: 13\r\n\r\n";
  if (!sendAll(fd, request)) return fail("cannot send the handshake");
  std::size_t end;
  while ((end = reader.buffered.find("\r\n\r\n")) == std::string::npos) {
    if (!reader.fill()) return fail("connection closed during the handshake");
    if (reader.buffered.size() > 65536) return fail("handshake answer too long");
  }
  std::string head = reader.buffered.substr(0, end + 2);
  reader.buffered.erase(0, end + 4);
  if (head.rfind("HTTP/1.1 101", 0) != 0) return fail("handshake refused: " + head.substr(0, head.find('\r')));
  std::string accept = key + std::string(kGuid);
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(accept.data()), accept.size(), digest);
  std::string want = base64(digest, SHA_DIGEST_LENGTH);
  std::string lower = head;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto at = lower.find("\r\nsec-websocket-accept:");
  if (at == std::string::npos) return fail("no Sec-WebSocket-Accept in the answer");
  at += std::strlen("\r\nsec-websocket-accept:");
  auto lineEnd = head.find("\r\n", at);
  std::string got = head.substr(at, lineEnd - at);
  got.erase(0, got.find_first_not_of(' '));
  got.erase(got.find_last_not_of(' ') + 1);
  if (got != want) return fail("bad Sec-WebSocket-Accept");
  return 0;
}

// readFrame handles one frame; returns 0 to go on, 1 on a protocol error, -1 when the connection is over.
int readFrame(Reader& reader, int fd, bool stdinOpen, std::string& message) {
  auto head = reader.take(2);
  if (!head) return -1;
  auto b0 = static_cast<unsigned char>((*head)[0]), b1 = static_cast<unsigned char>((*head)[1]);
  bool fin = (b0 & 0x80) != 0;
  unsigned opcode = b0 & 0x0f;
  if (b1 & 0x80) return fail("the server masked a frame");
  std::uint64_t length = b1 & 0x7f;
  if (length >= 126) {
    auto ext = reader.take(length == 126 ? 2 : 8);
    if (!ext) return -1;
    length = 0;
    for (char c : *ext) length = (length << 8) | static_cast<unsigned char>(c);
  }
  if (length > (1u << 24)) return fail("a frame of " + std::to_string(length) + " bytes");
  auto payload = reader.take(static_cast<std::size_t>(length));
  if (!payload) return -1;
  switch (opcode) {
    case 0x8:  // close
      return -1;
    case 0x9:  // ping
      if (stdinOpen && !sendAll(fd, frame(0xA, *payload))) return -1;
      return 0;
    case 0x0:
    case 0x1:
      message += *payload;
      if (fin) {
        std::printf("%s\n", message.c_str());
        std::fflush(stdout);
        message.clear();
      }
      return 0;
    default:
      return 0;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: ws_client ws://HOST:PORT/PATH\n");
    return 2;
  }
  auto url = parseUrl(argv[1]);
  if (!url) {
    std::fprintf(stderr, "ws_client: %s is not a ws://HOST:PORT/PATH URL\n", argv[1]);
    return 2;
  }
  int fd = connectTo(*url);
  if (fd < 0) return fail("cannot connect to " + std::string(argv[1]));
  Reader reader{fd, {}, false};
  if (int rc = handshake(fd, *url, reader); rc != 0) return rc;

  bool stdinOpen = true;
  std::string message;
  for (;;) {
    // Frames already buffered (with the handshake's answer, or a read that brought several) come first.
    while (!reader.buffered.empty()) {
      int rc = readFrame(reader, fd, stdinOpen, message);
      if (rc != 0) return rc < 0 ? 0 : rc;
    }
    pollfd fds[2] = {{fd, POLLIN, 0}, {STDIN_FILENO, static_cast<short>(stdinOpen ? POLLIN : 0), 0}};
    int ready = poll(fds, stdinOpen ? 2 : 1, kIdleMillis);
    if (ready == 0) return fail("nothing happened for 600 s");
    if (ready < 0) return fail(std::string("poll: ") + std::strerror(errno));
    if (stdinOpen && (fds[1].revents & (POLLIN | POLLHUP))) {
      char line[4096];
      if (read(STDIN_FILENO, line, sizeof line) <= 0) {
        stdinOpen = false;
        sendAll(fd, frame(0x8, std::string_view("\x03\xe8", 2)));  // 1000: normal closure
        shutdown(fd, SHUT_WR);
      }
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      int rc = readFrame(reader, fd, stdinOpen, message);
      if (rc != 0) return rc < 0 ? 0 : rc;
    }
  }
}
