// The connection gate and the worker pool.
#include "connections.h"

#include <algorithm>

namespace cinerag::proxy {

bool ConnectionGate::admit(int fd, double now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) {
    ++refused_;
    return false;
  }
  // Connections already closed by the gate are on their way out: they do not count.
  size_t live = 0;
  for (const auto& [_, e] : open_) live += e.closed ? 0 : 1;
  if (live >= max_) {
    int victim = -1;
    const Entry* worst = nullptr;
    for (const auto& [other, e] : open_) {
      if (e.closed || e.phase != Phase::kWaiting) continue;
      // Never answered before answered; then the longest wait.
      if (!worst || (e.answered != worst->answered ? !e.answered : e.since < worst->since)) {
        victim = other;
        worst = &e;
      }
    }
    if (victim < 0) {
      ++refused_;
      return false;
    }
    open_[victim].closed = true;
    ++evicted_;
    close_(victim);
  }
  open_[fd] = Entry{Phase::kWaiting, now, false, false};
  peak_ = std::max(peak_, open_.size());
  return true;
}

bool ConnectionGate::set_phase(int fd, Phase phase, double now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = open_.find(fd);
  if (it == open_.end() || it->second.closed) return false;
  if (stopping_ && phase == Phase::kWaiting) return false;
  it->second.phase = phase;
  if (phase == Phase::kWaiting) it->second.since = now;
  if (phase == Phase::kHandling) it->second.answered = true;
  return true;
}

void ConnectionGate::leave(int fd) {
  std::lock_guard<std::mutex> lock(mu_);
  open_.erase(fd);
}

void ConnectionGate::stop() {
  std::lock_guard<std::mutex> lock(mu_);
  stopping_ = true;
  for (auto& [fd, e] : open_) {
    if (e.closed || e.phase != Phase::kWaiting) continue;
    e.closed = true;
    close_(fd);
  }
}

ConnectionGate::Stats ConnectionGate::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  Stats s;
  s.open = open_.size();
  for (const auto& [_, e] : open_) s.waiting += e.phase == Phase::kWaiting ? 1 : 0;
  s.peak = peak_;
  s.evicted = evicted_;
  s.refused = refused_;
  return s;
}

WorkerPool::WorkerPool(size_t keep, size_t max_threads, std::chrono::milliseconds idle)
    : keep_(std::min(keep, std::max<size_t>(max_threads, 1))),
      max_(std::max<size_t>(max_threads, 1)),
      idle_(idle) {}

WorkerPool::~WorkerPool() {
  shutdown();
}

void WorkerPool::submit(std::function<void()> job) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!retired_.empty()) reap(lock);
  jobs_.push_back(std::move(job));
  // Idle threads still count as idle until they take a job, so this compares like with like.
  if (jobs_.size() > idle_threads_ && threads_.size() - retired_.size() < max_ && !shutdown_) {
    const uint64_t id = next_id_++;
    try {
      threads_.emplace(id, std::thread([this, id] { work(id); }));
      peak_ = std::max(peak_, threads_.size() - retired_.size());
    } catch (const std::system_error&) {
      // No thread to be had (a process or memory limit): the job waits for a running one.
    }
  }
  cv_.notify_one();
}

void WorkerPool::work(uint64_t id) {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (jobs_.empty()) {
      if (shutdown_) break;
      ++idle_threads_;
      const bool woke = cv_.wait_for(lock, idle_, [&] { return !jobs_.empty() || shutdown_; });
      --idle_threads_;
      if (!woke && threads_.size() - retired_.size() > keep_) break;  // retire
      continue;
    }
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    ++running_;
    lock.unlock();
    job();
    job = nullptr;  // whatever the job held goes now, not with the next one
    lock.lock();
    --running_;
  }
  // Under the lock: the std::thread handle stays in threads_ until someone joins it.
  retired_.push_back(id);
  cv_.notify_all();
}

void WorkerPool::reap(std::unique_lock<std::mutex>& lock) {
  std::vector<std::thread> done;
  for (uint64_t id : retired_) {
    auto it = threads_.find(id);
    if (it == threads_.end()) continue;
    done.push_back(std::move(it->second));
    threads_.erase(it);
  }
  retired_.clear();
  lock.unlock();
  for (std::thread& t : done) t.join();  // each has left work(): quick
  lock.lock();
}

void WorkerPool::shutdown() {
  std::unique_lock<std::mutex> lock(mu_);
  shutdown_ = true;
  cv_.notify_all();
  while (!threads_.empty()) {
    cv_.wait(lock, [&] { return !retired_.empty(); });
    reap(lock);
  }
}

WorkerPool::Stats WorkerPool::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  Stats s;
  s.threads = threads_.size() - retired_.size();
  s.busy = running_;
  s.queued = jobs_.size();
  s.peak = peak_;
  return s;
}

}  // namespace cinerag::proxy
