// A local OpenAI-compatible HTTP server for tests: real HTTP on 127.0.0.1, a random port,
// answers scripted per request (Chat Completions and Responses), every request recorded.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body text. */
  raw: string;
  /** The parsed body. */
  body: {
    model?: string;
    messages?: Array<{ role: string; content: string }>;
    instructions?: string;
    input?: Array<{ role: string; content: string }>;
    [key: string]: unknown;
  };
}

/** What the server answers to one request. */
export type ScriptedAnswer =
  /** A completed answer whose text is this plan as JSON. */
  | { plan: unknown }
  /** A completed answer with this text (anything, e.g. not JSON). */
  | { content: string; truncated?: boolean }
  | { refusal: string }
  /** An HTTP error. */
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** Never answers (the socket stays open until the client gives up or the server closes). */
  | { hang: true }
  /** A body of this many bytes (for the response cap). */
  | { hugeBytes: number }
  /** Decided from the request (e.g. the e2e test reads the brief). */
  | ((request: RecordedRequest) => ScriptedAnswer);

export interface FakeOpenAiServer {
  /** http://127.0.0.1:<port>/v1 */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Queues answers, one per request, in order. With the queue empty the server answers 500. */
  script(...answers: ScriptedAnswer[]): void;
  close(): Promise<void>;
}

const tokens = (text: string): number => Math.ceil(text.length / 4);

function chatBody(request: RecordedRequest, answer: { content: string | null; refusal: string | null; truncated: boolean }): unknown {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: 0,
    model: request.body.model ?? 'test-model',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: answer.content, refusal: answer.refusal },
        finish_reason: answer.truncated ? 'length' : 'stop',
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: tokens(request.raw), completion_tokens: tokens(answer.content ?? answer.refusal ?? ''), total_tokens: 0 },
  };
}

function responsesBody(request: RecordedRequest, answer: { content: string | null; refusal: string | null; truncated: boolean }): unknown {
  const content = answer.refusal !== null ? [{ type: 'refusal', refusal: answer.refusal }] : [{ type: 'output_text', text: answer.content ?? '', annotations: [] }];
  return {
    id: `resp_${Math.random().toString(36).slice(2)}`,
    object: 'response',
    created_at: 0,
    status: answer.truncated ? 'incomplete' : 'completed',
    incomplete_details: answer.truncated ? { reason: 'max_output_tokens' } : null,
    model: request.body.model ?? 'test-model',
    output: [{ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content }],
    usage: { input_tokens: tokens(request.raw), output_tokens: tokens(answer.content ?? answer.refusal ?? ''), total_tokens: 0 },
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  response.end(text);
}

export async function startFakeOpenAiServer(): Promise<FakeOpenAiServer> {
  const requests: RecordedRequest[] = [];
  const queue: ScriptedAnswer[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: RecordedRequest['body'] = {};
      try {
        body = raw ? (JSON.parse(raw) as RecordedRequest['body']) : {};
      } catch {
        // recorded as is
      }
      const path = (incoming.url ?? '').split('?')[0] as string;
      const request: RecordedRequest = { method: incoming.method ?? '', path, headers: incoming.headers, raw, body };
      requests.push(request);
      const api = path === '/v1/chat/completions' ? 'chat' : path === '/v1/responses' ? 'responses' : null;
      if (incoming.method !== 'POST' || api === null) {
        sendJson(response, 404, { error: { message: `no route ${incoming.method} ${path}`, type: 'invalid_request_error' } });
        return;
      }
      let answer = queue.shift();
      while (typeof answer === 'function') answer = answer(request);
      if (answer === undefined) {
        sendJson(response, 500, { error: { message: 'the test scripted no answer for this request', type: 'server_error' } });
        return;
      }
      if ('hang' in answer) return;
      if ('status' in answer) {
        sendJson(response, answer.status, answer.body ?? { error: { message: `status ${answer.status}`, type: 'error' } }, answer.headers);
        return;
      }
      if ('hugeBytes' in answer) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(`{"padding":"${'x'.repeat(answer.hugeBytes)}"}`);
        return;
      }
      const shaped =
        'refusal' in answer
          ? { content: null, refusal: answer.refusal, truncated: false }
          : 'plan' in answer
            ? { content: JSON.stringify(answer.plan), refusal: null, truncated: false }
            : { content: answer.content, refusal: null, truncated: answer.truncated ?? false };
      sendJson(response, 200, api === 'chat' ? chatBody(request, shaped) : responsesBody(request, shaped));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...answers) => queue.push(...answers),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
