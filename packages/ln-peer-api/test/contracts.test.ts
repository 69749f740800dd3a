import { describe, expect, test } from '@jest/globals';
import { ALL_CHANNELS, nodeIdFromHex } from 'ln-types';
import { MESSAGE_CODECS, type Message } from 'ln-wire';
import {
  CHANNEL_MESSAGE_NAMES,
  CONNECTION_MESSAGE_NAMES,
  ONION_MESSAGE_NAMES,
  ROUTING_MESSAGE_NAMES,
  isChannelMessage,
  isOnionMessage,
  isRoutingMessage,
  messageHandlers,
  ignoringChannelMessageHandler,
  type ChannelMessage,
} from '../src/index.js';

const peer = nodeIdFromHex('02' + '11'.repeat(32));

describe('message classification', () => {
  test('no message name belongs to two handlers', () => {
    const all = [...CHANNEL_MESSAGE_NAMES, ...ROUTING_MESSAGE_NAMES, ...ONION_MESSAGE_NAMES, ...CONNECTION_MESSAGE_NAMES];
    expect(new Set(all).size).toBe(all.length);
  });

  test('every message ln-wire knows goes to exactly one place', () => {
    const owners = new Set<string>(CONNECTION_MESSAGE_NAMES);
    for (const codec of MESSAGE_CODECS) {
      const m = { type: codec.name } as unknown as Message;
      const places = [isChannelMessage(m), isRoutingMessage(m), isOnionMessage(m), owners.has(codec.name)].filter(Boolean).length;
      expect({ name: codec.name, places }).toEqual({ name: codec.name, places: 1 });
    }
  });

  test('peer storage goes to the channel handler; ping and error do not', () => {
    const storage: Message = { type: 'peer_storage', blob: new Uint8Array(3) };
    expect(isChannelMessage(storage)).toBe(true);
    expect(isChannelMessage({ type: 'ping', numPongBytes: 0, ignored: new Uint8Array(0) })).toBe(false);
    expect(isRoutingMessage({ type: 'error', channelId: ALL_CHANNELS, data: new Uint8Array(0) })).toBe(false);
  });
});

describe('ignoring handlers', () => {
  test('take anything, send nothing, provide no features', () => {
    const h = messageHandlers();
    for (const handler of [h.channel, h.routing, h.onion, h.custom]) {
      expect(handler.peerConnected(peer, { features: new Uint8Array(0) }, true)).toBeUndefined();
      expect(handler.provideInitFeatures(peer)).toEqual(new Uint8Array(0));
      expect(handler.provideNodeFeatures()).toEqual(new Uint8Array(0));
      expect(handler.getAndClearPendingMsgEvents()).toEqual([]);
    }
    expect(h.custom.handlesType(32769)).toBe(false);
    expect(h.channel.hasChannelsWith(peer)).toBe(false);
    h.channel.handleMessage(peer, { type: 'peer_storage', blob: new Uint8Array(0) } satisfies ChannelMessage);
  });

  test('given handlers are kept', () => {
    const channel = ignoringChannelMessageHandler();
    expect(messageHandlers({ channel }).channel).toBe(channel);
  });
});
