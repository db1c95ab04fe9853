// cinerag-proxy: the small server between the app and the OpenAI Chat Completions API. It keeps
// the key, owns the prompt, bounds every request, limits abuse, and streams the answer as SSE.
// Over 500 lines on purpose: it is the server's wiring (options, routes, upstream call, shutdown)
// read top to bottom; the parts with logic of their own are request.*, rate_limit.*, sse.*.
//   OPENAI_API_KEY=... cinerag-proxy --allow-origin https://example.org [options]   (see usage())
#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
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
#include "sse.h"

namespace cinerag::proxy {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

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
  int threads = 96;
  bool trust_forwarded_for = false;
  size_t max_answer_bytes = 32 * 1024;
  Limits limits;
};

void usage() {
  std::fprintf(stderr,
               "usage: cinerag-proxy [--host 127.0.0.1] [--port 8787] [--allow-origin ORIGIN]...\n"
               "         [--model gpt-4o] [--key-file PATH] [--upstream-timeout-ms 30000]\n"
               "         [--retry-backoff-ms 500] [--rate 0.5] [--burst 6] [--max-concurrent 64]\n"
               "         [--threads 96] [--trust-forwarded-for]\n"
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
  // kFailed: the HTTP answer to give the client.
  int status = 0;
  std::string code, message;
  int retry_after = 0;
  // kStreaming / kFinished: bytes from the upstream body, and how the stream ended.
  std::deque<std::string> chunks;
  bool stream_broken = false;
  bool stream_timed_out = false;
  bool cancelled = false;  // the client went away: stop reading upstream
};

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
// stream starts; the body streams into the exchange as it arrives.
void run_upstream(std::shared_ptr<Exchange> ex, const Config& cfg, const UpstreamTarget& target,
                  std::string body) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    const auto started = Clock::now();
    httplib::Client cli(target.origin);
    cli.set_connection_timeout(std::chrono::milliseconds(cfg.connect_timeout_ms));
    cli.set_read_timeout(std::chrono::milliseconds(cfg.upstream_timeout_ms));
    cli.set_write_timeout(std::chrono::milliseconds(cfg.upstream_timeout_ms));
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
      if (status == 200) {
        std::lock_guard<std::mutex> lock(ex->mu);
        ex->state = Exchange::State::kStreaming;
        ex->cv.notify_all();
      }
      return true;
    };
    req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
      if (status != 200) return true;  // an error body: read and drop (it may quote the key)
      std::lock_guard<std::mutex> lock(ex->mu);
      if (ex->cancelled) return false;
      ex->chunks.emplace_back(data, n);
      ex->cv.notify_all();
      return true;
    };
    httplib::Response res;
    httplib::Error err = httplib::Error::Success;
    const bool ok = cli.send(req, res, err);

    // httplib says Error::Read for a reset and for a read timeout alike: the clock tells them
    // apart.
    const bool timed_out =
        err == httplib::Error::ConnectionTimeout ||
        (err == httplib::Error::Read &&
         Clock::now() - started >= std::chrono::milliseconds(cfg.upstream_timeout_ms - 50));
    std::unique_lock<std::mutex> lock(ex->mu);
    if (status == 200) {
      ex->stream_broken = !ok && !ex->cancelled;
      ex->stream_timed_out = timed_out;
      ex->state = Exchange::State::kFinished;
      ex->cv.notify_all();
      return;
    }
    if (!ok) {
      ex->status = timed_out ? 504 : 502;
      ex->code = timed_out ? "upstream_timeout" : "upstream_error";
      ex->message = timed_out ? "the model did not answer in time" : "cannot reach the model";
    } else if ((status == 429 || status >= 500) && attempt == 0 && !ex->cancelled) {
      lock.unlock();
      const int wait_ms =
          retry_after > 0 ? std::min(retry_after * 1000, 2000) : cfg.retry_backoff_ms;
      std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
      continue;
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

  void install(httplib::Server& svr) {
    const int threads = cfg_.threads;
    svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    svr.set_payload_max_length(64 * 1024);  // larger bodies never reach the handler (413)
    svr.set_read_timeout(std::chrono::seconds(10));
    svr.set_write_timeout(std::chrono::seconds(10));
    svr.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
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
      res.set_content(
          json({{"ok", true}, {"model", cfg_.model}, {"in_flight", cap_.in_flight()}}).dump(),
          "application/json");
    });
    svr.Post("/v1/recommend",
             [this](const httplib::Request& req, httplib::Response& res) { recommend(req, res); });
    svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return;  // our own JSON error
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
    const Config& cfg = cfg_;
    std::thread(run_upstream, ex, std::cref(cfg), std::cref(target_),
                build_upstream_body(request, cfg_.model).dump())
        .detach();

    {
      std::unique_lock<std::mutex> lock(ex->mu);
      ex->cv.wait(lock, [&] { return ex->state != Exchange::State::kWaiting; });
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
          std::lock_guard<std::mutex> lock(ex->mu);
          ex->cancelled = true;  // whatever happened to the client, stop reading upstream
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
      bool finished, broken, timed_out;
      {
        std::unique_lock<std::mutex> lock(ex->mu);
        ex->cv.wait_for(lock, std::chrono::seconds(2), [&] {
          return !ex->chunks.empty() || ex->state == Exchange::State::kFinished;
        });
        chunks.swap(ex->chunks);
        finished = ex->state == Exchange::State::kFinished && chunks.empty();
        broken = ex->stream_broken;
        timed_out = ex->stream_timed_out;
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
};

httplib::Server* g_server = nullptr;
void on_signal(int) {
  if (g_server) g_server->stop();
}

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
      else if (a == "--threads")
        cfg.threads = std::stoi(value());
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
  } else if (const char* k = std::getenv("OPENAI_API_KEY"); k && *k) {
    cfg.api_key = k;
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
  if (cfg.rate <= 0 || cfg.burst < 1 || cfg.max_concurrent < 1 || cfg.threads < 2) {
    std::fprintf(stderr, "cinerag-proxy: --rate > 0, --burst >= 1, --max-concurrent >= 1\n");
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);

  httplib::Server svr;
  Proxy proxy(cfg, target);
  proxy.install(svr);
  g_server = &svr;
  if (!svr.bind_to_port(cfg.host.c_str(), cfg.port)) {
    std::fprintf(stderr, "cinerag-proxy: cannot listen on %s:%d\n", cfg.host.c_str(), cfg.port);
    return 1;
  }
  log_line({{"event", "listening"},
            {"host", cfg.host},
            {"port", cfg.port},
            {"model", cfg.model},
            {"upstream", target.origin}});
  svr.listen_after_bind();
  return 0;
}
