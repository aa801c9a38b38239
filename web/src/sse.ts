import { api } from './api';

/** One server-sent event. */
export interface SseMessage {
  event: string;
  data: string;
  id: string | undefined;
}

/**
 * Follows a server-sent event stream with the bearer token (EventSource cannot send one): reads it
 * with fetch, and after a drop reconnects with Last-Event-ID so the server resumes where it left off.
 * Returns a function that stops following.
 */
export function followStream(path: string, onMessage: (m: SseMessage) => void, onState: (state: 'connecting' | 'open' | 'retrying' | 'closed') => void): () => void {
  const controller = new AbortController();
  let lastId: string | undefined;
  let retryMs = 1000;

  const run = async () => {
    while (!controller.signal.aborted) {
      onState('connecting');
      try {
        const token = await api.accessToken();
        const headers: Record<string, string> = { accept: 'text/event-stream' };
        if (token) headers.authorization = `Bearer ${token}`;
        if (lastId !== undefined) headers['last-event-id'] = lastId;
        const response = await fetch(`/api/v1${path}`, { headers, signal: controller.signal, cache: 'no-store' });
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        onState('open');
        retryMs = 1000;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + (buffer[end] === '\r' ? 4 : 2));
            const message: SseMessage = { event: 'message', data: '', id: undefined };
            const data: string[] = [];
            for (const line of block.split(/\r?\n/)) {
              if (line.startsWith(':')) continue;
              const colon = line.indexOf(':');
              const field = colon < 0 ? line : line.slice(0, colon);
              const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (field === 'event') message.event = val;
              else if (field === 'data') data.push(val);
              else if (field === 'id') message.id = val;
              else if (field === 'retry' && /^\d+$/.test(val)) retryMs = Number(val);
            }
            if (message.id !== undefined) lastId = message.id;
            if (data.length > 0) onMessage({ ...message, data: data.join('\n') });
          }
        }
      } catch (error) {
        if (controller.signal.aborted) break;
        void error;
      }
      if (controller.signal.aborted) break;
      onState('retrying');
      await new Promise((resolve) => setTimeout(resolve, retryMs));
      retryMs = Math.min(retryMs * 2, 15_000);
    }
    onState('closed');
  };
  void run();
  return () => controller.abort();
}
