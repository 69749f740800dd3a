import type { NodeId } from 'ln-types';
import { readPoint } from '../../codec/fields.js';
import { Writer } from '../../codec/writer.js';
import type { MessageCodec } from '../codec.js';
import { readAddresses, writeAddresses, type NodeAddress } from './addresses.js';
import { recordSignedSpan } from './signed-span.js';

/** `node_announcement` (type 257): a node's features, alias, color and addresses, signed by its node key. */
export interface NodeAnnouncementMessage {
  readonly type: 'node_announcement';
  readonly signature: Uint8Array;
  readonly features: Uint8Array;
  readonly timestamp: number;
  readonly nodeId: NodeId;
  /** RGB color, 3 bytes. */
  readonly rgbColor: Uint8Array;
  /** 32 bytes, UTF-8 padded with zeros (not required to be valid UTF-8). */
  readonly alias: Uint8Array;
  readonly addresses: readonly NodeAddress[];
  /** Bytes after the known fields: signed, kept verbatim. */
  readonly extra?: Uint8Array;
}

/** Offset in the payload where the signed bytes start (after the signature). */
export const NODE_ANNOUNCEMENT_SIGNED_OFFSET = 64;

export const nodeAnnouncementCodec: MessageCodec<NodeAnnouncementMessage> = {
  typeId: 257,
  name: 'node_announcement',
  decode(r) {
    const signature = r.bytes(64, 'signature');
    const signedStart = r.position;
    const features = r.u16Bytes('features');
    const timestamp = r.u32('timestamp');
    const nodeId = readPoint(r, 'node_id') as NodeId;
    const rgbColor = r.bytes(3, 'rgb_color');
    const alias = r.bytes(32, 'alias');
    const addresses = readAddresses(r.sub(r.u16('addrlen'), 'addresses'));
    const extra = r.rest();
    const base = { type: 'node_announcement' as const, signature, features, timestamp, nodeId, rgbColor, alias, addresses };
    const m: NodeAnnouncementMessage = extra.length === 0 ? base : { ...base, extra };
    recordSignedSpan(m, r, signedStart, r.position);
    return m;
  },
  encode(m, w) {
    w.fixed(m.signature, 64, 'signature')
      .u16Bytes(m.features, 'features')
      .u32(m.timestamp)
      .fixed(m.nodeId, 33, 'node_id')
      .fixed(m.rgbColor, 3, 'rgb_color')
      .fixed(m.alias, 32, 'alias');
    const addresses = new Writer(64);
    writeAddresses(addresses, m.addresses);
    w.u16Bytes(addresses.finish(), 'addresses');
    if (m.extra !== undefined) w.bytes(m.extra);
  },
};
