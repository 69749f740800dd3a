// Draws a route as SVG: one circle per node (payer first), one labelled edge
// per hop with its channel, fee and cltv delta.
import type { RouteView } from './route-summary.js';

const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const short = (hex: string) => `${hex.slice(0, 8)}…${hex.slice(-4)}`;
const clip = (s: string) => (s.length > 24 ? `${s.slice(0, 23)}…` : s);
const sat = (msat: bigint) => `${(Number(msat) / 1000).toLocaleString('en-US', { maximumFractionDigits: 3 })} sat`;

/** Renders `route` into `container` (an SVG drawing and a hop table), replacing what was there. */
export function renderRoute(container: HTMLElement, route: RouteView): void {
  container.replaceChildren();
  const nodes = [{ id: route.payer, alias: route.payerAlias }, ...route.hops.map((h) => ({ id: h.nodeId, alias: h.alias }))];
  const step = 190;
  const width = 110 + step * (nodes.length - 1) + 110;
  const svg = el('svg', { width, height: 170, viewBox: `0 0 ${width} 170`, id: 'route-svg', role: 'img' });
  svg.append(el('title', {}, `Route over ${route.hops.length} hops`));
  route.hops.forEach((h, i) => {
    const x1 = 110 + i * step;
    const x2 = x1 + step;
    svg.append(el('line', { x1, y1: 70, x2, y2: 70, stroke: '#f7931a', 'stroke-width': 3 }));
    svg.append(el('text', { x: (x1 + x2) / 2, y: 52, 'text-anchor': 'middle', 'font-size': 11 }, h.shortChannelId));
    svg.append(el('text', { x: (x1 + x2) / 2, y: 96, 'text-anchor': 'middle', 'font-size': 11, fill: '#555' }, `${sat(h.amountMsat)} · cltv ${h.cltvExpiryDelta}`));
  });
  nodes.forEach((n, i) => {
    const cx = 110 + i * step;
    const g = el('g', { class: 'route-node', 'data-node-id': n.id });
    g.append(el('circle', { cx, cy: 70, r: 14, fill: i === 0 ? '#2b6cb0' : i === nodes.length - 1 ? '#2f855a' : '#f7931a' }));
    g.append(el('text', { x: cx, y: 130, 'text-anchor': 'middle', 'font-size': 12, 'font-weight': 'bold' }, clip(n.alias ?? short(n.id))));
    g.append(el('text', { x: cx, y: 146, 'text-anchor': 'middle', 'font-size': 10, fill: '#777' }, short(n.id)));
    svg.append(g);
  });
  container.append(svg);

  const table = document.createElement('table');
  table.id = 'hops';
  const head = table.createTHead().insertRow();
  for (const h of ['#', 'node', 'channel', 'amount', 'fee kept', 'cltv delta']) head.append(Object.assign(document.createElement('th'), { textContent: h }));
  const body = table.createTBody();
  route.hops.forEach((h, i) => {
    const row = body.insertRow();
    row.className = 'hop';
    for (const text of [String(i + 1), `${h.alias ?? ''} ${short(h.nodeId)}`.trim(), h.shortChannelId, sat(h.amountMsat), sat(h.feeMsat), String(h.cltvExpiryDelta)]) row.insertCell().textContent = text;
  });
  const summary = document.createElement('p');
  summary.id = 'route-summary';
  summary.textContent = `${route.hops.length} hops · paying ${sat(route.amountMsat)} · total fee ${sat(route.totalFeeMsat)} · total cltv ${route.totalCltvExpiryDelta}`;
  container.append(table, summary);
}
