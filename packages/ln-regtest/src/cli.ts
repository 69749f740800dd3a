#!/usr/bin/env node
// `pnpm regtest` / `ln-regtest`: starts the regtest chain and its HTTP server
// and prints where to reach it.
import { parseArgs } from 'node:util';
import { startRegtest } from './start.js';

const USAGE = `usage: ln-regtest [options]
  --port <n>          listen port (default 18443; 0 picks a free one)
  --host <addr>       listen address (default 127.0.0.1)
  --datadir <dir>     keep blocks, settings and the mempool in <dir>
  --in-memory         keep nothing on disk (the default without --datadir)
  --rpcuser <user>    fixed RPC credentials instead of a cookie file
  --rpcpassword <pw>
  --automine <sec>    mine a block every <sec> seconds (default: off)
  --blocks <n>        mine <n> blocks at start when the chain is new (default 0)
  --help`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      datadir: { type: 'string' },
      'in-memory': { type: 'boolean' },
      rpcuser: { type: 'string' },
      rpcpassword: { type: 'string' },
      automine: { type: 'string' },
      blocks: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  }));
} catch (e) {
  fail((e as Error).message);
}
if (values.help === true) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const number = (name: string): number | undefined => {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n) || n < 0) fail(`--${name} needs a non-negative number`);
  return n;
};
if ((values.rpcuser === undefined) !== (values.rpcpassword === undefined)) fail('--rpcuser and --rpcpassword go together');
if (values['in-memory'] === true && values.datadir !== undefined) fail('--in-memory and --datadir exclude each other');

const port = number('port');
const automine = number('automine');
const blocks = number('blocks');
const running = await startRegtest({
  ...(port === undefined ? {} : { port }),
  ...(typeof values.host === 'string' ? { host: values.host } : {}),
  ...(typeof values.datadir === 'string' ? { dataDir: values.datadir } : {}),
  ...(typeof values.rpcuser === 'string' && typeof values.rpcpassword === 'string' ? { rpcUser: values.rpcuser, rpcPassword: values.rpcpassword } : {}),
  ...(automine === undefined ? {} : { autoMineIntervalMs: automine * 1000 }),
  ...(blocks === undefined ? {} : { initialBlocks: blocks }),
});

const where = typeof values.datadir === 'string' ? `data dir ${values.datadir}` : 'in memory';
process.stdout.write(
  [
    `ln-regtest: regtest chain at height ${running.node.height} (${where})`,
    `  RPC      ${running.rpcUrl}`,
    running.cookiePath === undefined ? `  auth     ${running.credentials.user}:<rpcpassword>` : `  cookie   ${running.cookiePath}`,
    `  REST     ${running.restUrl}`,
    `  Esplora  ${running.esploraUrl}`,
    `  faucet   sendtoaddress <address> <btc> (pays from ${running.node.faucet.address})`,
    automine === undefined ? '  mining   on demand (generatetoaddress, generateblock)' : `  mining   every ${automine} s`,
    '',
  ].join('\n'),
);

const shutdown = (): void => {
  void running.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
