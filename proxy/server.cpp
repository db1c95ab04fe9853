// The guarded server: one connection's life, with deadlines, on top of httplib's request handling.
#include "server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace cinerag::proxy {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_now() {
  return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

// A socket stream whose waits end at a deadline: reads at the request's (set when a request
// starts), writes at the answer's. Reads are buffered: httplib reads the request line and headers
// a byte at a time, and pipelined requests stay in the buffer for the next round. It keeps the
// gate told whether the connection waits on its client (reading a request, or writing to a client
// that does not read) or is being answered.
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(int fd, int io_timeout_ms, ConnectionGate& gate)
      : fd_(fd), io_timeout_ms_(io_timeout_ms), gate_(gate) {}

  // Between requests, and while one arrives.
  bool waiting() {
    handling_ = false;
    return gate_.set_phase(fd_, ConnectionGate::Phase::kWaiting, seconds_now());
  }
  // The request is in and the handler runs.
  void handling() {
    handling_ = gate_.set_phase(fd_, ConnectionGate::Phase::kHandling, seconds_now());
  }

  // Waits up to timeout_ms for the start of a request (or the peer closing). True when there is
  // something to read.
  bool wait_for_request(int timeout_ms) {
    if (off_ < len_) return true;
    return wait(POLLIN, Clock::now() + std::chrono::milliseconds(timeout_ms));
  }

  void begin_request(Clock::time_point read_by, Clock::time_point answer_by) {
    read_by_ = read_by;
    answer_by_ = answer_by;
  }

  bool is_readable() const override { return off_ < len_ || wait(POLLIN, read_deadline()); }
  bool is_writable() const override { return wait(POLLOUT, write_deadline()); }

  ssize_t read(char* ptr, size_t size) override {
    if (off_ >= len_) {
      off_ = len_ = 0;
      for (;;) {
        if (!wait(POLLIN, read_deadline())) return fail();
        const ssize_t n = ::recv(fd_, buf_, sizeof buf_, MSG_DONTWAIT);
        if (n > 0) {
          len_ = static_cast<size_t>(n);
          break;
        }
        if (n == 0) {
          broken_ = true;  // the peer closed
          return 0;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return fail();
      }
    }
    const size_t n = std::min(size, len_ - off_);
    std::memcpy(ptr, buf_ + off_, n);
    off_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    bool blocked = false;
    ssize_t sent = -1;
    for (;;) {
      sent = ::send(fd_, ptr, size, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (sent >= 0) break;
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return fail();
      // The client does not read: while we wait on it, the connection may be closed for room.
      if (handling_ && !blocked) {
        blocked = true;
        if (!gate_.set_phase(fd_, ConnectionGate::Phase::kWaiting, seconds_now())) return fail();
      }
      if (!wait(POLLOUT, write_deadline())) return fail();
    }
    if (blocked && !gate_.set_phase(fd_, ConnectionGate::Phase::kHandling, seconds_now())) {
      return fail();
    }
    return sent;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) describe(addr, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) describe(addr, ip, port);
  }
  socket_t socket() const override { return fd_; }

  // A read or write failed or timed out, or the peer closed: httplib may still have answered
  // (a 400 for a request that did not arrive in time) but the connection cannot go on.
  bool broken() const { return broken_; }

 private:
  ssize_t fail() {
    broken_ = true;
    return -1;
  }

  // Each wait is one io timeout at most, and never past the phase's deadline.
  Clock::time_point read_deadline() const {
    return std::min(read_by_, Clock::now() + std::chrono::milliseconds(io_timeout_ms_));
  }
  Clock::time_point write_deadline() const {
    return std::min(answer_by_, Clock::now() + std::chrono::milliseconds(io_timeout_ms_));
  }

  bool wait(short events, Clock::time_point until) const {
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
      if (left < 0) return false;
      pollfd p{fd_, events, 0};
      const int r = ::poll(&p, 1, static_cast<int>(left));
      if (r > 0) return true;  // ready, or hung up / in error: the next call says which
      if (r == 0) {
        if (Clock::now() >= until) return false;
        continue;
      }
      if (errno != EINTR) return false;
    }
  }

  static void describe(const sockaddr_storage& addr, std::string& ip, int& port) {
    char text[INET6_ADDRSTRLEN] = {0};
    if (addr.ss_family == AF_INET) {
      const auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
      ::inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
      port = ntohs(a->sin_port);
    } else if (addr.ss_family == AF_INET6) {
      const auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
      ::inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
      port = ntohs(a->sin6_port);
    }
    ip = text;
  }

  const int fd_;
  const int io_timeout_ms_;
  ConnectionGate& gate_;
  bool handling_ = false;
  Clock::time_point read_by_ = Clock::now(), answer_by_ = Clock::now();
  char buf_[4096];
  size_t off_ = 0, len_ = 0;
  bool broken_ = false;
};

// The connection served on this thread, for handling_request() and close_after_answer().
struct Current {
  ConnectionStream* stream = nullptr;
  bool close_after = false;
};
thread_local Current t_current;

// httplib's TaskQueue over our pool (httplib creates and deletes it around listen()).
class PoolQueue final : public httplib::TaskQueue {
 public:
  explicit PoolQueue(WorkerPool& pool) : pool_(pool) {}
  void enqueue(std::function<void()> fn) override { pool_.submit(std::move(fn)); }
  void shutdown() override { pool_.shutdown(); }

 private:
  WorkerPool& pool_;
};

// What a connection turned away at the cap reads: the proxy's JSON error, then the close.
void refuse(int fd) {
  static const std::string body =
      R"({"error":"busy","message":"the proxy is at capacity; try again shortly"})";
  static const std::string response =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
      "Retry-After: 1\r\nConnection: close\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  // Best effort: a fresh socket's send buffer takes this at once; a client that is not reading
  // loses it.
  (void)::send(fd, response.data(), response.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
}

}  // namespace

GuardedServer::GuardedServer(const ServerLimits& limits)
    : limits_(limits),
      gate_(limits.max_connections, [](int fd) { ::shutdown(fd, SHUT_RDWR); }),
      pool_(std::make_unique<WorkerPool>(limits.warm_threads,
                                         limits.max_connections + kAdmissionThreads,
                                         std::chrono::seconds(10))) {
  new_task_queue = [this] { return new PoolQueue(*pool_); };
  // httplib puts these on each accepted socket (SO_RCVTIMEO/SO_SNDTIMEO); our reads and writes
  // wait in poll(2) with their own deadlines and never block in the call itself.
  const time_t io_s = std::max(1, limits.io_timeout_ms / 1000);
  set_read_timeout(io_s, 0);
  set_write_timeout(io_s, 0);
  // Only for the Keep-Alive header httplib writes; the loop below applies them.
  set_keep_alive_max_count(limits.max_requests_per_connection);
  set_keep_alive_timeout(std::max(1, limits.idle_timeout_ms / 1000));
}

GuardedServer::~GuardedServer() {
  pool_->shutdown();
}

bool GuardedServer::bind(const std::string& host, int port) {
  if (!bind_to_port(host.c_str(), port)) return false;
  // Listening again on a listening socket only changes its backlog (Linux).
  ::listen(svr_sock_, kListenBacklog);
  return true;
}

void GuardedServer::shutdown() {
  stop();
  // stop() does nothing before listen() has started; closing the socket here makes that listen()
  // return at once (httplib loops while svr_sock_ is valid).
  const socket_t sock = svr_sock_.exchange(INVALID_SOCKET);
  if (sock != INVALID_SOCKET) {
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
  }
  gate_.stop();
}

void GuardedServer::handling_request() {
  if (t_current.stream) t_current.stream->handling();
}

void GuardedServer::close_after_answer() {
  t_current.close_after = true;
}

GuardedServer::Stats GuardedServer::stats() const {
  return {gate_.stats(), pool_->stats()};
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  bool ret = false;
  if (!gate_.admit(sock, seconds_now())) {
    refuse(sock);
  } else {
    // httplib writes a response's head and body in separate calls: with Nagle on, the body waits
    // for the client's delayed ACK of the head (~40 ms on every kept-alive request).
    const int one = 1;
    ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ConnectionStream strm(sock, limits_.io_timeout_ms, gate_);
    t_current = {&strm, false};
    for (size_t left = limits_.max_requests_per_connection; left > 0; --left) {
      if (svr_sock_ == INVALID_SOCKET || !strm.waiting()) break;
      if (!strm.wait_for_request(limits_.idle_timeout_ms)) break;
      const auto start = Clock::now();
      strm.begin_request(start + std::chrono::milliseconds(limits_.request_timeout_ms),
                         start + std::chrono::milliseconds(limits_.request_timeout_ms +
                                                           limits_.response_timeout_ms));
      bool connection_closed = false;
      t_current.close_after = false;
      ret = process_request(strm, left == 1, connection_closed, nullptr);
      if (!ret || connection_closed || t_current.close_after || strm.broken()) break;
    }
    t_current = {};
    gate_.leave(sock);
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ret;
}

}  // namespace cinerag::proxy
