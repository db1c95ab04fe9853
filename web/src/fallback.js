// @ts-check
// The gpt-4o fallback client: when the core flags `fallback`, the app (or `cinerag ask --proxy`)
// POSTs the conversation and the core's candidates to the proxy and reads the server-sent events
// it streams back (delta, result, error). Plain JS with JSDoc so the browser and Node share it;
// web/tsconfig.json type-checks it.

/**
 * gpt-4o's answer, the proxy's `result` event.
 * @typedef {object} LlmAnswer
 * @property {string} message
 * @property {{title: string, year?: number | null, reason?: string}[]} recommendations
 * @property {string} [model]
 */

/**
 * Asks gpt-4o through the proxy; resolves with its answer, rejects on an error event, an HTTP
 * error, a stream that ends without a result, or after `timeoutMs`.
 * @param {string | URL} proxyUrl  the proxy's base URL
 * @param {'en'|'ko'} lang
 * @param {{role: 'user'|'assistant', text: string}[]} messages
 * @param {{results: {title: string, year: number, genres: string[], overview: string}[],
 *          mentioned: {title: string}[]}} answer  the core's answer (its candidates and mentions)
 * @param {(text: string) => void} onDelta  the answer so far, as it streams
 * @param {number} [timeoutMs]
 * @returns {Promise<LlmAnswer>}
 */
export async function askProxy(proxyUrl, lang, messages, answer, onDelta, timeoutMs = 20000) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const body = {
      lang,
      messages: messages.slice(-8).map((m) => ({ role: m.role, text: m.text.slice(0, 600) })),
      // The proxy takes at most 16 KB: a few candidates with short overviews.
      candidates: answer.results.slice(0, 10).map((r) => ({
        title: r.title.slice(0, 200),
        year: r.year || null,
        genres: r.genres.join(', '),
        overview: r.overview.slice(0, 200),
      })),
      exclude: answer.mentioned.map((m) => m.title.slice(0, 200)).slice(0, 10),
    };
    const response = await fetch(new URL('v1/recommend', proxyUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    if (!response.ok || !response.body) {
      let detail = `HTTP ${response.status}`;
      try {
        detail = (await response.json()).message ?? detail;
      } catch {}
      throw new Error(detail);
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let streamed = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n');
        if (!data) continue;
        const payload = JSON.parse(data);
        if (event === 'delta') {
          streamed += payload.text ?? '';
          onDelta(streamed);
        } else if (event === 'result') {
          return payload;
        } else if (event === 'error') {
          throw new Error(payload.message ?? payload.error ?? 'the proxy reported an error');
        }
      }
    }
    throw new Error('the proxy closed the stream without a result');
  } finally {
    clearTimeout(timer);
  }
}
