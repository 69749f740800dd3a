import type { ChainHash } from 'ln-types';
import { emptyTlvStream, type TlvStreamValue } from '../../codec/tlv.js';
import type { MessageCodec } from '../codec.js';
import { readExtension, writeExtension } from '../extension.js';

type Extension = TlvStreamValue<typeof emptyTlvStream.fields>;

/** `gossip_timestamp_filter` (type 265): asks a peer to send gossip with timestamps in [first, first + range). */
export interface GossipTimestampFilterMessage {
  readonly type: 'gossip_timestamp_filter';
  readonly chainHash: ChainHash;
  readonly firstTimestamp: number;
  readonly timestampRange: number;
  readonly tlvs?: Extension;
}

export const gossipTimestampFilterCodec: MessageCodec<GossipTimestampFilterMessage> = {
  typeId: 265,
  name: 'gossip_timestamp_filter',
  decode(r) {
    const chainHash = r.bytes(32, 'chain_hash') as ChainHash;
    const firstTimestamp = r.u32('first_timestamp');
    const timestampRange = r.u32('timestamp_range');
    const tlvs = readExtension(r, emptyTlvStream, 'gossip_timestamp_filter');
    const base = { type: 'gossip_timestamp_filter' as const, chainHash, firstTimestamp, timestampRange };
    return tlvs === undefined ? base : { ...base, tlvs };
  },
  encode(m, w) {
    w.fixed(m.chainHash, 32, 'chain_hash').u32(m.firstTimestamp).u32(m.timestampRange);
    writeExtension(w, emptyTlvStream, m.tlvs);
  },
};
