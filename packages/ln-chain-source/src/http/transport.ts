import { ChainSourceError } from '../errors.js';

/** How a client reaches its server: the fetch to use, and the limits every request gets. */
export interface HttpTransportOptions {
  /** The fetch to use (default: the global one; browsers, workers, Node 18+). */
  readonly fetch?: typeof globalThis.fetch;
  /** Milliseconds a whole request may take, body included (default 30,000). */
  readonly timeoutMs?: number;
  /** Largest response body read, in bytes; past it the request fails with `response_too_large` (default 32 MiB: a 4 MB block in hex inside JSON fits). */
  readonly maxResponseBytes?: number;
  /** Headers sent with every request (an API key, say). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** One request's settings. */
export interface HttpRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Abort this request early (the error is `aborted`). */
  readonly signal?: AbortSignal;
  /** Overrides the transport's timeout for this request. */
  readonly timeoutMs?: number;
  /** Overrides the transport's size cap for this request. */
  readonly maxResponseBytes?: number;
}

/** An answer read in full. */
export interface HttpResponse {
  readonly status: number;
  readonly body: Uint8Array;
}

/** Per-request defaults shared by the clients. */
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/**
 * Sends requests with a deadline covering the whole exchange (connect, headers
 * and every body chunk) and a cap on the body size, so neither a silent server
 * nor an endless or huge answer can hang the caller or grow its memory. Every
 * failure is a {@link ChainSourceError}.
 */
export class HttpTransport {
  readonly #fetch: typeof globalThis.fetch;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #headers: Readonly<Record<string, string>>;

  constructor(options: HttpTransportOptions = {}) {
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.#headers = options.headers ?? {};
    if (!(this.#timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
    if (!(this.#maxBytes > 0)) throw new RangeError('maxResponseBytes must be positive');
  }

  /**
   * Sends one request and reads its whole body. A connection the server closed
   * while it sat idle in the pool (a keep-alive race: reset before any answer)
   * is tried once more on a fresh one, within the same deadline.
   */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const started = Date.now();
    try {
      return await this.#attempt(req, req.timeoutMs ?? this.#timeoutMs);
    } catch (error) {
      if (!(error instanceof ChainSourceError) || error.code !== 'unreachable' || error.status !== undefined || !isStaleConnection(error.cause)) throw error;
      const left = (req.timeoutMs ?? this.#timeoutMs) - (Date.now() - started);
      if (left <= 0) throw error;
      return this.#attempt(req, left);
    }
  }

  async #attempt(req: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
    const maxBytes = req.maxResponseBytes ?? this.#maxBytes;
    const controller = new AbortController();
    let reason: 'timeout' | 'aborted' | undefined;
    let failDeadline: (error: ChainSourceError) => void = () => {};
    // Rejects when the timer or the caller's signal fires, whatever fetch does with the abort.
    const deadline = new Promise<never>((_, reject) => {
      failDeadline = reject;
    });
    deadline.catch(() => {});
    const stop = (why: 'timeout' | 'aborted') => {
      if (reason !== undefined) return;
      reason = why;
      failDeadline(why === 'timeout' ? new ChainSourceError('timeout', `${describe(req)}: no complete answer within ${timeoutMs} ms`) : new ChainSourceError('aborted', `${describe(req)}: aborted by the caller`));
      controller.abort();
    };
    const timer = setTimeout(() => stop('timeout'), timeoutMs);
    const onAbort = () => stop('aborted');
    if (req.signal !== undefined) {
      if (req.signal.aborted) onAbort();
      else req.signal.addEventListener('abort', onAbort, { once: true });
    }
    try {
      if (reason !== undefined) await deadline;
      let response: Response;
      try {
        response = await Promise.race([
          this.#fetch(req.url, {
            method: req.method,
            headers: { ...this.#headers, ...req.headers },
            ...(req.body === undefined ? {} : { body: req.body as BodyInit }),
            signal: controller.signal,
            redirect: 'error',
          }),
          deadline,
        ]);
      } catch (cause) {
        if (cause instanceof ChainSourceError) throw cause;
        if (reason !== undefined) await deadline;
        throw new ChainSourceError('unreachable', `${describe(req)}: cannot reach the server`, { cause });
      }
      const body = await readBody(response, maxBytes, deadline, req).catch(async (cause: unknown) => {
        if (cause instanceof ChainSourceError) throw cause;
        if (reason !== undefined) await deadline;
        throw new ChainSourceError('unreachable', `${describe(req)}: the connection broke while reading the answer`, { cause, status: response.status });
      });
      return { status: response.status, body };
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
  }
}

async function readBody(response: Response, maxBytes: number, deadline: Promise<never>, req: HttpRequest): Promise<Uint8Array> {
  const tooLarge = () => new ChainSourceError('response_too_large', `${describe(req)}: the answer is larger than ${maxBytes} bytes`, { status: response.status });
  const declared = response.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), deadline]);
      if (done) break;
      total += value.length;
      if (total > maxBytes) throw tooLarge();
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

// A connection reset or closed before any answer: the server dropped a pooled
// keep-alive connection just as it was reused.
function isStaleConnection(cause: unknown): boolean {
  for (let c = cause, depth = 0; c !== undefined && c !== null && depth < 4; c = (c as { cause?: unknown }).cause, depth++) {
    const code = (c as { code?: unknown }).code;
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return true;
  }
  return false;
}

/** The method and URL without credentials or query, for messages. */
export function describe(req: { method: string; url: string }): string {
  try {
    const u = new URL(req.url);
    return `${req.method} ${u.origin}${u.pathname}`;
  } catch {
    return req.method;
  }
}
