import type { HDKey } from '@scure/bip32';
import { type RecoverableSignature, type Secp256k1Backend, defaultSecp256k1, sha256, sha256d } from 'ln-crypto';
import { type NodeId, type PublicKey, concatBytes, u64ToBytes, utf8ToBytes } from 'ln-types';
import { p2wpkh } from 'ln-tx';
import {
  type EntropySource,
  type NodeSigner,
  type Recipient,
  type SignerProvider,
  type UnsignedGossipMessage,
  type UnsignedInvoice,
  SignerError,
} from 'ln-signer-api';
import { deriveChannelSecrets, hardenedChildKey, masterKey } from './derive.js';
import { InMemorySigner } from './in-memory-signer.js';

/** Options of {@link KeysManager}. */
export interface KeysManagerOptions {
  /** secp256k1 implementation for signing and derivation (default: noble via ln-crypto). */
  readonly backend?: Secp256k1Backend;
  /** Randomness for channel keys ids (default: crypto.getRandomValues). */
  readonly entropy?: EntropySource;
}

/** Entropy from `crypto.getRandomValues` (browsers, workers, Node 20+). */
export const cryptoEntropySource: EntropySource = {
  getSecureRandomBytes(): Uint8Array {
    const out = new Uint8Array(32);
    globalThis.crypto.getRandomValues(out);
    return out;
  },
};

/** Packs 5-bit words to bytes (MSB first, zero-padded), as BOLT 11 signs them. */
function wordsToBytes(words: Uint8Array): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const w of words) {
    if (w > 31) throw new SignerError('invalid_input', 'invoice data words must be 5-bit values');
    acc = (acc << 5) | w;
    bits += 5;
    while (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  if (bits > 0) out.push((acc << (8 - bits)) & 0xff);
  return Uint8Array.from(out);
}

/**
 * Keys from a 32-byte seed, as LDK's KeysManager lays them out on BIP 32 hardened
 * children: m/0' node key, m/1' destination key, m/2' shutdown key, m/3' channel
 * master, m/5' inbound payment key material. Implements NodeSigner,
 * SignerProvider and EntropySource. Keep the seed secret and backed up: it is the node.
 */
export class KeysManager implements NodeSigner, SignerProvider<InMemorySigner>, EntropySource {
  private readonly nodeSecret: Uint8Array;
  private readonly nodeId: NodeId;
  private readonly destinationKey: Uint8Array;
  private readonly shutdownKey: Uint8Array;
  private readonly channelMaster: HDKey;
  private readonly inboundKey: Uint8Array;
  private readonly backend: Secp256k1Backend;
  private readonly entropy: EntropySource;
  private keysIdCounter = 0n;

  constructor(seed: Uint8Array, options: KeysManagerOptions = {}) {
    if (!(seed instanceof Uint8Array) || seed.length !== 32) throw new SignerError('invalid_input', 'the seed must be 32 bytes');
    this.backend = options.backend ?? defaultSecp256k1;
    this.entropy = options.entropy ?? cryptoEntropySource;
    const master = masterKey(seed);
    this.nodeSecret = hardenedChildKey(master, 0);
    this.destinationKey = hardenedChildKey(master, 1);
    this.shutdownKey = hardenedChildKey(master, 2);
    this.channelMaster = master.deriveChild(3 + 0x80000000);
    this.inboundKey = hardenedChildKey(master, 5);
    this.nodeId = this.backend.publicKeyCreate(this.nodeSecret) as NodeId;
  }

  getSecureRandomBytes(): Uint8Array {
    return this.entropy.getSecureRandomBytes();
  }

  getNodeId(recipient: Recipient = 'node'): NodeId {
    if (recipient !== 'node') throw new SignerError('invalid_input', 'this KeysManager has no phantom node key');
    return this.nodeId;
  }

  async ecdh(recipient: Recipient, otherKey: PublicKey, tweak?: Uint8Array): Promise<Uint8Array> {
    this.getNodeId(recipient);
    const secret = tweak === undefined ? this.nodeSecret : this.backend.privateKeyTweakMul(this.nodeSecret, tweak);
    return this.backend.ecdh(secret, otherKey);
  }

  async signInvoice(invoice: UnsignedInvoice, recipient: Recipient = 'node'): Promise<RecoverableSignature> {
    this.getNodeId(recipient);
    const hash = sha256(concatBytes(utf8ToBytes(invoice.hrp), wordsToBytes(invoice.dataWords)));
    return this.backend.ecdsaSignRecoverable(hash, this.nodeSecret);
  }

  async signGossipMessage(message: UnsignedGossipMessage): Promise<Uint8Array> {
    if (message.type === 'channel_announcement' && message.signedPart.length < 2) throw new SignerError('invalid_input', 'empty announcement');
    return this.backend.ecdsaSign(sha256d(message.signedPart), this.nodeSecret);
  }

  getInboundPaymentKeyMaterial(): Uint8Array {
    return this.inboundKey.slice();
  }

  generateChannelKeysId(inbound: boolean, userChannelId: bigint): Uint8Array {
    // A counter keeps ids unique within this process; fresh entropy keeps them unique across restarts.
    this.keysIdCounter++;
    return sha256(
      concatBytes(u64ToBytes(this.keysIdCounter), u64ToBytes(userChannelId & 0xffffffffffffffffn), Uint8Array.of(inbound ? 1 : 0), this.entropy.getSecureRandomBytes()),
    );
  }

  deriveChannelSigner(_channelValueSat: bigint, channelKeysId: Uint8Array): InMemorySigner {
    if (!(channelKeysId instanceof Uint8Array) || channelKeysId.length !== 32) throw new SignerError('invalid_input', 'channel keys id must be 32 bytes');
    return new InMemorySigner(channelKeysId.slice(), deriveChannelSecrets(this.channelMaster, channelKeysId), this.backend);
  }

  async getDestinationScript(_channelKeysId: Uint8Array): Promise<Uint8Array> {
    return p2wpkh(this.backend.publicKeyCreate(this.destinationKey));
  }

  async getShutdownScript(): Promise<Uint8Array> {
    return p2wpkh(this.backend.publicKeyCreate(this.shutdownKey));
  }

  /** The private key behind {@link getDestinationScript}, to sweep what was sent there. */
  destinationPrivateKey(): Uint8Array {
    return this.destinationKey.slice();
  }
}
