import { Buffer } from 'node:buffer';
import type { ServerResponse } from 'node:http';

/** An HTTP answer. */
export interface HttpReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string | Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
}

export const text = (status: number, body: string, contentType = 'text/plain'): HttpReply => ({ status, contentType, body });
export const json = (status: number, body: string): HttpReply => ({ status, contentType: 'application/json', body });
export const binary = (body: Uint8Array): HttpReply => ({ status: 200, contentType: 'application/octet-stream', body });

/** Writes a reply. */
export function send(res: ServerResponse, reply: HttpReply): void {
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : Buffer.from(reply.body.buffer, reply.body.byteOffset, reply.body.byteLength);
  res.writeHead(reply.status, { 'Content-Type': reply.contentType, 'Content-Length': String(body.length), ...reply.headers });
  res.end(body);
}
