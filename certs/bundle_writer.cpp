#include "certs/bundle_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace sessiongate::certs {
namespace {

namespace fs = std::filesystem;

std::string systemError(const std::string& what, const fs::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

Result<bool> ensureDirectory(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return true;
  if (fs::exists(dir, ec))
    return Error{dir.string() + " exists and is not a directory: choose another --out"};
  if (!dir.parent_path().empty() && !fs::exists(dir.parent_path(), ec)) {
    fs::create_directories(dir.parent_path(), ec);
    if (ec) return Error{"cannot create " + dir.parent_path().string() + ": " + ec.message()};
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return Error{systemError("cannot create", dir)};
  return true;
}

// writeFile writes content to path with the given mode through a temporary file and a rename.
Result<bool> writeFile(const fs::path& path, const std::string& content, mode_t mode) {
  fs::path temporary = path;
  temporary += ".tmp";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Error{systemError("cannot create", temporary)};
  // The mode of an existing temporary file or a restrictive umask must not change what we promise.
  bool ok = ::fchmod(fd, mode) == 0;
  std::size_t written = 0;
  while (ok && written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  std::string failure = ok ? std::string() : systemError("cannot write", temporary);
  ::close(fd);
  if (!ok) {
    ::unlink(temporary.c_str());
    return Error{failure};
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    failure = systemError("cannot rename into", path);
    ::unlink(temporary.c_str());
    return Error{failure};
  }
  return true;
}

}  // namespace

Result<std::vector<fs::path>> writeBundle(const CertBundle& bundle, const fs::path& dir) {
  if (auto r = ensureDirectory(dir); !r) return Error{r.error()};
  struct Item {
    const char* name;
    const std::string& content;
    mode_t mode;
  };
  const Item items[] = {{"ca.crt", bundle.caCertPem, 0644},
                        {"ca.key", bundle.caKeyPem, 0600},
                        {"tls.crt", bundle.tlsCertPem, 0644},
                        {"tls.key", bundle.tlsKeyPem, 0600}};
  std::vector<fs::path> written;
  for (const Item& item : items) {
    fs::path path = dir / item.name;
    if (auto r = writeFile(path, item.content, item.mode); !r) return Error{r.error()};
    written.push_back(std::move(path));
  }
  return written;
}

}  // namespace sessiongate::certs
