// cpp-httplib's Server with connection handling of our own, so that slow clients cannot starve
// the others. httplib (0.11, Debian's shared library) serves a connection on one pool thread from
// accept to close, and its reads time out per call, not per request: a client that trickles one
// header line every few seconds holds its thread for as long as it likes, and a few hundred such
// clients held every thread of a fixed pool. Here:
//   - threads start on demand, up to max_connections + a few for admitting new connections;
//   - a request (line, headers, body) must arrive whole within request_timeout_ms, the next
//     request on a kept-alive connection must start within idle_timeout_ms, each read or write
//     waits at most io_timeout_ms, and a whole answer must be written within response_timeout_ms;
//   - at max_connections, a new connection closes the one that has been waiting longest for its
//     request (a connection answering one is never closed); when every connection is answering,
//     the new one gets a 503 `busy` and is closed;
//   - the listen backlog holds a burst of connections (httplib's is 5).
// The request parsing, routing and response writing remain httplib's (Server::process_request).
#pragma once

#include <httplib.h>

#include <memory>
#include <string>

#include "connections.h"

namespace cinerag::proxy {

struct ServerLimits {
  size_t max_connections = 512;
  size_t warm_threads = 16;  // threads kept when idle
  int request_timeout_ms = 10000;
  int idle_timeout_ms = 5000;
  size_t max_requests_per_connection = 100;
  int io_timeout_ms = 10000;
  int response_timeout_ms = 150000;
};

class GuardedServer : public httplib::Server {
 public:
  // Threads beyond max_connections: they admit new connections (and close or refuse) while
  // max_connections threads are taken.
  static constexpr size_t kAdmissionThreads = 16;
  static constexpr int kListenBacklog = 1024;

  explicit GuardedServer(const ServerLimits& limits);
  ~GuardedServer() override;

  // bind_to_port with a larger listen backlog.
  bool bind(const std::string& host, int port);
  // Stops listening and closes the connections that are only waiting; answers in progress end
  // on their own. Safe from any thread (not from a signal handler).
  void shutdown();
  // From a handler (we call it in the pre-routing handler): the connection on this thread is
  // answering a request and must not be closed to make room.
  static void handling_request();
  // From a handler that answers without reading the request body (a refusal before routing, a
  // 413): the rest of that request is still in the stream, so the connection must close after
  // this answer instead of reading the body as the next request.
  static void close_after_answer();

  struct Stats {
    ConnectionGate::Stats connections;
    WorkerPool::Stats threads;
  };
  Stats stats() const;

 private:
  bool process_and_close_socket(socket_t sock) override;

  const ServerLimits limits_;
  ConnectionGate gate_;
  std::unique_ptr<WorkerPool> pool_;
};

}  // namespace cinerag::proxy
