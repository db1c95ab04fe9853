// Connection handling that does not let slow clients starve the others. cpp-httplib serves each
// connection on one thread from start to end; these two parts decide how many threads there are
// and which connection gives its thread up first:
//   ConnectionGate: counts open connections, knows which ones are only waiting for a request
//     (idle keep-alive, or a request line, headers or body still arriving) and, at the cap, closes
//     the one that has waited longest to make room for a new one.
//   WorkerPool: threads on demand up to a hard maximum, idle ones retiring after a while.
// Neither knows HTTP; server.h wires them into httplib.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace cinerag::proxy {

class ConnectionGate {
 public:
  enum class Phase {
    kWaiting,   // for the next request, or for the rest of one: may be closed to make room
    kHandling,  // a request is being answered: never closed by the gate
  };
  // close(fd) wakes whoever is blocked on fd (shutdown(2) in the server); it is called with the
  // gate's lock held and before the owner calls leave(fd), so fd cannot have been reused.
  using Closer = std::function<void(int fd)>;

  ConnectionGate(size_t max_connections, Closer close)
      : max_(max_connections), close_(std::move(close)) {}

  // Admits a new connection (in kWaiting since `now`, seconds). At the cap, a waiting connection
  // is closed to make room and the new one is admitted: the one waiting longest among those that
  // never got a whole request through (slow heads), else the one waiting longest (idle keep-alive,
  // or a client that does not read its answer). When every connection is handling a request (or
  // the gate is stopping), returns false: refuse it.
  bool admit(int fd, double now);
  // Moves fd to `phase`; kWaiting starts its clock at `now`. Returns false when fd was closed by
  // the gate or the gate is stopping: the connection should end.
  bool set_phase(int fd, Phase phase, double now);
  // The owner is done with fd (call before close(2)).
  void leave(int fd);
  // For shutdown: closes every waiting connection and refuses new ones and new waits.
  void stop();

  struct Stats {
    size_t open = 0;       // admitted and not yet left
    size_t waiting = 0;    // of those, in kWaiting
    size_t peak = 0;       // most open at once
    uint64_t evicted = 0;  // closed by the gate to make room
    uint64_t refused = 0;  // turned away at the cap with every connection busy
  };
  Stats stats() const;

 private:
  struct Entry {
    Phase phase = Phase::kWaiting;
    double since = 0;
    bool answered = false;  // a whole request came through at least once
    bool closed = false;    // closed by the gate; the owner has not left yet
  };
  const size_t max_;
  const Closer close_;
  mutable std::mutex mu_;
  std::unordered_map<int, Entry> open_;
  size_t peak_ = 0;
  uint64_t evicted_ = 0, refused_ = 0;
  bool stopping_ = false;
};

// Runs jobs on threads started on demand: a job gets an idle thread, or a new one while there are
// fewer than max_threads, or waits in the queue. Threads beyond `keep` retire after `idle`
// without work. shutdown() runs what is queued, then joins every thread.
class WorkerPool {
 public:
  WorkerPool(size_t keep, size_t max_threads, std::chrono::milliseconds idle);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void submit(std::function<void()> job);
  void shutdown();

  struct Stats {
    size_t threads = 0;  // alive now
    size_t busy = 0;     // running a job
    size_t queued = 0;   // jobs waiting for a thread
    size_t peak = 0;     // most threads alive at once
  };
  Stats stats() const;

 private:
  void work(uint64_t id);
  void reap(std::unique_lock<std::mutex>& lock);  // joins retired threads (drops the lock)

  const size_t keep_, max_;
  const std::chrono::milliseconds idle_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  std::unordered_map<uint64_t, std::thread> threads_;
  std::vector<uint64_t> retired_;
  uint64_t next_id_ = 0;
  size_t idle_threads_ = 0, running_ = 0, peak_ = 0;
  bool shutdown_ = false;
};

}  // namespace cinerag::proxy
