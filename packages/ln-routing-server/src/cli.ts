#!/usr/bin/env node
// ln-routing-server: gossip + routing as a service.
import { parseArgs } from 'node:util';
import { ConfigError, DEFAULT_CONFIG, envName, loadConfig, type ServerConfig } from './config.js';
import { startRoutingNode } from './routing-node.js';

const settings = Object.keys(DEFAULT_CONFIG) as (keyof ServerConfig)[];
const flagOf = (key: string) => key.replace(/[A-Z]/g, (m) => '-' + m.toLowerCase());

const HELP = `Usage: ln-routing-server [--config file.json] [options]

Connects to Lightning peers over BOLT 8, keeps the channel graph current
through gossip queries, and serves routes, score reports, RGS snapshots,
health, readiness and Prometheus metrics over HTTP (OpenAPI at /openapi.json).

Settings (flag / environment variable / default), flags override the
environment, which overrides the config file:
${settings
  .map((k) => `  --${flagOf(k).padEnd(26)} ${envName(k).padEnd(38)} ${JSON.stringify(k === 'peers' ? 'nodeid@host:port,...' : DEFAULT_CONFIG[k])}`)
  .join('\n')}

  --config <file>              a JSON file with the same settings (camelCase keys)
  -h, --help                   this text
`;

const { values } = parseArgs({
  options: {
    config: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
    ...Object.fromEntries(settings.map((k) => [flagOf(k), { type: 'string' as const, ...(k === 'peers' ? { multiple: true as const } : {}) }])),
  },
});
if (values.help === true) {
  process.stdout.write(HELP);
  process.exit(0);
}

let config: ServerConfig;
try {
  const given = values as Record<string, unknown>;
  const flags = Object.fromEntries(settings.flatMap((k) => (given[flagOf(k)] === undefined ? [] : [[k, given[flagOf(k)]]])));
  config = loadConfig({ ...(typeof values.config === 'string' ? { file: values.config } : {}), env: process.env, flags });
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`ln-routing-server: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}

const node = await startRoutingNode(config);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void node.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
