import type { SpendableOutputDescriptor } from 'ln-chain-api';
import { channelId } from 'ln-types';
import type { Reader, Writer } from 'ln-wire';
import { MonitorError } from '../errors.js';
import { readOptionalBytes, readOutPoint, writeOptionalBytes, writeOutPoint } from './primitives.js';

// SpendableOutputDescriptors as ln-monitor stores them (in monitors' pending
// events and in the OutputSweeper's records).

const KINDS: readonly SpendableOutputDescriptor['kind'][] = ['static_output', 'delayed_payment_output', 'static_payment_output'];

export function writeDescriptor(w: Writer, d: SpendableOutputDescriptor): void {
  w.u8(KINDS.indexOf(d.kind));
  writeOutPoint(w, d.outpoint);
  w.u16Bytes(d.output.script, 'output script');
  w.u64(d.output.valueSat);
  switch (d.kind) {
    case 'static_output':
      writeOptionalBytes(w, d.channelKeysId);
      break;
    case 'delayed_payment_output':
      w.u16Bytes(d.witnessScript, 'witness script');
      w.u16(d.toSelfDelay);
      w.u64(d.commitmentNumber);
      w.u16Bytes(d.channelKeysId, 'channel keys id');
      w.u64(d.channelValueSat);
      w.fixed(d.channelId, 32, 'channel id');
      break;
    case 'static_payment_output':
      writeOptionalBytes(w, d.witnessScript);
      w.u16Bytes(d.channelKeysId, 'channel keys id');
      w.u64(d.channelValueSat);
      w.fixed(d.channelId, 32, 'channel id');
      break;
  }
}

export function readDescriptor(r: Reader): SpendableOutputDescriptor {
  const kind = KINDS[r.u8('descriptor kind')];
  if (kind === undefined) throw new MonitorError('malformed', 'unknown spendable output kind');
  const outpoint = readOutPoint(r);
  const output = { script: r.u16Bytes('output script').slice(), valueSat: r.u64('output value') };
  switch (kind) {
    case 'static_output': {
      const channelKeysId = readOptionalBytes(r);
      return { kind, outpoint, output, ...(channelKeysId === undefined ? {} : { channelKeysId }) };
    }
    case 'delayed_payment_output':
      return {
        kind,
        outpoint,
        output,
        witnessScript: r.u16Bytes('witness script').slice(),
        toSelfDelay: r.u16('to_self_delay'),
        commitmentNumber: r.u64('commitment number'),
        channelKeysId: r.u16Bytes('channel keys id').slice(),
        channelValueSat: r.u64('channel value'),
        channelId: channelId(r.bytes(32, 'channel id').slice()),
      };
    case 'static_payment_output': {
      const witnessScript = readOptionalBytes(r);
      return {
        kind,
        outpoint,
        output,
        ...(witnessScript === undefined ? {} : { witnessScript }),
        channelKeysId: r.u16Bytes('channel keys id').slice(),
        channelValueSat: r.u64('channel value'),
        channelId: channelId(r.bytes(32, 'channel id').slice()),
      };
    }
  }
}
