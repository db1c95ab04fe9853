// Types of fallback.js (the gpt-4o proxy client shared by the app and the CLI).
export interface LlmAnswer {
  message: string;
  recommendations: { title: string; year?: number | null; reason?: string }[];
  model?: string;
}

export function askProxy(
  proxyUrl: string,
  lang: 'en' | 'ko',
  messages: { role: 'user' | 'assistant'; text: string }[],
  answer: {
    results: { title: string; year: number; genres: string[]; overview: string }[];
    mentioned: { title: string }[];
  },
  onDelta: (text: string) => void,
  timeoutMs?: number,
): Promise<LlmAnswer>;
