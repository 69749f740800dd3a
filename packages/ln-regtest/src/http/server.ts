import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { Buffer } from 'node:buffer';
import { timingSafeEqual } from 'node:crypto';
import type { Regtest } from '../node/regtest.js';
import { handleEsplora } from './esplora.js';
import { type HttpReply, send, text } from './reply.js';
import { handleRest } from './rest.js';
import { handleRpcBody } from './rpc/dispatch.js';

/** JSON-RPC credentials (cookie or rpcuser/rpcpassword). */
export interface RpcCredentials {
  readonly user: string;
  readonly password: string;
}

/** What the HTTP server serves. */
export interface RegtestServerOptions {
  readonly node: Regtest;
  readonly credentials: RpcCredentials;
  /** Called by the `stop` RPC. */
  readonly onStop?: () => void;
  /** Largest request body accepted (default 32 MiB, bitcoind's limit). */
  readonly maxBodyBytes?: number;
}

/** Path prefix of the Esplora API. */
export const ESPLORA_PREFIX = '/api';

function authorized(header: string | undefined, credentials: RpcCredentials): boolean {
  if (header === undefined || !header.startsWith('Basic ')) return false;
  const given = Buffer.from(Buffer.from(header.slice(6).trim(), 'base64').toString('utf8'), 'utf8');
  const expected = Buffer.from(`${credentials.user}:${credentials.password}`, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else if (!over) chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * One HTTP server for the three APIs: bitcoind's JSON-RPC (POST / and
 * /wallet/<name>, HTTP basic auth), bitcoind's REST (GET /rest/...) and
 * Esplora (/api/...). Every answer comes from the chain's plain methods; a
 * request the handlers cannot serve gets bitcoind's or Esplora's error, and
 * nothing a client sends can crash the server.
 */
export function createRegtestServer(options: RegtestServerOptions): Server {
  const { node, credentials } = options;
  const limit = options.maxBodyBytes ?? 32 * 1024 * 1024;
  const startedAt = node.now();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      send(res, text(400, 'Bad Request'));
      return;
    }
    const body = await readBody(req, limit);
    if (body === undefined) {
      send(res, text(413, 'Request body too large'));
      return;
    }
    const path = url.pathname;
    const method = req.method ?? 'GET';
    let reply: HttpReply;
    if (path === ESPLORA_PREFIX || path.startsWith(`${ESPLORA_PREFIX}/`)) {
      // Esplora is read from web pages too (public instances allow any origin).
      const answer =
        method === 'OPTIONS'
          ? { status: 204, contentType: 'text/plain', body: '', headers: { 'Access-Control-Allow-Methods': 'GET, POST, OPTIONS', 'Access-Control-Allow-Headers': 'Content-Type' } }
          : handleEsplora(node, method, path.slice(ESPLORA_PREFIX.length) || '/', url.searchParams, body.toString('utf8'));
      reply = { ...answer, headers: { ...answer.headers, 'Access-Control-Allow-Origin': '*' } };
    } else if (path.startsWith('/rest/')) {
      reply = method === 'GET' ? handleRest(node, path.slice('/rest/'.length), url.searchParams) : text(405, '');
    } else if (path === '/' || path.startsWith('/wallet/')) {
      if (!authorized(req.headers.authorization, credentials)) {
        reply = { status: 401, contentType: 'text/html; charset=ISO-8859-1', body: '', headers: { 'WWW-Authenticate': 'Basic realm="jsonrpc"' } };
      } else if (method !== 'POST') {
        reply = text(405, 'JSONRPC server handles only POST requests');
      } else {
        const out = handleRpcBody(body.toString('utf8'), { node, startedAt, stop: options.onStop ?? (() => undefined) });
        reply = { status: out.status, contentType: 'application/json', body: out.body };
      }
    } else {
      reply = text(404, '');
    }
    send(res, reply);
  };
  return createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, text(500, `internal error: ${e instanceof Error ? e.message : String(e)}`));
      else res.destroy();
    });
  });
}
