// The demo page: sync the graph (P2P over BOLT 8, or an RGS snapshot), then
// find and draw a route. State is mirrored on `window.lnDemo` for tests.
import type { NetworkGraph } from 'ln-gossip';
import { CONFIG_PATH, type DemoConfig } from '../config.js';
import { syncOverP2P } from './p2p-sync.js';
import { loadFromRgs } from './rgs-load.js';
import { renderRoute } from './render-route.js';
import { demoRoute, timeRoutes, type Pair, type RouteView } from './route-summary.js';

/** What the page exposes on `window.lnDemo`. */
export interface DemoState {
  phase: 'idle' | 'syncing' | 'routing' | 'done' | 'error';
  mode?: 'p2p' | 'rgs';
  channels: number;
  nodes: number;
  /** From the button press to the graph being ready, ms. */
  graphReadyMs?: number;
  /** Time to find the shown route, ms. */
  routeMs?: number;
  route?: RouteView;
  error?: string;
  /** Times the router on these pairs over the loaded graph (for the bench). */
  timeRoutes?: (pairs: readonly Pair[]) => { ms: number[]; totalMs: number; found: number };
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const state: DemoState = { phase: 'idle', channels: 0, nodes: 0 };
(globalThis as { lnDemo?: DemoState }).lnDemo = state;

function setStatus(text: string): void {
  $('status').textContent = text;
}

function setCounts(channels: number, nodes: number, expected: number): void {
  state.channels = channels;
  state.nodes = nodes;
  $('channels').textContent = String(channels);
  $('nodes').textContent = String(nodes);
  const bar = $<HTMLProgressElement>('progress');
  bar.max = expected;
  bar.value = Math.min(channels, expected);
}

async function run(mode: 'p2p' | 'rgs'): Promise<void> {
  if (state.phase === 'syncing' || state.phase === 'routing') return;
  state.phase = 'syncing';
  state.mode = mode;
  $('route').replaceChildren();
  document.querySelectorAll('button').forEach((b) => (b.disabled = true));
  try {
    const config = (await (await fetch(CONFIG_PATH)).json()) as DemoConfig;
    const t0 = performance.now();
    let graph: NetworkGraph;
    if (mode === 'p2p') {
      setStatus(`connecting to ${config.sourceNodeId.slice(0, 16)}… through ${config.proxyUrl}`);
      graph = await syncOverP2P(config, (p) => {
        setCounts(p.channelsKnown, p.nodesKnown, config.expectedChannels);
        setStatus(`syncing over BOLT 8: ${p.channelsKnown} / ${config.expectedChannels} channels, ${p.messagesPending} messages pending`);
      });
    } else {
      setStatus('fetching the RGS snapshot…');
      const loaded = await loadFromRgs(config);
      graph = loaded.graph;
      setStatus(`applied an RGS snapshot of ${loaded.snapshotBytes} bytes`);
    }
    state.graphReadyMs = performance.now() - t0;
    setCounts(graph.liveChannelCount, graph.liveNodeCount, config.expectedChannels);
    state.phase = 'routing';
    const r0 = performance.now();
    const route = demoRoute(graph);
    state.routeMs = performance.now() - r0;
    state.timeRoutes = (pairs) => timeRoutes(graph, pairs, () => performance.now());
    if (route === undefined) throw new Error('no route found between the tried pairs');
    state.route = route;
    renderRoute($('route'), route);
    setStatus(`${mode === 'p2p' ? 'synced over P2P' : 'loaded from RGS'} in ${Math.round(state.graphReadyMs)} ms; route found in ${state.routeMs.toFixed(1)} ms`);
    state.phase = 'done';
  } catch (e) {
    state.phase = 'error';
    state.error = e instanceof Error ? e.message : String(e);
    setStatus(`error: ${state.error}`);
  } finally {
    document.querySelectorAll('button').forEach((b) => (b.disabled = false));
  }
}

$('sync-p2p').addEventListener('click', () => void run('p2p'));
$('load-rgs').addEventListener('click', () => void run('rgs'));
const requested = new URLSearchParams(location.search).get('mode');
if (requested === 'p2p' || requested === 'rgs') void run(requested);
