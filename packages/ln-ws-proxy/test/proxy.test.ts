import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { WebSocket } from 'ws';
import { startProxy, type RunningProxy } from '../src/index.js';

let echo: Server;
let echoPort: number;
let firehose: Server;
let firehosePort: number;
let firehoseWritten = 0;
let proxy: RunningProxy;

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

beforeAll(async () => {
  echo = createServer((s) => s.pipe(s));
  echoPort = await listen(echo);
  // Writes as fast as the proxy reads: shows whether backpressure reaches the destination.
  firehose = createServer((s) => {
    const chunk = Buffer.alloc(64 * 1024, 7);
    const pump = () => {
      while (!s.destroyed) {
        firehoseWritten += chunk.length;
        if (!s.write(chunk)) return void s.once('drain', pump);
      }
    };
    s.on('error', () => {});
    pump();
  });
  firehosePort = await listen(firehose);
  proxy = await startProxy({
    port: 0,
    allow: [`127.0.0.1:${echoPort}`, `127.0.0.1:${firehosePort}`],
    maxConnectionsPerClient: 3,
    maxBufferedBytes: 256 * 1024,
    maxFrameBytes: 70_000,
  });
});

afterAll(async () => {
  await proxy.close();
  echo.close();
  firehose.close();
});

function open(path: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}${path}`);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function roundTrip(ws: WebSocket, data: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let got = 0;
    const onMessage = (m: Buffer) => {
      parts.push(m);
      got += m.length;
      if (got >= data.length) {
        ws.off('message', onMessage);
        resolve(new Uint8Array(Buffer.concat(parts)));
      }
    };
    ws.on('message', onMessage);
    ws.send(data);
  });
}

const closed = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
const waitFor = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('ln-ws-proxy', () => {
  it('forwards binary frames both ways', async () => {
    const ws = await open(`/127.0.0.1:${echoPort}`);
    const data = new Uint8Array(randomBytes(50_000));
    expect(await roundTrip(ws, data)).toEqual(data);
    ws.close();
    await closed(ws);
    await waitFor(() => proxy.connections() === 0);
  });

  it('refuses disallowed and malformed destinations before connecting', async () => {
    await expect(open('/127.0.0.1:22')).rejects.toThrow('status 403');
    await expect(open('/not-a-target')).rejects.toThrow('status 400');
    expect(proxy.connections()).toBe(0);
  });

  it('limits connections per client; others keep working', async () => {
    const conns = await Promise.all([1, 2, 3].map(() => open(`/127.0.0.1:${echoPort}`)));
    await expect(open(`/127.0.0.1:${echoPort}`)).rejects.toThrow('status 429');
    expect(await roundTrip(conns[0]!, Uint8Array.of(1, 2, 3))).toEqual(Uint8Array.of(1, 2, 3));
    for (const c of conns) c.close();
    await Promise.all(conns.map(closed));
    await waitFor(() => proxy.connections() === 0);
    const again = await open(`/127.0.0.1:${echoPort}`);
    again.close();
  });

  it('closes on a text frame or an oversized frame, leaving others alone', async () => {
    const good = await open(`/127.0.0.1:${echoPort}`);
    const text = await open(`/127.0.0.1:${echoPort}`);
    text.send('hello');
    expect(await closed(text)).toBe(1003);
    const big = await open(`/127.0.0.1:${echoPort}`);
    big.send(new Uint8Array(80_000));
    expect(await closed(big)).toBe(1009);
    expect(await roundTrip(good, Uint8Array.of(9))).toEqual(Uint8Array.of(9));
    good.close();
    await waitFor(() => proxy.connections() === 0);
  });

  it('drops a connection that sends malformed WebSocket frames', async () => {
    const raw: Socket = connect(proxy.port, '127.0.0.1');
    await new Promise((r) => raw.once('connect', r));
    raw.write(
      `GET /127.0.0.1:${echoPort} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    await new Promise((r) => raw.once('data', r));
    expect(proxy.connections()).toBe(1);
    // An unmasked client frame with a reserved opcode: a protocol error.
    raw.write(Buffer.from([0x83, 0x02, 0x00, 0x00]));
    await new Promise((r) => raw.once('close', r));
    await waitFor(() => proxy.connections() === 0);
  });

  it('a client that stops reading pauses the destination instead of growing buffers', async () => {
    const slow = await open(`/127.0.0.1:${firehosePort}`);
    (slow as unknown as { pause(): void }).pause();
    const start = firehoseWritten;
    await new Promise((r) => setTimeout(r, 700));
    const during = firehoseWritten - start;
    await new Promise((r) => setTimeout(r, 500));
    // Once paused, the destination stalls: bounded by the proxy's limit plus the kernel's socket buffers.
    expect(firehoseWritten - start - during).toBeLessThan(1 << 20);
    expect(during).toBeLessThan(64 << 20);
    const other = await open(`/127.0.0.1:${echoPort}`);
    expect(await roundTrip(other, Uint8Array.of(4, 2))).toEqual(Uint8Array.of(4, 2));
    other.close();
    slow.terminate();
    await waitFor(() => proxy.connections() === 0);
  });
});
