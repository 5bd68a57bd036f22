#include "webhook/server/file_reloader.h"

namespace sessiongate::webhook {

FileReloader::FileReloader(std::vector<std::filesystem::path> paths, Load load, Observer observer,
                           const Clock& clock)
    : load_(std::move(load)), observer_(std::move(observer)), clock_(clock), files_(std::move(paths)) {}

bool FileReloader::loadNow() {
  files_.remember();
  return load_();
}

bool FileReloader::checkNow() {
  if (!files_.changed()) return false;  // a failed load is not retried until the files change again
  bool ok = load_();
  if (observer_) observer_(ok);
  return ok;
}

void FileReloader::start(std::chrono::milliseconds interval) {
  if (poller_) return;
  poller_ = std::make_unique<Poller>(
      interval, [this] { checkNow(); }, clock_);
  poller_->start();
}

void FileReloader::stop() {
  if (poller_) poller_->stop();
}

}  // namespace sessiongate::webhook
