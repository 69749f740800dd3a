#!/usr/bin/env node
// ln-ws-proxy: lets browsers reach Lightning nodes over BOLT 8 through WebSocket.
import { parseArgs } from 'node:util';
import { createJsonLogger, type LogLevel } from 'ln-types';
import { startProxy } from './proxy.js';

const HELP = `Usage: ln-ws-proxy [options]

A browser connects to ws://<proxy>/<host>:<port>; the proxy forwards bytes to
that TCP destination. BOLT 8 is end to end: the proxy sees only ciphertext.

Options:
  --host <addr>              listen address (default 127.0.0.1; env LN_WS_PROXY_HOST)
  --port <n>                 listen port (default 8080; env LN_WS_PROXY_PORT)
  --allow <host:port>        allowed destination, repeatable ("*:9735" = any host on 9735);
                             default: any host on port 9735 only (env LN_WS_PROXY_ALLOW, comma-separated)
  --max-per-client <n>       concurrent connections per client address (default 8)
  --max-connections <n>      concurrent connections in all (default 1000)
  --log-level <level>        gossip|trace|debug|info|warn|error (default info)
  -h, --help                 this text
`;

const { values } = parseArgs({
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    allow: { type: 'string', multiple: true },
    'max-per-client': { type: 'string' },
    'max-connections': { type: 'string' },
    'log-level': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help === true) {
  process.stdout.write(HELP);
  process.exit(0);
}
const env = process.env;
const allow = values.allow ?? env.LN_WS_PROXY_ALLOW?.split(',').filter((s) => s !== '');
const proxy = await startProxy({
  host: values.host ?? env.LN_WS_PROXY_HOST ?? '127.0.0.1',
  port: Number(values.port ?? env.LN_WS_PROXY_PORT ?? 8080),
  ...(allow === undefined ? {} : { allow }),
  maxConnectionsPerClient: Number(values['max-per-client'] ?? 8),
  maxConnections: Number(values['max-connections'] ?? 1000),
  logger: createJsonLogger({ level: (values['log-level'] ?? 'info') as LogLevel, write: (line) => process.stdout.write(line + '\n') }),
});
const stop = () => void proxy.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
