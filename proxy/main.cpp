// cinerag-proxy: the small server between the app and the OpenAI Chat Completions API. It keeps
// the key, owns the prompt, bounds every request, limits abuse, and streams the answer as SSE.
// Over 500 lines on purpose: it is the server's wiring (options, routes, upstream call, shutdown)
// read top to bottom; the parts with logic of their own are request.*, rate_limit.*, sse.*,
// connections.* and server.* (connection handling that slow clients cannot starve).
//   OPENAI_API_KEY=... cinerag-proxy --allow-origin https://example.org [options]   (see usage())
#include <httplib.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "rate_limit.h"
#include "request.h"
#include "server.h"
#include "sse.h"

namespace cinerag::proxy {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// Caps on one upstream answer, whatever the model or the network does. A stream that never ends
// is cut at kUpstreamMaxMs after the request, counting the retry; one that floods is cut at
// kUpstreamMaxBytes (a whole 32 KB answer streams as about 1.5 MB of chunk events; error bodies
// count too). The client gets an `upstream_timeout` or `upstream_error`, as JSON before the stream
// and as an `error` event in it.
constexpr int kUpstreamMaxMs = 120000;
constexpr size_t kUpstreamMaxBytes = size_t{4} << 20;
// Bytes read from the upstream and not yet relayed to the client: past this the upstream reader
// waits, so a client that reads slowly never makes the proxy hold a whole answer.
constexpr size_t kUpstreamQueueBytes = size_t{256} << 10;

struct Config {
  std::string host = "127.0.0.1";
  int port = 8787;
  std::set<std::string> origins;  // allowed browser origins
  std::string model = "gpt-4o";
  std::string base_url = "https://api.openai.com/v1";
  std::string api_key;
  int upstream_timeout_ms = 30000;
  int connect_timeout_ms = 5000;
  int retry_backoff_ms = 500;
  double rate = 0.5;  // requests per second per client, refilled
  double burst = 6;   // bucket size
  int max_concurrent = 64;
  bool trust_forwarded_for = false;
  size_t max_answer_bytes = 32 * 1024;
  int upstream_max_ms = kUpstreamMaxMs;
  size_t upstream_max_bytes = kUpstreamMaxBytes;
  Limits limits;
  ServerLimits server;
};

void usage() {
  std::fprintf(stderr,
               "usage: cinerag-proxy [--host 127.0.0.1] [--port 8787] [--allow-origin ORIGIN]...\n"
               "         [--model gpt-4o] [--key-file PATH] [--upstream-timeout-ms 30000]\n"
               "         [--retry-backoff-ms 500] [--rate 0.5] [--burst 6] [--max-concurrent 64]\n"
               "         [--max-connections 512] [--threads 16] [--request-timeout-ms 10000]\n"
               "         [--upstream-max-ms 120000] [--upstream-max-bytes 4194304]\n"
               "         [--trust-forwarded-for]\n"
               "The key comes from OPENAI_API_KEY or --key-file; OPENAI_BASE_URL moves the "
               "upstream (default https://api.openai.com/v1).\n");
}

// One JSON line per request on stdout; never message text, never the key.
std::mutex g_log_mu;
void log_line(const json& line) {
  std::lock_guard<std::mutex> lock(g_log_mu);
  std::cout << line.dump() << std::endl;
}

json error_body(const std::string& code, const std::string& message,
                const std::string& field = "") {
  json body = {{"error", code}, {"message", message}};
  if (!field.empty()) body["field"] = field;
  return body;
}

void send_error(httplib::Response& res, int status, const std::string& code,
                const std::string& message, const std::string& field = "") {
  res.status = status;
  res.set_content(error_body(code, message, field).dump(), "application/json");
}

// What the upstream thread, the request handler and the stream writer share. It outlives
// whichever of them finishes first (shared_ptr), so a client that leaves mid-stream or an
// upstream that hangs never leaves a dangling reference.
struct Exchange {
  std::mutex mu;
  std::condition_variable cv;
  enum class State { kWaiting, kStreaming, kFailed, kFinished } state = State::kWaiting;
  Clock::time_point deadline;  // the whole upstream answer, retry included (kUpstreamMaxMs)
  // kFailed: the HTTP answer to give the client.
  int status = 0;
  std::string code, message;
  int retry_after = 0;
  // kStreaming / kFinished: bytes from the upstream body, and how the stream ended.
  std::deque<std::string> chunks;
  size_t queued = 0;    // bytes in chunks
  size_t received = 0;  // bytes of this attempt's body so far
  bool stream_broken = false;
  bool stream_timed_out = false;
  bool too_large = false;  // past upstream_max_bytes
  bool too_slow = false;   // past the deadline
  bool cancelled = false;  // the client went away or the deadline passed: stop reading upstream
  // The call in progress, so that cancel() can cut a read that is waiting on the network.
  std::shared_ptr<httplib::Client> client;
};

// Stops the upstream call now (any thread; takes ex->mu).
void cancel(const std::shared_ptr<Exchange>& ex) {
  std::shared_ptr<httplib::Client> client;
  {
    std::lock_guard<std::mutex> lock(ex->mu);
    ex->cancelled = true;
    client = ex->client;
    ex->cv.notify_all();
  }
  // Outside our lock: stop() takes the client's own, which its thread may hold while connecting.
  if (client) client->stop();
}

struct UpstreamTarget {
  std::string origin;  // scheme://host[:port]
  std::string path;    // e.g. /v1/chat/completions
};

bool parse_base_url(const std::string& base, UpstreamTarget* out) {
  const size_t scheme = base.find("://");
  if (scheme == std::string::npos) return false;
  const size_t slash = base.find('/', scheme + 3);
  out->origin = base.substr(0, slash);
  std::string prefix = slash == std::string::npos ? "" : base.substr(slash);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  out->path = prefix + "/chat/completions";
  return base.compare(0, 7, "http://") == 0 || base.compare(0, 8, "https://") == 0;
}

// Runs the upstream call on its own thread: one retry, with backoff, on 429 and 5xx before the
// stream starts; the body streams into the exchange as it arrives, within the exchange's caps.
void run_upstream(std::shared_ptr<Exchange> ex, const Config& cfg, const UpstreamTarget& target,
                  std::string body) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    const auto started = Clock::now();
    auto cli = std::make_shared<httplib::Client>(target.origin);
    cli->set_connection_timeout(std::chrono::milliseconds(cfg.connect_timeout_ms));
    cli->set_read_timeout(std::chrono::milliseconds(cfg.upstream_timeout_ms));
    cli->set_write_timeout(std::chrono::milliseconds(cfg.upstream_timeout_ms));
    {
      std::lock_guard<std::mutex> lock(ex->mu);
      if (ex->cancelled) return;
      ex->client = cli;
      ex->received = 0;
    }
    httplib::Request req;
    req.method = "POST";
    req.path = target.path;
    req.headers = {{"Authorization", "Bearer " + cfg.api_key}, {"Accept", "text/event-stream"}};
    req.set_header("Content-Type", "application/json");
    req.body = body;
    int status = 0;
    int retry_after = 0;
    req.response_handler = [&](const httplib::Response& r) {
      status = r.status;
      if (r.has_header("Retry-After"))
        retry_after = std::atoi(r.get_header_value("Retry-After").c_str());
      std::lock_guard<std::mutex> lock(ex->mu);
      if (ex->cancelled) return false;
      if (status == 200) {
        ex->state = Exchange::State::kStreaming;
        ex->cv.notify_all();
      }
      return true;
    };
    req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
      std::unique_lock<std::mutex> lock(ex->mu);
      if (ex->cancelled) return false;
      ex->received += n;
      if (ex->received > cfg.upstream_max_bytes) {
        ex->too_large = true;
        return false;
      }
      if (status != 200) return true;  // an error body: read and drop (it may quote the key)
      // Wait while the client is behind; never past the deadline.
      if (!ex->cv.wait_until(lock, ex->deadline,
                             [&] { return ex->queued < kUpstreamQueueBytes || ex->cancelled; })) {
        ex->too_slow = true;
        return false;
      }
      if (ex->cancelled) return false;
      ex->chunks.emplace_back(data, n);
      ex->queued += n;
      ex->cv.notify_all();
      return true;
    };
    httplib::Response res;
    httplib::Error err = httplib::Error::Success;
    const bool ok = cli->send(req, res, err);

    // httplib says Error::Read for a reset and for a read timeout alike: the clock tells them
    // apart.
    std::unique_lock<std::mutex> lock(ex->mu);
    ex->client.reset();
    const bool past_deadline = ex->too_slow || Clock::now() >= ex->deadline;
    const bool timed_out =
        past_deadline || err == httplib::Error::ConnectionTimeout ||
        (err == httplib::Error::Read &&
         Clock::now() - started >= std::chrono::milliseconds(cfg.upstream_timeout_ms - 50));
    if (status == 200) {
      ex->stream_broken = !ok && !ex->cancelled;
      ex->stream_timed_out = timed_out;
      ex->state = Exchange::State::kFinished;
      ex->cv.notify_all();
      return;
    }
    if (ex->cancelled) return;  // nobody waits for an answer any more
    if (ex->too_large) {
      ex->status = 502;
      ex->code = "upstream_error";
      ex->message = "the model service's answer was too large";
    } else if (!ok) {
      ex->status = timed_out ? 504 : 502;
      ex->code = timed_out ? "upstream_timeout" : "upstream_error";
      ex->message = timed_out ? "the model did not answer in time" : "cannot reach the model";
    } else if ((status == 429 || status >= 500) && attempt == 0) {
      const int wait_ms =
          retry_after > 0 ? std::min(retry_after * 1000, 2000) : cfg.retry_backoff_ms;
      // The wait ends early when the client leaves or the deadline comes first.
      if (!ex->cv.wait_until(
              lock, std::min(ex->deadline, Clock::now() + std::chrono::milliseconds(wait_ms)),
              [&] { return ex->cancelled; })) {
        if (Clock::now() < ex->deadline) continue;
      }
      if (ex->cancelled) return;
      ex->status = 504;
      ex->code = "upstream_timeout";
      ex->message = "the model did not answer in time";
    } else if (status == 429) {
      ex->status = 429;
      ex->code = "rate_limited";
      ex->message = "the model is busy; try again shortly";
      ex->retry_after = retry_after > 0 ? std::min(retry_after, 60) : 5;
    } else {
      ex->status = 502;
      ex->code = "upstream_error";
      ex->message = "the model service answered HTTP " + std::to_string(status);
    }
    ex->state = Exchange::State::kFailed;
    ex->cv.notify_all();
    return;
  }
}

struct RequestStats {
  Clock::time_point start;
  size_t bytes_out = 0;
  std::string error;
};
thread_local RequestStats t_stats;

class Proxy {
 public:
  Proxy(Config cfg, UpstreamTarget target)
      : cfg_(std::move(cfg)),
        target_(std::move(target)),
        limiter_(cfg_.rate, cfg_.burst),
        cap_(cfg_.max_concurrent) {}

  // Threads, timeouts and connection limits are the GuardedServer's (server.h).
  void install(GuardedServer& svr) {
    server_ = &svr;
    svr.set_payload_max_length(64 * 1024);  // larger bodies never reach the handler (413)
    svr.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      GuardedServer::handling_request();  // the request is in: this connection is busy now
      t_stats = {Clock::now(), 0, ""};
      return cors(req, res);
    });
    svr.Options(".*", [](const httplib::Request&, httplib::Response& res) {
      res.status = 204;
      res.set_header("Access-Control-Allow-Methods", "POST, GET, OPTIONS");
      res.set_header("Access-Control-Allow-Headers", "Content-Type");
      res.set_header("Access-Control-Max-Age", "600");
    });
    svr.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
      const GuardedServer::Stats s = server_->stats();
      res.set_content(json({{"ok", true},
                            {"model", cfg_.model},
                            {"in_flight", cap_.in_flight()},
                            {"connections", s.connections.open},
                            {"waiting", s.connections.waiting},
                            {"evicted", s.connections.evicted},
                            {"refused", s.connections.refused},
                            {"threads", s.threads.threads},
                            {"peak_threads", s.threads.peak}})
                          .dump(),
                      "application/json");
    });
    svr.Post("/v1/recommend",
             [this](const httplib::Request& req, httplib::Response& res) { recommend(req, res); });
    svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return;  // our own JSON error
      // httplib refused the request itself (413, a malformed head): part of it may still be in
      // the stream.
      GuardedServer::close_after_answer();
      res.set_header("Connection", "close");
      const int s = res.status;
      send_error(res, s,
                 s == 404   ? "not_found"
                 : s == 413 ? "body_too_large"
                            : "bad_request",
                 s == 413 ? "the request body is too large" : "no such endpoint or method");
      res.status = s;
    });
    svr.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      json line = {
          {"ts", std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count()},
          {"method", req.method},
          {"path", req.path},
          {"status", res.status},
          {"latency_ms",
           std::chrono::duration<double, std::milli>(Clock::now() - t_stats.start).count()},
          {"bytes_in", req.body.size()},
          {"bytes_out", t_stats.bytes_out + res.body.size()},
      };
      if (!t_stats.error.empty()) line["error"] = t_stats.error;
      log_line(line);
    });
  }

 private:
  // Browsers send Origin: only configured origins get CORS headers; others are refused here.
  httplib::Server::HandlerResponse cors(const httplib::Request& req, httplib::Response& res) {
    if (!req.has_header("Origin")) return httplib::Server::HandlerResponse::Unhandled;
    const std::string origin = req.get_header_value("Origin");
    res.set_header("Vary", "Origin");
    if (!cfg_.origins.count(origin) && !cfg_.origins.count("*")) {
      GuardedServer::close_after_answer();  // the body, if any, stays unread
      res.set_header("Connection", "close");
      t_stats.error = "origin_not_allowed";
      send_error(res, 403, "origin_not_allowed", "this origin may not use the proxy");
      return httplib::Server::HandlerResponse::Handled;
    }
    res.set_header("Access-Control-Allow-Origin", origin);
    return httplib::Server::HandlerResponse::Unhandled;
  }

  std::string client_address(const httplib::Request& req) const {
    if (cfg_.trust_forwarded_for && req.has_header("X-Forwarded-For")) {
      const std::string xff = req.get_header_value("X-Forwarded-For");
      return xff.substr(0, xff.find(','));
    }
    return req.remote_addr;
  }

  void fail(httplib::Response& res, int status, const std::string& code, const std::string& message,
            const std::string& field = "") {
    t_stats.error = code;
    send_error(res, status, code, message, field);
  }

  void recommend(const httplib::Request& req, httplib::Response& res) {
    int retry_after = 0;
    const double now = std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
    if (!limiter_.allow(client_address(req), now, &retry_after)) {
      res.set_header("Retry-After", std::to_string(retry_after));
      return fail(res, 429, "rate_limited",
                  "too many requests; try again in " + std::to_string(retry_after) + " s");
    }
    RecommendRequest request;
    ValidationError invalid;
    if (!parse_request(req.body, cfg_.limits, &request, &invalid)) {
      return fail(res, 400, "invalid_request", invalid.field + " " + invalid.message,
                  invalid.field);
    }
    if (!cap_.acquire()) {
      res.set_header("Retry-After", "1");
      return fail(res, 503, "busy", "the proxy is at capacity; try again shortly");
    }
    auto ex = std::make_shared<Exchange>();
    ex->deadline = Clock::now() + std::chrono::milliseconds(cfg_.upstream_max_ms);
    const Config& cfg = cfg_;
    try {
      std::thread(run_upstream, ex, std::cref(cfg), std::cref(target_),
                  build_upstream_body(request, cfg_.model).dump())
          .detach();
    } catch (const std::system_error&) {  // no thread to be had
      cap_.release();
      res.set_header("Retry-After", "1");
      return fail(res, 503, "busy", "the proxy is at capacity; try again shortly");
    }

    {
      std::unique_lock<std::mutex> lock(ex->mu);
      if (!ex->cv.wait_until(lock, ex->deadline,
                             [&] { return ex->state != Exchange::State::kWaiting; })) {
        lock.unlock();
        cancel(ex);
        cap_.release();
        return fail(res, 504, "upstream_timeout", "the model did not answer in time");
      }
      if (ex->state == Exchange::State::kFailed) {
        cap_.release();
        if (ex->retry_after) res.set_header("Retry-After", std::to_string(ex->retry_after));
        return fail(res, ex->status, ex->code, ex->message);
      }
    }
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Accel-Buffering", "no");  // no proxy buffering in front of us
    res.set_chunked_content_provider(
        "text/event-stream",
        [this, ex](size_t, httplib::DataSink& sink) { return stream(ex, sink); },
        [this, ex](bool) {
          cancel(ex);  // whatever happened to the client, stop reading upstream
          cap_.release();
        });
  }

  // Relays the upstream stream as our events: `delta` {text} as the answer grows, then one
  // `result` {recommendations, message, model} or one `error` {error, message}.
  bool stream(const std::shared_ptr<Exchange>& ex, httplib::DataSink& sink) {
    SseReader reader;
    std::string content;
    bool saw_done = false;
    auto send = [&](const std::string& name, const json& data) {
      const std::string event = sse_event(name, data.dump());
      t_stats.bytes_out += event.size();
      return sink.write(event.data(), event.size());
    };
    auto finish_with_error = [&](const std::string& code, const std::string& message) {
      t_stats.error = code;
      send("error", error_body(code, message));
      sink.done();
      return true;
    };
    for (;;) {
      std::deque<std::string> chunks;
      bool finished, broken, timed_out, too_large, past_deadline;
      {
        std::unique_lock<std::mutex> lock(ex->mu);
        ex->cv.wait_until(
            lock, std::min(ex->deadline, Clock::now() + std::chrono::seconds(2)),
            [&] { return !ex->chunks.empty() || ex->state == Exchange::State::kFinished; });
        chunks.swap(ex->chunks);
        ex->queued = 0;
        ex->cv.notify_all();  // room again for the upstream reader
        finished = ex->state == Exchange::State::kFinished && chunks.empty();
        broken = ex->stream_broken;
        timed_out = ex->stream_timed_out;
        too_large = ex->too_large;
        past_deadline = Clock::now() >= ex->deadline;
      }
      if (finished && too_large) {
        return finish_with_error("upstream_error", "the model's answer was too large");
      }
      if (past_deadline && !finished) {
        cancel(ex);
        return finish_with_error("upstream_timeout", "the model's answer took too long");
      }
      if (chunks.empty() && !finished) {
        // Nothing new: a comment line keeps the connection alive and tells us if the client left.
        if (!sink.write(": waiting\n\n", 11)) return false;
        continue;
      }
      for (const std::string& chunk : chunks) {
        std::vector<std::string> events;
        reader.feed(chunk.data(), chunk.size(), &events);
        for (const std::string& data : events) {
          if (data == "[DONE]") {
            saw_done = true;
            continue;
          }
          const json piece = json::parse(data, nullptr, false);
          if (piece.is_discarded() || !piece.is_object()) {
            return finish_with_error("upstream_error", "the model's stream was malformed");
          }
          if (piece.contains("error")) {
            return finish_with_error("upstream_error", "the model stopped with an error");
          }
          const json* delta = nullptr;
          if (piece.contains("choices") && piece["choices"].is_array() &&
              !piece["choices"].empty() && piece["choices"][0].is_object() &&
              piece["choices"][0].contains("delta") && piece["choices"][0]["delta"].is_object()) {
            delta = &piece["choices"][0]["delta"];
          }
          if (delta && delta->contains("content") && (*delta)["content"].is_string()) {
            const std::string& text = (*delta)["content"].get_ref<const std::string&>();
            content += text;
            if (content.size() > cfg_.max_answer_bytes) {
              return finish_with_error("upstream_error", "the model's answer was too long");
            }
            if (!text.empty() && !send("delta", {{"text", text}})) return false;
          }
        }
        if (reader.buffered() > cfg_.max_answer_bytes) {
          return finish_with_error("upstream_error", "the model's stream was malformed");
        }
      }
      if (!finished) continue;
      if (!saw_done) {
        return finish_with_error(timed_out ? "upstream_timeout" : "upstream_error",
                                 timed_out || broken ? "the model's stream stopped halfway"
                                                     : "the model's stream ended early");
      }
      Answer answer;
      std::string why;
      if (!parse_answer(content, &answer, &why)) return finish_with_error("upstream_error", why);
      send("result", answer_to_json(answer, cfg_.model));
      sink.done();
      return true;
    }
  }

  Config cfg_;
  UpstreamTarget target_;
  RateLimiter limiter_;
  ConcurrencyCap cap_;
  GuardedServer* server_ = nullptr;
};

bool read_key_file(const std::string& path, std::string* key) {
  std::ifstream in(path);
  if (!in) return false;
  std::getline(in, *key);
  while (!key->empty() && std::isspace(static_cast<unsigned char>(key->back()))) key->pop_back();
  return !key->empty();
}

}  // namespace
}  // namespace cinerag::proxy

int main(int argc, char** argv) {
  using namespace cinerag::proxy;
  Config cfg;
  std::string key_file;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "cinerag-proxy: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    try {
      if (a == "--host")
        cfg.host = value();
      else if (a == "--port")
        cfg.port = std::stoi(value());
      else if (a == "--allow-origin")
        cfg.origins.insert(value());
      else if (a == "--model")
        cfg.model = value();
      else if (a == "--key-file")
        key_file = value();
      else if (a == "--upstream-timeout-ms")
        cfg.upstream_timeout_ms = std::stoi(value());
      else if (a == "--retry-backoff-ms")
        cfg.retry_backoff_ms = std::stoi(value());
      else if (a == "--rate")
        cfg.rate = std::stod(value());
      else if (a == "--burst")
        cfg.burst = std::stod(value());
      else if (a == "--max-concurrent")
        cfg.max_concurrent = std::stoi(value());
      else if (a == "--max-connections")
        cfg.server.max_connections = std::stoul(value());
      else if (a == "--threads")
        cfg.server.warm_threads = std::stoul(value());
      else if (a == "--request-timeout-ms")
        cfg.server.request_timeout_ms = std::stoi(value());
      else if (a == "--upstream-max-ms")
        cfg.upstream_max_ms = std::stoi(value());
      else if (a == "--upstream-max-bytes")
        cfg.upstream_max_bytes = std::stoul(value());
      else if (a == "--trust-forwarded-for")
        cfg.trust_forwarded_for = true;
      else if (a == "--help" || a == "-h") {
        usage();
        return 0;
      } else {
        std::fprintf(stderr, "cinerag-proxy: unknown option %s\n", a.c_str());
        usage();
        return 2;
      }
    } catch (const std::exception&) {
      std::fprintf(stderr, "cinerag-proxy: bad value for %s\n", a.c_str());
      return 2;
    }
  }
  if (!key_file.empty()) {
    if (!read_key_file(key_file, &cfg.api_key)) {
      std::fprintf(stderr, "cinerag-proxy: cannot read a key from %s\n", key_file.c_str());
      return 2;
    }
  } else if (char* k = std::getenv("OPENAI_API_KEY"); k && *k) {
    cfg.api_key = k;
    // Out of the environment, including the copy /proc/PID/environ shows, and so out of any
    // process or dump that reads it.
    std::memset(k, 0, std::strlen(k));
    unsetenv("OPENAI_API_KEY");
  } else {
    std::fprintf(stderr, "cinerag-proxy: set OPENAI_API_KEY or pass --key-file\n");
    return 2;
  }
  if (const char* base = std::getenv("OPENAI_BASE_URL"); base && *base) cfg.base_url = base;
  UpstreamTarget target;
  if (!parse_base_url(cfg.base_url, &target)) {
    std::fprintf(stderr, "cinerag-proxy: OPENAI_BASE_URL must be an http(s) URL\n");
    return 2;
  }
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
  if (target.origin.compare(0, 8, "https://") == 0) {
    std::fprintf(stderr, "cinerag-proxy: built without TLS; cannot reach %s\n",
                 target.origin.c_str());
    return 2;
  }
#endif
  if (cfg.rate <= 0 || cfg.burst < 1 || cfg.max_concurrent < 1 || cfg.server.max_connections < 1 ||
      cfg.server.request_timeout_ms < 1 || cfg.upstream_max_ms < 1 || cfg.upstream_max_bytes < 1) {
    std::fprintf(stderr,
                 "cinerag-proxy: --rate > 0, --burst >= 1, --max-concurrent, --max-connections, "
                 "--request-timeout-ms, --upstream-max-ms, --upstream-max-bytes >= 1\n");
    return 2;
  }
  // A whole answer: the upstream's time cap, then the last events to write.
  cfg.server.response_timeout_ms = cfg.upstream_max_ms + 15000;

  // Memory holds the key: no core dumps, and /proc/PID/mem stays closed to other processes.
  const rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  // Each connection is a socket, and each answer in flight one more upstream: room for all.
  const rlim_t fds_needed = cfg.server.max_connections + GuardedServer::kAdmissionThreads +
                            2 * static_cast<rlim_t>(cfg.max_concurrent) + 64;
  rlimit fds{};
  if (getrlimit(RLIMIT_NOFILE, &fds) == 0 && fds.rlim_cur < fds_needed) {
    fds.rlim_cur = std::min(fds.rlim_max, fds_needed);
    setrlimit(RLIMIT_NOFILE, &fds);
    if (fds.rlim_cur < fds_needed) {
      std::fprintf(stderr, "cinerag-proxy: only %lu file descriptors; lower --max-connections\n",
                   static_cast<unsigned long>(fds.rlim_cur));
      return 2;
    }
  }

  // SIGINT/SIGTERM go to one thread that stops the server (not from a signal handler: stopping
  // closes connections under a lock). Blocked here, before any thread exists, so all inherit it.
  std::signal(SIGPIPE, SIG_IGN);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  GuardedServer svr(cfg.server);
  Proxy proxy(cfg, target);
  proxy.install(svr);
  if (!svr.bind(cfg.host, cfg.port)) {
    std::fprintf(stderr, "cinerag-proxy: cannot listen on %s:%d\n", cfg.host.c_str(), cfg.port);
    return 1;
  }
  std::atomic<bool> listening_ended{false};
  std::thread stopper([&svr, &listening_ended, stop_signals] {
    // Every signal stops the server: one that comes before listen() starts is not lost.
    for (int sig = 0; sigwait(&stop_signals, &sig) == 0 && !listening_ended;) svr.shutdown();
  });
  log_line({{"event", "listening"},
            {"host", cfg.host},
            {"port", cfg.port},
            {"model", cfg.model},
            {"upstream", target.origin},
            {"max_connections", cfg.server.max_connections}});
  svr.listen_after_bind();
  // Ends the stopper; it is done with svr before the server goes.
  listening_ended = true;
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  return 0;
}
