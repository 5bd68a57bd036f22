#pragma once
// FileReloader calls a load function whenever the bytes of a set of files or folders change (ChangeDetector),
// and reports each attempt; the webhook reloads its --policies with it. The load function decides what a
// failure keeps: the webhook's keeps the previous policy in force.
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "core/clock.h"
#include "webhook/server/change_detector.h"
#include "webhook/server/poller.h"

namespace sessiongate::webhook {

// FileReloader watches paths and runs load on every change.
class FileReloader {
 public:
  // Load loads the files; true when the new content is in use.
  using Load = std::function<bool()>;
  // Observer learns of each reload attempt after the first load.
  using Observer = std::function<void(bool ok)>;

  // clock times the polling (the server's, so that one clock drives the webhook); it outlives the reloader.
  FileReloader(std::vector<std::filesystem::path> paths, Load load, Observer observer = {},
               const Clock& clock = realClock());

  // loadNow runs the first load, unconditionally; its result is not reported to the observer.
  bool loadNow();
  // checkNow runs load if the files changed since the last attempt; true when it ran and succeeded.
  bool checkNow();
  void start(std::chrono::milliseconds interval = std::chrono::seconds(1));
  void stop();

 private:
  const Load load_;
  const Observer observer_;
  const Clock& clock_;
  ChangeDetector files_;
  std::unique_ptr<Poller> poller_;
};

}  // namespace sessiongate::webhook
