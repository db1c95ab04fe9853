// The interface's words in English and Korean.
export type Lang = 'en' | 'ko';

const en = {
  title: 'cinerag',
  tagline: 'Movie recommendations that run entirely in your browser.',
  loading: 'Loading the engine…',
  ready: (n: number) => `Ready: ${n.toLocaleString('en-US')} movies, all on your device.`,
  failed: 'The engine could not start:',
  placeholder: 'Tell me about a movie you loved or hated…',
  send: 'Send',
  clear: 'Clear history',
  language: '한국어',
  languageLabel: 'Switch to Korean',
  you: 'You',
  bot: 'cinerag',
  recognised: 'Recognised',
  nothingRecognised: 'No movie named',
  similarity: 'similarity',
  moreLike: 'More like this',
  notThis: 'Not this one',
  seen: 'Seen it',
  moreLikeText: (t: string) => `More like ${t}`,
  notThisText: (t: string) => `Not ${t}`,
  seenText: (t: string) => `I've seen ${t}`,
  askingLlm: 'The catalogue has no strong match: asking gpt-4o…',
  fromLlm: 'from gpt-4o',
  llmFailed: 'gpt-4o could not answer; here is the best offline answer.',
  offline: 'You are offline: I could not ask gpt-4o, so this is the best the catalogue has.',
  noProxy: 'No gpt-4o proxy is configured, so this is the best the catalogue has.',
  thinking: 'Thinking…',
  queued: 'Will answer when the engine is ready…',
  queuedNext: 'Will answer after the message before…',
  queuedKept: 'The message is kept: reload to try again.',
  updateReady: 'A new version is ready.',
  reload: 'Reload',
  emptyMessage: 'Type a message first.',
  assets: {
    'cinerag_core.wasm': 'Recommender core',
    'ort-wasm-simd-threaded.wasm': 'ONNX Runtime',
    'use-lite-int8.onnx': 'Sentence encoder',
    'catalogue.db': 'Movie catalogue',
  } as Record<string, string>,
};

const ko: typeof en = {
  ...en,
  tagline: '브라우저 안에서만 동작하는 영화 추천.',
  loading: '엔진을 불러오는 중…',
  ready: (n: number) =>
    `준비 완료: 영화 ${n.toLocaleString('ko-KR')}편, 모두 이 기기에서 동작합니다.`,
  failed: '엔진을 시작할 수 없습니다:',
  placeholder: '좋았던 영화나 별로였던 영화를 이야기해 주세요…',
  send: '보내기',
  clear: '기록 지우기',
  language: 'English',
  languageLabel: '영어로 전환',
  you: '나',
  recognised: '인식한 영화',
  nothingRecognised: '언급된 영화 없음',
  similarity: '유사도',
  moreLike: '이런 영화 더',
  notThis: '이건 아니야',
  seen: '봤어요',
  moreLikeText: (t: string) => `${t} 같은 영화 더`,
  notThisText: (t: string) => `${t} 말고`,
  seenText: (t: string) => `${t} 봤어`,
  askingLlm: '카탈로그에 딱 맞는 영화가 없어 gpt-4o에게 묻는 중…',
  fromLlm: 'gpt-4o 답변',
  llmFailed: 'gpt-4o가 답하지 못했어요. 오프라인 최선의 답입니다.',
  offline: '오프라인이라 gpt-4o에게 물을 수 없었어요. 카탈로그의 최선의 답입니다.',
  noProxy: 'gpt-4o 프록시가 설정되지 않아 카탈로그의 최선의 답입니다.',
  thinking: '생각 중…',
  queued: '엔진이 준비되면 답할게요…',
  queuedNext: '앞의 메시지에 답한 뒤 답할게요…',
  queuedKept: '메시지는 보관됩니다. 새로고침해서 다시 시도하세요.',
  updateReady: '새 버전이 준비되었습니다.',
  reload: '새로고침',
  emptyMessage: '먼저 메시지를 입력하세요.',
  assets: {
    'cinerag_core.wasm': '추천 엔진',
    'ort-wasm-simd-threaded.wasm': 'ONNX 런타임',
    'use-lite-int8.onnx': '문장 인코더',
    'catalogue.db': '영화 카탈로그',
  },
};

export const strings = { en, ko };
export type Strings = typeof en;

export function browserLang(): Lang {
  return (navigator.language || 'en').toLowerCase().startsWith('ko') ? 'ko' : 'en';
}
