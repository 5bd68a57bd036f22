#pragma once
// FileFingerprint tells whether files may have changed without reading them: device, inode, size,
// modification and status-change time of each file, following symlinks. ChangeDetector (change_detector.h)
// uses it as the cheap trigger and decides on a hash of the bytes. Kubernetes mounts a Secret or ConfigMap as symlinks into a
// `..data` symlink that it swaps atomically, so an update shows up as a new inode behind the same path.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sessiongate::webhook {

// FileStamp is what FileFingerprint records of one path.
struct FileStamp {
  std::string path;
  bool exists = false;
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::int64_t size = 0;
  std::int64_t modifiedNanos = 0;
  std::int64_t changedNanos = 0;  // ctime: moved by any write, even when mtime is set back
  bool operator==(const FileStamp&) const = default;
};

// FileFingerprint is the stamps of a set of paths; equal fingerprints mean nothing observable changed.
struct FileFingerprint {
  std::vector<FileStamp> stamps;
  bool operator==(const FileFingerprint&) const = default;
};

// fingerprintFiles stamps each path; a folder contributes its .yaml, .yml and .json entries (not
// recursively, hidden ones skipped), sorted by name so that the order of the directory listing is no change.
FileFingerprint fingerprintFiles(const std::vector<std::filesystem::path>& paths);

}  // namespace sessiongate::webhook
