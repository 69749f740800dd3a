/** The demo page's HTML; the bundle is loaded from `scriptPath`. */
export function pageHtml(scriptPath: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Lightning in the browser: ln toolkit demo</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 2rem; color: #222; max-width: 1100px; }
  h1 { font-size: 1.4rem; }
  progress { width: 420px; height: 18px; vertical-align: middle; }
  #route { margin-top: 1rem; overflow-x: auto; }
  table { border-collapse: collapse; margin-top: .5rem; }
  th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; font-variant-numeric: tabular-nums; }
  button { font-size: 14px; padding: 6px 12px; margin-right: .5rem; }
  .counts span { font-weight: bold; }
</style>
</head>
<body>
<h1>Lightning in the browser</h1>
<p>BOLT 8 over a WebSocket (through ln-ws-proxy) to a gossip node, BOLT 7 gossip sync, signature checks with noble and routing with ln-router: all in this page, no WebAssembly.</p>
<p><button id="sync-p2p">Sync over P2P</button><button id="load-rgs">Load RGS snapshot</button></p>
<p><progress id="progress" value="0" max="1"></progress> <span id="status">idle</span></p>
<p class="counts">channels: <span id="channels">0</span> · nodes: <span id="nodes">0</span></p>
<div id="route"></div>
<script type="module" src="${scriptPath}"></script>
</body>
</html>
`;
}
