// `pnpm demo` step for ln-peer: two PeerManagers in separate processes on
// loopback connect, handshake (BOLT 8), exchange init, ping a few times and
// disconnect. Each process's lines are printed with its name.
import { spawn } from 'node:child_process';
import { fileURLToPath, URL } from 'node:url';
import process from 'node:process';
import console from 'node:console';
import { setInterval, clearInterval, setTimeout, clearTimeout } from 'node:timers';

const script = fileURLToPath(new URL('./node.mjs', import.meta.url));

function start(name, args) {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = [];
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      lines.push(line);
      console.log(`  [${name}] ${line}`);
    }
  });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const timeout = setTimeout(() => child.kill(), 60_000);
  exited.then(() => clearTimeout(timeout));
  return { lines, exited };
}

const alice = start('alice', ['listen', '1']);
const first = await new Promise((resolve, reject) => {
  const t = setInterval(() => {
    const line = alice.lines.find((l) => l.startsWith('{'));
    if (line !== undefined) {
      clearInterval(t);
      resolve(JSON.parse(line));
    }
  }, 10);
  alice.exited.then(() => reject(new Error('alice exited early')));
});
const bob = start('bob', ['connect', '2', String(first.port), first.nodeId]);
const [a, b] = await Promise.all([alice.exited, bob.exited]);
console.log(a === 0 && b === 0 ? '  ln-peer demo: done' : `  ln-peer demo: FAILED (exit codes ${a}, ${b})`);
if (a !== 0 || b !== 0) process.exitCode = 1;
