#include "webhook/server/https_connection.h"

#include <spdlog/spdlog.h>
#include <sys/epoll.h>

#include <algorithm>

namespace sessiongate::webhook {
namespace {

// kReadPerTurn is what one connection may read (or discard) before the others get their turn; a turn ends
// at the end of a TLS record, so that OpenSSL's read buffer is released between turns. A connection that
// used its turn and still has bytes coming is parked: the loop serves it round-robin after every other
// connection, so clients streaming as fast as they can never delay a new handshake or a small review.
constexpr std::size_t kReadPerTurn = 16 * 1024;
// Lingering: after its last answer a connection reads and drops what the client still sends, at most
// this long and this much, so that the client reads the answer instead of a reset.
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr std::size_t kMaxLingerBytes = 8 * 1024 * 1024;

// release frees buffer's memory. Not `buffer = std::string()`: libstdc++ moves an empty (short) string in
// by copying its characters and keeps buffer's allocation, so refused and evicted connections went on
// holding their bodies, uncharged, until closed (2,000 streaming clients: 70 MB of bodies against the
// 16 MiB bound).
void release(std::string& buffer) {
  std::string().swap(buffer);
}

std::string millis(std::chrono::milliseconds d) {
  return std::to_string(d.count()) + " ms";
}

}  // namespace

void HttpsServer::drive(Connection& c) {
  std::size_t readThisTurn = 0;
  for (;;) {
    switch (c.state) {
      case State::Hello: {
        if (stopping_) return close(c);
        auto status = c.tls.helloArrived();
        if (status == IoStatus::Closed) return close(c);
        if (status != IoStatus::Done) return want(c, EPOLLIN);
        // It waits for its turn unpolled; the loop starts it (startHandshakes).
        c.state = State::Queued;
        handshakes_.enqueue(c.id, c.address);
        handshakesToStart_ = true;
        return want(c, 0);
      }
      case State::Queued:
        if (stopping_) return close(c);
        return want(c, 0);
      case State::Handshake: {
        if (stopping_) return close(c);
        auto status = c.tls.handshake();
        if (status == IoStatus::Done) {
          handshakes_.forget(c.id);
          handshakesToStart_ = handshakes_.waiting();
          c.clientVerified = c.tls.clientCertificateVerified();
          startReading(c);
          continue;
        }
        if (status == IoStatus::Closed) return close(c);
        return want(c, status == IoStatus::WantRead ? EPOLLIN : EPOLLOUT);
      }
      case State::Reading: {
        if (c.evicted) {
          c.evicted = false;
          refuse(c, busyRefusal(), nullptr);
          continue;
        }
        if (progressRequest(c)) continue;
        // Past its turn, c reads only what is left of the current record (so OpenSSL frees its buffer);
        // more may be coming: after the others.
        bool turnUsed = readThisTurn >= kReadPerTurn;
        if (turnUsed && !c.tls.pending()) return park(c);
        // A head (or chunked body) is read into in; a Content-Length body straight into body, never past it.
        bool intoBody = c.head && !c.head->chunked;
        std::string& into = intoBody ? c.body : c.in;
        auto room = turnUsed ? kReadPerTurn : kReadPerTurn - readThisTurn;
        if (intoBody) room = std::min(room, c.head->contentLength - c.body.size());
        auto before = into.size();
        // A body grows by doubling but never past its Content-Length: a 7 MiB body takes 7 MiB, not 8.
        auto status = c.tls.read(into, room, intoBody ? c.head->contentLength : limits_.maxHeadBytes);
        if (status == IoStatus::Done) {
          readThisTurn += into.size() - before;
          if (!c.headStarted) {
            c.headStarted = true;
            setDeadline(c, limits_.headTimeout);
          }
          if (!charge(c)) refuse(c, busyRefusal(), c.head ? &*c.head : nullptr);
          continue;
        }
        if (status == IoStatus::Closed) return close(c);
        // Nothing more now. While stopping, a connection waiting for its next request closes.
        if (stopping_ && !c.headStarted) return close(c);
        return want(c, status == IoStatus::WantRead ? EPOLLIN : EPOLLOUT);
      }
      case State::Processing:
        return want(c, 0);
      case State::Writing: {
        auto status = c.tls.write(c.out, c.outAt);
        if (status == IoStatus::Done) {
          finishWriting(c);  // then lingering, or reading the next request
          continue;
        }
        if (status == IoStatus::Closed) return close(c);
        return want(c, status == IoStatus::WantRead ? EPOLLIN : EPOLLOUT);
      }
      case State::Lingering: {
        auto before = c.discarded;
        auto status = c.tls.discard(c.discarded, kReadPerTurn);
        if (status == IoStatus::Closed || c.discarded > kMaxLingerBytes) return close(c);
        if (c.discarded - before >= kReadPerTurn) return park(c);
        return want(c, EPOLLIN);
      }
    }
  }
}

bool HttpsServer::progressRequest(Connection& c) {
  if (!c.head) {
    auto parse = parseRequestHead(c.in, limits_.maxHeadBytes, limits_.maxBodyBytes, c.scanned);
    if (parse.status == HeadParse::Status::Incomplete) {
      c.scanned = c.in.size();
      return false;
    }
    if (parse.status == HeadParse::Status::Refused) {
      refuse(c, parse.refusal, parse.head.method.empty() ? nullptr : &parse.head);
      return true;
    }
    c.in.erase(0, parse.headBytes);
    c.scanned = 0;
    c.closeAfter =
        !parse.head.keepAlive || closeConnections_ || c.served + 1 >= limits_.maxRequestsPerConnection;
    c.head = std::move(parse.head);
    c.chunked = ChunkedBody{};
    c.bodyWire = 0;
    c.body.clear();
    if (!c.head->chunked) {  // the body's first bytes, if they came with the head; the rest is read into body
      auto first = std::min(c.in.size(), c.head->contentLength);
      c.body.assign(c.in, 0, first);
      c.in.erase(0, first);
    }
    setDeadline(c, limits_.bodyTimeout);
  }
  if (c.head->chunked) {
    // The decoded bytes are billed before they are held: a body grown after its connection was charged
    // (as it was until the decoder's growth was billed) let 2,000 streaming clients hold 3.3 times the bound.
    growFor(c.body, c.body.size() + c.in.size(), limits_.maxBodyBytes);
    if (!charge(c)) {
      refuse(c, busyRefusal(), &*c.head);
      return true;
    }
    std::size_t consumed = 0;
    auto status = c.chunked.feed(c.in, c.body, consumed);
    c.bodyWire += consumed;
    c.in.erase(0, consumed);
    if (c.bodyWire > limits_.maxBodyBytes) {
      refuse(c, {413, bodyTooLargeMessage(limits_.maxBodyBytes), RefusalReason::BodyTooLarge}, &*c.head);
      return true;
    }
    if (status == ChunkedBody::Status::Malformed) {
      refuse(
          c,
          {400, "malformed chunked body: send the body with a Content-Length\n", RefusalReason::BadRequest},
          &*c.head);
      return true;
    }
    if (status == ChunkedBody::Status::NeedMore) {
      if (c.in.empty()) release(c.in);  // hold no read buffer while the client is slow
      return false;
    }
  } else if (c.body.size() < c.head->contentLength) {
    return false;
  }
  dispatch(c);
  return true;
}

void HttpsServer::dispatch(Connection& c) {
  c.state = State::Processing;
  if (c.charged > 0) holders_.erase({c.charged, c.id});  // its body is with a worker: not to be evicted
  want(c, 0);
  ++c.served;
  ++processing_;
  HttpRequest request{std::move(*c.head), std::move(c.body), c.clientVerified};
  c.head.reset();
  release(c.body);
  workers_.submit([this, id = c.id, request = std::move(request)] {
    HttpResponse response;
    try {
      response = hooks_.handler(request);
    } catch (const std::exception& e) {
      spdlog::error("the request handler failed on {}: {}", request.head.path, e.what());
      response = {500, "text/plain; charset=utf-8", std::string("internal error: ") + e.what() + "\n"};
    }
    {
      std::lock_guard lock(completionsMu_);
      completions_.push_back({id, std::move(response)});
    }
    wake();
  });
}

void HttpsServer::refuse(Connection& c, const Refusal& refusal, const HttpRequestHead* head) {
  if (hooks_.refused) hooks_.refused(refusal, head);
  c.closeAfter = true;
  startWriting(c, HttpResponse{refusal.status, "text/plain; charset=utf-8", refusal.message});
  // What was read of the request goes now: the rest of it will not be.
  c.head.reset();
  release(c.in);
  release(c.body);
  charge(c);
}

void HttpsServer::startWriting(Connection& c, const HttpResponse& response) {
  c.state = State::Writing;
  c.out = serializeResponse(response, c.closeAfter);
  c.outAt = 0;
  setDeadline(c, limits_.writeTimeout);
}

void HttpsServer::finishWriting(Connection& c) {
  release(c.out);
  c.outAt = 0;
  if (c.closeAfter) {
    c.tls.closeWriting();
    c.state = State::Lingering;
    release(c.in);
    release(c.body);
    charge(c);
    setDeadline(c, kLingerTime);
    return;
  }
  if (c.in.capacity() > kFreeBufferBytes && c.in.size() < kFreeBufferBytes) c.in.shrink_to_fit();
  charge(c);
  startReading(c);
}

void HttpsServer::startReading(Connection& c) {
  c.state = State::Reading;
  c.scanned = 0;
  c.headStarted = !c.in.empty();
  setDeadline(c, c.headStarted ? limits_.headTimeout : limits_.keepAliveTimeout);
}

bool HttpsServer::charge(Connection& c) {
  auto holding = c.in.capacity() + c.body.capacity();
  auto needed = holding > kFreeBufferBytes ? holding - kFreeBufferBytes : 0;
  if (needed > c.charged) {
    // Past the bound, the connections holding the most give way (503), while they hold more than c would.
    while (buffered_ + (needed - c.charged) > limits_.maxBufferedBytes && !holders_.empty()) {
      auto [held, id] = *std::prev(holders_.end());
      if (id == c.id || held <= needed) break;
      auto it = connections_.find(id);
      if (it == connections_.end()) {
        holders_.erase(std::prev(holders_.end()));
        continue;
      }
      // Its buffers go now; its answer is written when the loop reaches it (drive sees evicted).
      Connection& other = *it->second;
      holders_.erase(std::prev(holders_.end()));
      buffered_ -= other.charged;
      other.charged = 0;
      other.head.reset();
      release(other.in);
      release(other.body);
      other.evicted = true;
      bulk_.push_back(other.id);
    }
    if (buffered_ + (needed - c.charged) > limits_.maxBufferedBytes) return false;
  }
  if (c.charged > 0) holders_.erase({c.charged, c.id});
  buffered_ = buffered_ - c.charged + needed;
  bufferedGauge_ = buffered_;
  c.charged = needed;
  if (c.charged > 0 && c.state == State::Reading) holders_.insert({c.charged, c.id});
  return true;
}

Refusal HttpsServer::busyRefusal() const {
  return {503,
          "the webhook holds as many request bytes as it allows (" +
              std::to_string(limits_.maxBufferedBytes) +
              ") for all clients, and this request the most of them; retry\n",
          RefusalReason::Busy};
}

void HttpsServer::expire(Connection& c) {
  switch (c.state) {
    case State::Reading:
      if (!c.headStarted) return close(c);  // an idle keep-alive connection
      if (c.head) {
        refuse(c,
               {408, "the request body did not arrive within " + millis(limits_.bodyTimeout) + "\n",
                RefusalReason::BodyTimeout},
               &*c.head);
      } else {
        refuse(c,
               {408, "the request head did not arrive within " + millis(limits_.headTimeout) + "\n",
                RefusalReason::HeadTimeout},
               nullptr);
      }
      return drive(c);
    case State::Processing:
      return;  // the handler's time is bounded by the drain, not here
    case State::Hello:
    case State::Queued:
    case State::Handshake:
    case State::Writing:
    case State::Lingering:
      return close(c);
  }
}

}  // namespace sessiongate::webhook
