#pragma once
// ChangeDetector tells whether a set of files or folders changed in content. A cheap stat() fingerprint
// (device, inode, size, mtime and ctime) is the trigger; a SHA-256 of the bytes decides. So a touch or a
// chmod reloads nothing, and an in-place rewrite of the same size with the old mtime put back is still seen:
// the rewrite moves ctime, which no tool can set back. Linux stamps files with a coarse clock (a few ms), so
// two rewrites within one tick can leave every stamp equal; every rehashEvery-th check therefore hashes
// the files even when the stamps did not move (certificates and policies are a few KB).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "webhook/server/file_fingerprint.h"

namespace sessiongate::webhook {

// ContentDigest is the SHA-256 of each stamped path's bytes, in stamp order; empty for folders and
// missing files.
using ContentDigest = std::vector<std::string>;

// digestFiles hashes the files of a fingerprint.
ContentDigest digestFiles(const FileFingerprint& fingerprint);

// ChangeDetector remembers what the files looked like at the last call of remember() or changed().
class ChangeDetector {
 public:
  explicit ChangeDetector(std::vector<std::filesystem::path> paths, unsigned rehashEvery = 10);

  // remember records the files as they are now, as seen.
  void remember();
  // changed is true when the bytes (or the set of files) differ from the last time they were seen; the
  // new state is then the seen one, so a change is reported once.
  bool changed();

 private:
  const std::vector<std::filesystem::path> paths_;
  const unsigned rehashEvery_;
  unsigned checksSinceHash_ = 0;
  FileFingerprint stamps_;
  ContentDigest digest_;
};

}  // namespace sessiongate::webhook
