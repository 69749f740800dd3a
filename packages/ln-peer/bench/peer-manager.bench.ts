// PeerManager throughput over in-memory sockets (no peer implementation to
// compare with in-process: the transport-level comparison is in ln-noise).
import native from 'secp256k1';
import { measure, reportMeasurement } from 'ln-bench';
import { createNativeSecp256k1Backend } from 'ln-crypto';
import { localEcdh } from 'ln-noise';
import { messageHandlers, type MessageSendEvent } from 'ln-peer-api';
import { publicKey } from 'ln-types';
import { PeerManager, type SocketDescriptor } from '../src/index.js';

const secp256k1 = createNativeSecp256k1Backend(native);
const PKG = 'ln-peer';

/** A descriptor that hands every write straight to the other manager. */
class Direct implements SocketDescriptor {
  other!: Direct;
  constructor(readonly manager: PeerManager) {}
  sendData(data: Uint8Array): number {
    if (data.length > 0) pending.push([this.other, data]);
    return data.length;
  }
  disconnectSocket(): void {}
}
// Delivered after the call returns (a descriptor must not re-enter the manager).
const pending: [Direct, Uint8Array][] = [];
function drain(): void {
  while (pending.length > 0) {
    const [to, data] = pending.shift()!;
    to.manager.readEvent(to, data);
  }
}

function manager(n: number, queue?: MessageSendEvent[], onMessage?: () => void): PeerManager {
  const secret = new Uint8Array(32).fill(n);
  const base = messageHandlers();
  const custom = {
    ...base.custom,
    handlesType: (t: number) => t === 32769,
    handleMessage: () => onMessage?.(),
    getAndClearPendingMsgEvents: () => (queue === undefined ? [] : queue.splice(0)),
  };
  return new PeerManager({ localPublicKey: publicKey(secp256k1.publicKeyCreate(secret)), ecdh: localEcdh(secret, secp256k1), secp256k1, handlers: { custom } });
}

function link(a: PeerManager, b: PeerManager): [Direct, Direct] {
  const da = new Direct(a);
  const db = new Direct(b);
  da.other = db;
  db.other = da;
  b.newInboundConnection(db);
  a.newOutboundConnection(b.nodeId, da);
  drain();
  return [da, db];
}

const alice = manager(1);
const bob = manager(2);
reportMeasurement(
  PKG,
  'connection setup (handshake + init, both sides, native secp256k1)',
  measure(() => {
    link(alice, bob);
    alice.disconnectAllPeers();
  }),
  'connections/s',
);

const queue: MessageSendEvent[] = [];
let received = 0;
const sender = manager(3, queue);
const receiver = manager(4, undefined, () => received++);
link(sender, receiver);
const payload = new Uint8Array(100);
payload[0] = 0x80;
payload[1] = 0x01;
const batch = 100;
const m = measure(() => {
  for (let i = 0; i < batch; i++) queue.push({ kind: 'send_raw', nodeId: receiver.nodeId, bytes: payload });
  sender.processEvents();
  drain();
});
if (received === 0) throw new Error('no message arrived');
reportMeasurement(PKG, '100-byte messages sender -> handler (encrypt, decrypt, decode, dispatch)', { ...m, median: m.median * batch, min: m.min * batch, max: m.max * batch, opsPerSec: m.opsPerSec.map((x) => x * batch) }, 'msg/s');
