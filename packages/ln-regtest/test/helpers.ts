import { publicKeyFromPrivate } from 'ln-crypto';
import { p2wpkh } from 'ln-tx';
import { fromHex } from 'ln-types';
import type { RunningRegtest } from '../src/index.js';
import { scriptToAddress } from '../src/index.js';

/** A P2WPKH key for tests: private key, public key, script, address. */
export function testKey(byte: number): { priv: Uint8Array; pub: Uint8Array; script: Uint8Array; address: string } {
  const priv = fromHex(byte.toString(16).padStart(2, '0').repeat(32));
  const pub = publicKeyFromPrivate(priv);
  const script = p2wpkh(pub);
  return { priv, pub, script, address: scriptToAddress(script)! };
}

/** A raw JSON-RPC call: the HTTP status and parsed body. */
export async function rpcRaw(chain: RunningRegtest, body: unknown, auth = `${chain.credentials.user}:${chain.credentials.password}`): Promise<{ status: number; body: unknown; text: string }> {
  const res = await fetch(chain.rpcUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Basic ${btoa(auth)}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text };
}

/** A JSON-RPC 1.0 call returning `result`, or throwing the `error` object. */
export async function rpc<T = unknown>(chain: RunningRegtest, method: string, ...params: unknown[]): Promise<T> {
  const { body } = await rpcRaw(chain, { jsonrpc: '1.0', id: 'test', method, params });
  const reply = body as { result: T; error: { code: number; message: string } | null };
  if (reply.error !== null) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  return reply.result;
}

/** The JSON-RPC error a call answers with. */
export async function rpcError(chain: RunningRegtest, method: string, ...params: unknown[]): Promise<{ code: number; message: string }> {
  const { body } = await rpcRaw(chain, { jsonrpc: '1.0', id: 'test', method, params });
  const reply = body as { error: { code: number; message: string } | null };
  if (reply.error === null) throw new Error(`${method} succeeded`);
  return reply.error;
}

/** GET a URL: status, content type and body (text and bytes). */
export async function get(url: string): Promise<{ status: number; type: string; text: string; bytes: Uint8Array }> {
  const res = await fetch(url);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: new TextDecoder().decode(bytes), bytes };
}
