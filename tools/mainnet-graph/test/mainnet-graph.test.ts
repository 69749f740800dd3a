import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { isLnError } from 'ln-types';
import {
  GOSSMAP_HEADER,
  MAINNET_GRAPH_FILES,
  MainnetGraphError,
  loadMainnetGossmap,
  loadMainnetGraph,
  parseGossmap,
  parseNodeMap,
} from '../src/index.js';

const raw = new Uint8Array(gunzipSync(readFileSync(MAINNET_GRAPH_FILES.gossmap)));

describe('the bundled mainnet graph', () => {
  const gossmap = loadMainnetGossmap();
  const graph = loadMainnetGraph();

  it('has the documented size, every byte consumed', () => {
    expect(raw.length).toBe(1_255_333);
    expect(gossmap.channelCount).toBe(50_808);
    expect(gossmap.nodeCount).toBe(17_324);
    expect(graph.nodes.length).toBe(17_324);
    expect(graph.channels.length).toBe(50_808);
    // parseGossmap refuses trailing bytes, so a successful parse consumed all.
    const extra = new Uint8Array(raw.length + 1);
    extra.set(raw);
    expect(() => parseGossmap(extra)).toThrow(MainnetGraphError);
  });

  it('has the documented disabled directions and total capacity', () => {
    expect(gossmap.disabled.reduce((a, b) => a + b, 0)).toBe(35_806);
    const total = gossmap.capacitySat.reduce((a, b) => a + b, 0n);
    expect(total / 100_000_000n).toBe(5361n); // "about 5,362 BTC"
  });

  it('orients every channel by node id and keeps ids unique', () => {
    const ids = new Set(graph.nodes.map((n) => Buffer.from(n.nodeId).toString('hex')));
    expect(ids.size).toBe(17_324);
    expect(graph.nodes[0]!.alias).toBe('ACINQ');
    const misordered = graph.channels.filter(
      (c) => Buffer.compare(Buffer.from(graph.nodes[c.node1]!.nodeId), Buffer.from(graph.nodes[c.node2]!.nodeId)) >= 0,
    );
    expect(misordered).toEqual([]);
    const scids = new Set(graph.channels.map((c) => c.shortChannelId));
    expect(scids.size).toBe(50_808);
  });

  it('resolves the htlc_maximum capacity templates', () => {
    const policies = graph.channels.flatMap((c) => c.policies);
    expect(policies.filter((p) => p.htlcMaximumMsat <= 1n)).toEqual([]);
    // A resolved "99% of capacity" template.
    expect(
      graph.channels.some((c) => c.policies.some((p) => p.htlcMaximumMsat === (c.capacitySat * 1000n * 99n) / 100n)),
    ).toBe(true);
  });
});

describe('robustness', () => {
  it('gives a typed error for every truncation', () => {
    // Every prefix cut at a sample of positions, plus the first 64.
    const cuts = new Set<number>();
    for (let i = 0; i < 64; i++) cuts.add(i);
    for (let i = 0; i < 60; i++) cuts.add(Math.floor((raw.length * i) / 60));
    for (const cut of cuts) {
      let err: unknown;
      try {
        parseGossmap(raw.subarray(0, cut));
      } catch (e) {
        err = e;
      }
      expect(isLnError(err)).toBe(true);
    }
  });

  it('gives a typed error or a graph for random bytes after the header', () => {
    const header = new TextEncoder().encode(GOSSMAP_HEADER);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (body) => {
        const bytes = new Uint8Array(header.length + body.length);
        bytes.set(header);
        bytes.set(body, header.length);
        try {
          const g = parseGossmap(bytes);
          expect(g.start.length).toBe(g.channelCount);
        } catch (e) {
          expect(e).toBeInstanceOf(MainnetGraphError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a huge channel count without allocating for it', () => {
    const header = new TextEncoder().encode(GOSSMAP_HEADER);
    const bytes = new Uint8Array([...header, 0xfe, 0x7f, 0xff, 0xff, 0xff]);
    expect(() => parseGossmap(bytes)).toThrow(expect.objectContaining({ code: 'truncated' }));
  });

  it('refuses a bad header', () => {
    expect(() => parseGossmap(new Uint8Array(30))).toThrow(expect.objectContaining({ code: 'bad_header' }));
  });
});


describe('parseNodeMap', () => {
  const id = '02' + '11'.repeat(32);
  it('keeps colons in aliases', () => {
    const m = parseNodeMap(`0:${id}:a:b\n1:${id}:\n`);
    expect(m[0]!.alias).toBe('a:b');
    expect(m[1]!.alias).toBe('');
  });
  it('refuses malformed lines, gaps and duplicates', () => {
    for (const text of [`0:${id}`, `x:${id}:a`, `0:04${'11'.repeat(32)}:a`, `1:${id}:a`, `0:${id}:a\n0:${id}:b`]) {
      expect(() => parseNodeMap(text)).toThrow(expect.objectContaining({ code: 'bad_node_map' }));
    }
  });
});
