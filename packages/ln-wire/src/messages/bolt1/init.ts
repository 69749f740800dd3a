import type { ChainHash } from 'ln-types';
import { bytesRecord, fixedListRecord } from '../../codec/fields.js';
import { defineTlvStream, type TlvField, type TlvStreamValue } from '../../codec/tlv.js';
import type { MessageCodec } from '../codec.js';
import { readExtension, writeExtension } from '../extension.js';

/** init's TLV namespace: the chains the sender is interested in, and the address it sees us at. */
export const initTlvStream = defineTlvStream({
  networks: fixedListRecord(1, 32, 'networks') as TlvField<ChainHash[]>,
  /** An address descriptor (BOLT 7 address types) of the receiver as the sender sees it. */
  remoteAddr: bytesRecord(3),
});

export type InitTlvs = TlvStreamValue<typeof initTlvStream.fields>;

/** `init` (type 16): the first message after the handshake, with feature bits. */
export interface InitMessage {
  readonly type: 'init';
  /** Legacy global features (BOLT 9: only bits 0-12 may appear; combine with `features`). */
  readonly globalFeatures: Uint8Array;
  readonly features: Uint8Array;
  readonly tlvs?: InitTlvs;
}

export const initCodec: MessageCodec<InitMessage> = {
  typeId: 16,
  name: 'init',
  decode(r) {
    const globalFeatures = r.u16Bytes('globalfeatures');
    const features = r.u16Bytes('features');
    const tlvs = readExtension(r, initTlvStream, 'init');
    return tlvs === undefined ? { type: 'init', globalFeatures, features } : { type: 'init', globalFeatures, features, tlvs };
  },
  encode(m, w) {
    w.u16Bytes(m.globalFeatures, 'globalfeatures').u16Bytes(m.features, 'features');
    writeExtension(w, initTlvStream, m.tlvs);
  },
};

/** The features an init message announces: `globalfeatures` OR `features`, as BOLT 1 tells the receiver to combine them. */
export function initFeatures(m: InitMessage): Uint8Array {
  const a = m.globalFeatures;
  const b = m.features;
  const out = new Uint8Array(Math.max(a.length, b.length));
  out.set(b, out.length - b.length);
  for (let i = 0; i < a.length; i++) out[out.length - a.length + i]! |= a[i]!;
  return out;
}
