#include "webhook/server/file_fingerprint.h"

#include <sys/stat.h>

#include <algorithm>
#include <system_error>

namespace sessiongate::webhook {
namespace {

FileStamp stamp(const std::filesystem::path& path) {
  FileStamp s;
  s.path = path.string();
  struct stat st {};
  if (::stat(s.path.c_str(), &st) != 0) return s;  // stat() follows symlinks, so a swapped target is seen
  s.exists = true;
  s.device = st.st_dev;
  s.inode = st.st_ino;
  s.size = st.st_size;
  s.modifiedNanos = std::int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec;
  s.changedNanos = std::int64_t{st.st_ctim.tv_sec} * 1'000'000'000 + st.st_ctim.tv_nsec;
  return s;
}

bool isManifest(const std::filesystem::path& path) {
  auto name = path.filename().string();
  if (name.empty() || name.front() == '.') return false;
  auto ext = path.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

}  // namespace

FileFingerprint fingerprintFiles(const std::vector<std::filesystem::path>& paths) {
  FileFingerprint fp;
  for (const auto& path : paths) {
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec)) {
      fp.stamps.push_back(stamp(path));
      continue;
    }
    std::vector<std::filesystem::path> entries;
    for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
      if (isManifest(entry.path())) entries.push_back(entry.path());
    }
    std::sort(entries.begin(), entries.end());
    fp.stamps.push_back(stamp(path));  // the folder itself: an added or removed entry changes its mtime
    for (const auto& entry : entries) fp.stamps.push_back(stamp(entry));
  }
  return fp;
}

}  // namespace sessiongate::webhook
