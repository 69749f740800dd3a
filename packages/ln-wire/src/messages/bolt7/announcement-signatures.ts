import type { ChannelId, ShortChannelId } from 'ln-types';
import { emptyTlvStream, type TlvStreamValue } from '../../codec/tlv.js';
import type { MessageCodec } from '../codec.js';
import { readExtension, writeExtension } from '../extension.js';

type Extension = TlvStreamValue<typeof emptyTlvStream.fields>;

/** `announcement_signatures` (type 259): a channel peer's two signatures for the channel_announcement. */
export interface AnnouncementSignaturesMessage {
  readonly type: 'announcement_signatures';
  readonly channelId: ChannelId;
  readonly shortChannelId: ShortChannelId;
  readonly nodeSignature: Uint8Array;
  readonly bitcoinSignature: Uint8Array;
  readonly tlvs?: Extension;
}

export const announcementSignaturesCodec: MessageCodec<AnnouncementSignaturesMessage> = {
  typeId: 259,
  name: 'announcement_signatures',
  decode(r) {
    const channelId = r.bytes(32, 'channel_id') as ChannelId;
    const shortChannelId = r.shortChannelId();
    const nodeSignature = r.bytes(64, 'node_signature');
    const bitcoinSignature = r.bytes(64, 'bitcoin_signature');
    const tlvs = readExtension(r, emptyTlvStream, 'announcement_signatures');
    const base = { type: 'announcement_signatures' as const, channelId, shortChannelId, nodeSignature, bitcoinSignature };
    return tlvs === undefined ? base : { ...base, tlvs };
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id').u64(m.shortChannelId).fixed(m.nodeSignature, 64, 'node_signature').fixed(m.bitcoinSignature, 64, 'bitcoin_signature');
    writeExtension(w, emptyTlvStream, m.tlvs);
  },
};
