#include "webhook/server/handshake_scheduler.h"

namespace sessiongate::webhook {

void HandshakeScheduler::enqueue(std::uint64_t id, const std::string& address) {
  if (entries_.count(id) != 0) return;
  entries_.emplace(id, Entry{address, false});
  Client& client = clients_[address];
  client.queued.push_back(id);
  if (!client.inTurns) {
    client.inTurns = true;
    turns_.push_back(address);
  }
}

void HandshakeScheduler::forget(std::uint64_t id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  auto address = std::move(it->second.address);
  bool started = it->second.started;
  entries_.erase(it);
  auto client = clients_.find(address);
  if (client == clients_.end()) return;
  if (started) {
    --running_;
    setInProgress(address, client->second, client->second.inProgress - 1);
  }
  dropIfUnused(address);
}

std::optional<std::uint64_t> HandshakeScheduler::frontQueued(Client& client) {
  while (!client.queued.empty()) {
    auto id = client.queued.front();
    if (auto it = entries_.find(id); it != entries_.end() && !it->second.started) return id;
    client.queued.pop_front();
  }
  return std::nullopt;
}

std::optional<std::uint64_t> HandshakeScheduler::oldestStarted(Client& client) {
  while (!client.started.empty()) {
    auto id = client.started.front();
    if (auto it = entries_.find(id); it != entries_.end() && it->second.started) return id;
    client.started.pop_front();
  }
  return std::nullopt;
}

std::optional<std::uint64_t> HandshakeScheduler::toEvict(std::size_t atMost) {
  if (holders_.empty()) return std::nullopt;
  auto most = holders_.rbegin()->first;
  if (most <= atMost) return std::nullopt;
  std::optional<std::uint64_t> oldest;
  // At most maxInProgress addresses hold handshakes: the scan is bounded.
  for (auto it = holders_.rbegin(); it != holders_.rend() && it->first == most; ++it) {
    auto id = oldestStarted(clients_[it->second]);
    if (id && (!oldest || entries_[*id].startedAt < entries_[*oldest].startedAt)) oldest = id;
  }
  return oldest;
}

void HandshakeScheduler::setInProgress(const std::string& address, Client& client, std::size_t count) {
  if (client.inProgress > 0) holders_.erase({client.inProgress, address});
  client.inProgress = count;
  if (count > 0) holders_.insert({count, address});
}

void HandshakeScheduler::dropIfUnused(const std::string& address) {
  auto it = clients_.find(address);
  if (it == clients_.end()) return;
  Client& client = it->second;
  if (client.inProgress == 0 && !client.inTurns && !frontQueued(client)) clients_.erase(it);
}

std::optional<HandshakeScheduler::Start> HandshakeScheduler::next() {
  // One pass over the addresses waiting their turn: the first that may start now does.
  for (std::size_t left = turns_.size(); left > 0; --left) {
    auto address = std::move(turns_.front());
    turns_.pop_front();
    Client& client = clients_[address];
    auto id = frontQueued(client);
    if (!id) {
      client.inTurns = false;
      dropIfUnused(address);
      continue;
    }
    std::optional<std::uint64_t> evicted;
    if (running_ >= max_) {
      // Full: only an address holding fewer handshakes than the biggest holder may take one of its slots.
      evicted = toEvict(client.inProgress);
      if (!evicted) {
        turns_.push_back(std::move(address));  // keeps its place in the round
        continue;
      }
      forget(*evicted);
    }
    client.queued.pop_front();
    entries_[*id].started = true;
    entries_[*id].startedAt = starts_++;
    client.started.push_back(*id);
    ++running_;
    setInProgress(address, client, client.inProgress + 1);
    if (frontQueued(client)) {
      turns_.push_back(std::move(address));
    } else {
      client.inTurns = false;
    }
    return Start{*id, evicted};
  }
  return std::nullopt;
}

}  // namespace sessiongate::webhook
