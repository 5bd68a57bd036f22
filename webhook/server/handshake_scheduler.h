#pragma once
// HandshakeScheduler decides which connections may start their TLS handshake, so that handshakes in
// progress (each holding OpenSSL's buffers and key exchange state, tens of kilobytes) are bounded and a
// storm of them from a few addresses cannot make a new client wait behind it.
//
// A connection whose ClientHello has arrived whole waits in its client address's queue, holding only its
// socket. Addresses take turns, round-robin, one handshake each, so a new address starts within one round
// whatever the others have queued. At most maxInProgress handshakes run at once; when they all run and an
// address holding fewer of them waits, the oldest handshake of the address holding the most gives way
// (the server closes it; among addresses holding as many, the oldest handshake goes): a client cannot keep
// others from handshaking by stalling its own handshakes, and a handshake that is quick to finish, as a
// real client's is, is the last to give way.
// Pure bookkeeping, no I/O: the server says what arrived, started and ended.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

namespace sessiongate::webhook {

class HandshakeScheduler {
 public:
  explicit HandshakeScheduler(std::size_t maxInProgress) : max_(maxInProgress < 1 ? 1 : maxInProgress) {}

  // enqueue: connection id from address has its ClientHello and waits for a turn.
  void enqueue(std::uint64_t id, const std::string& address);
  // forget: id's handshake ended (done, failed, closed) or it left the queue; its slot, if any, is free.
  void forget(std::uint64_t id);

  // Start is the next handshake to run and, when all slots were taken, the one to close to make room.
  struct Start {
    std::uint64_t id;
    std::optional<std::uint64_t> evicted;
  };
  // next takes the next waiting connection in the round-robin that may start now and counts it as in
  // progress (the evicted one is forgotten); nullopt when none may.
  std::optional<Start> next();

  bool waiting() const { return !turns_.empty(); }
  std::size_t inProgress() const { return running_; }

 private:
  struct Client {
    std::deque<std::uint64_t> queued;   // ids, oldest first (stale ones skipped)
    std::deque<std::uint64_t> started;  // ids in progress, oldest first (stale ones skipped)
    std::size_t inProgress = 0;
    bool inTurns = false;
  };
  struct Entry {
    std::string address;
    bool started = false;
    std::uint64_t startedAt = 0;  // order of starting
  };
  // frontQueued drops ids that left client's queue and returns the first that is still there.
  std::optional<std::uint64_t> frontQueued(Client& client);
  std::optional<std::uint64_t> oldestStarted(Client& client);
  // toEvict is the oldest handshake of the addresses holding the most, when they hold more than atMost.
  std::optional<std::uint64_t> toEvict(std::size_t atMost);
  void setInProgress(const std::string& address, Client& client, std::size_t count);
  void dropIfUnused(const std::string& address);

  const std::size_t max_;
  std::size_t running_ = 0;
  std::uint64_t starts_ = 0;
  std::unordered_map<std::uint64_t, Entry> entries_;
  std::unordered_map<std::string, Client> clients_;
  std::deque<std::string> turns_;                          // addresses with queued connections
  std::set<std::pair<std::size_t, std::string>> holders_;  // (in progress, address), for eviction
};

}  // namespace sessiongate::webhook
