// `pnpm demo:browser`: one process running the whole demo; prints the page's URL.
import { startDemoNetwork } from './network.js';

const channels = process.env.DEMO_CHANNELS === undefined ? undefined : Number(process.env.DEMO_CHANNELS);
const httpPort = Number(process.env.DEMO_PORT ?? 8080);
const started = Date.now();
const network = await startDemoNetwork({ httpPort, ...(channels === undefined ? {} : { channels }) });
console.log(`ln-browser-demo: ${network.channels} channels served by ${network.server.config.sourceNodeId} at ${network.server.config.sourceTarget}`);
console.log(`  proxy ${network.server.config.proxyUrl}, RGS ${network.server.config.rgsPath} (ready in ${Date.now() - started} ms)`);
console.log(`  open ${network.server.url}  (or ${network.server.url}?mode=p2p, ${network.server.url}?mode=rgs)`);
const stop = () => void network.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
