// One demo node in its own process (see run.mjs). Plain JS over the built dist.
//   node node.mjs listen <seedByte>                 prints {"nodeId","port"} then serves
//   node node.mjs connect <seedByte> <port> <nodeId> connects, pings 3 times, disconnects
import process from 'node:process';
import console from 'node:console';
import { setInterval, clearInterval } from 'node:timers';
import { nobleSecp256k1 } from 'ln-crypto';
import { localEcdh } from 'ln-noise';
import { CHAIN_HASHES, fromHex, publicKey, toHex } from 'ln-types';
import { featuresFromBits } from 'ln-wire';
import { PeerManager } from '../dist/index.js';
import { connect, listen, startTimers } from '../dist/net/index.js';

const [mode, seedArg, portArg, theirIdHex] = process.argv.slice(2);
const secret = new Uint8Array(32).fill(Number(seedArg));
const say = (text) => console.log(text);
const logger = {
  level: 'info',
  log: (r) => say(`${r.message}${r.peer ? ` (${r.peer.slice(0, 16)}...)` : ''}`),
};
const manager = new PeerManager({
  localPublicKey: publicKey(nobleSecp256k1.publicKeyCreate(secret)),
  ecdh: localEcdh(secret),
  chains: [CHAIN_HASHES.regtest],
  baseInitFeatures: featuresFromBits([1, 9, 13, 15]),
  logger,
});
// Fast ticks for the demo (a real node ticks about every 10 s).
const timers = startTimers(manager, { tickMs: 150 });

if (mode === 'listen') {
  const listener = await listen(manager, { port: 0 });
  console.log(JSON.stringify({ nodeId: toHex(manager.nodeId), port: listener.port }));
  // Exit once the client has come and gone.
  const wait = setInterval(() => {
    if (seen && manager.connectionCount === 0) {
      clearInterval(wait);
      timers.stop();
      void listener.close();
      say('client gone; answered its pings, exiting');
    }
  }, 50);
  let seen = false;
  const watch = setInterval(() => {
    if (manager.listPeers().length > 0) {
      seen = true;
      clearInterval(watch);
    }
  }, 20);
} else {
  const theirNodeId = publicKey(fromHex(theirIdHex));
  say(`connecting to ${theirIdHex.slice(0, 16)}... at 127.0.0.1:${portArg}`);
  await connect(manager, { host: '127.0.0.1', port: Number(portArg), theirNodeId });
  let reported = 0;
  let announced = false;
  const poll = setInterval(() => {
    const peer = manager.listPeers()[0];
    if (peer === undefined) return;
    if (!announced) {
      announced = true;
      say(`init exchanged; peer features ${toHex(peer.init.features)}, networks ${peer.init.networks?.map(toHex).join(',') ?? 'none'}`);
    }
    if (peer.pongsReceived > reported) {
      reported = peer.pongsReceived;
      say(`ping ${reported} answered (pings sent ${peer.pingsSent})`);
    }
    if (reported >= 3) {
      clearInterval(poll);
      say('disconnecting');
      manager.disconnectAllPeers();
      timers.stop();
    }
  }, 10);
}
