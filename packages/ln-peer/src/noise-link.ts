// One connection's BOLT 8 layer as a byte stream: buffers the acts (they may
// arrive in pieces or together with the first messages), runs the handshake
// machine, then hands every later byte to the transport's stream decoder.
// When the ECDH function answers asynchronously (a remote signer), input is
// queued until it does and the caller is given a promise to wait on.
import {
  ACT_ONE_LENGTH,
  ACT_THREE_LENGTH,
  ACT_TWO_LENGTH,
  InitiatorHandshake,
  isPromise,
  LENGTH_HEADER_LENGTH,
  MAC_LENGTH,
  MAX_MESSAGE_LENGTH,
  NoiseDecoder,
  NoiseError,
  ResponderHandshake,
  type HandshakeOptions,
  type MaybePromise,
  type NoiseTransport,
} from 'ln-noise';
import type { NodeId } from 'ln-types';

/** What one step of the link produced. */
export interface LinkOutput {
  /** Handshake bytes to send (act two or act three), in order. */
  readonly write: Uint8Array[];
  /** Whole decrypted messages. */
  readonly messages: Uint8Array[];
  /** Set once, when the handshake completes: the peer's node id. */
  established?: NodeId;
  /** Set when an asynchronous ECDH is running: call `receive(EMPTY)` again once it settles. */
  wait?: Promise<unknown>;
}

type Stage = 'act_one' | 'act_two' | 'act_three' | 'transport' | 'waiting' | 'failed';

// Bytes a peer may send ahead while its handshake waits for a signer: one act and one message.
const MAX_QUEUED_BYTES = ACT_THREE_LENGTH + LENGTH_HEADER_LENGTH + MAX_MESSAGE_LENGTH + MAC_LENGTH;

export class NoiseLink {
  private stage: Stage;
  private queued = new Uint8Array(0);
  private transport: NoiseTransport | undefined;
  private decoder: NoiseDecoder | undefined;
  private initiator: InitiatorHandshake | undefined;
  private responder: ResponderHandshake | undefined;
  /** The bytes to send first (act one) for an outbound link. */
  readonly initialWrite: Uint8Array | undefined;

  private constructor(initiator: InitiatorHandshake | undefined, responder: ResponderHandshake | undefined) {
    this.initiator = initiator;
    this.responder = responder;
    if (initiator !== undefined) {
      this.initialWrite = initiator.actOne();
      this.stage = 'act_two';
    } else {
      this.initialWrite = undefined;
      this.stage = 'act_one';
    }
  }

  static outbound(options: HandshakeOptions, theirNodeId: NodeId): NoiseLink {
    return new NoiseLink(new InitiatorHandshake({ ...options, remotePublicKey: theirNodeId }), undefined);
  }

  static inbound(options: HandshakeOptions): NoiseLink {
    return new NoiseLink(undefined, new ResponderHandshake(options));
  }

  get isEstablished(): boolean {
    return this.stage === 'transport';
  }

  /** Encrypts one message for sending (after the handshake). */
  encrypt(message: Uint8Array): Uint8Array {
    if (this.transport === undefined) throw new NoiseError('invalid_state', 'the handshake is not complete');
    return this.transport.encrypt(message);
  }

  /**
   * Feeds received bytes.
   * @throws NoiseError on any handshake or transport failure (the link is then dead)
   */
  receive(chunk: Uint8Array): LinkOutput {
    const out: LinkOutput = { write: [], messages: [] };
    if (this.stage === 'failed') throw new NoiseError('invalid_state', 'the link failed earlier');
    if (this.stage === 'transport') {
      this.decodeInto(chunk, out);
      return out;
    }
    this.queue(chunk);
    try {
      this.drive(out);
    } catch (err) {
      this.stage = 'failed';
      throw err;
    }
    return out;
  }

  private queue(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.queued.length + chunk.length > MAX_QUEUED_BYTES) {
      this.stage = 'failed';
      throw new NoiseError('invalid_state', 'too many bytes before the handshake completed');
    }
    const joined = new Uint8Array(this.queued.length + chunk.length);
    joined.set(this.queued, 0);
    joined.set(chunk, this.queued.length);
    this.queued = joined;
  }

  private take(n: number): Uint8Array {
    const head = this.queued.subarray(0, n);
    this.queued = this.queued.subarray(n);
    return head;
  }

  private drive(out: LinkOutput): void {
    for (;;) {
      switch (this.stage) {
        case 'act_one': {
          if (this.queued.length < ACT_ONE_LENGTH) return;
          const act2 = this.responder!.processActOne(this.take(ACT_ONE_LENGTH));
          if (this.settle(act2, out, (bytes, o) => {
            o.write.push(bytes);
            this.stage = 'act_three';
          })) return;
          break;
        }
        case 'act_two': {
          if (this.queued.length < ACT_TWO_LENGTH) return;
          const done = this.initiator!.processActTwo(this.take(ACT_TWO_LENGTH));
          if (this.settle(done, out, (d, o) => {
            o.write.push(d.actThree);
            this.establish(d.transport, d.remotePublicKey, o);
          })) return;
          break;
        }
        case 'act_three': {
          if (this.queued.length < ACT_THREE_LENGTH) return;
          const d = this.responder!.processActThree(this.take(ACT_THREE_LENGTH));
          this.establish(d.transport, d.remotePublicKey, out);
          break;
        }
        case 'transport': {
          const rest = this.queued;
          this.queued = new Uint8Array(0);
          this.decodeInto(rest, out);
          return;
        }
        case 'waiting':
        case 'failed':
          return;
      }
    }
  }

  /**
   * Applies `apply` now for a plain value (returns false: keep driving), or
   * parks the link until the promise settles (returns true: stop for now).
   */
  private settle<T>(value: MaybePromise<T>, out: LinkOutput, apply: (v: T, out: LinkOutput) => void): boolean {
    if (!isPromise(value)) {
      apply(value, out);
      return false;
    }
    // Input keeps queueing while waiting; resume() applies the result.
    this.stage = 'waiting';
    out.wait = value.then(
      (v) => {
        this.pendingApply = (o) => apply(v, o);
      },
      (error: unknown) => {
        this.stage = 'failed';
        this.pendingError = error;
      },
    );
    return true;
  }

  private pendingApply: ((out: LinkOutput) => void) | undefined;
  private pendingError: unknown;

  /**
   * Continues after an asynchronous ECDH settled: same contract as `receive`.
   * @throws the handshake's NoiseError if the ECDH failed
   */
  resume(): LinkOutput {
    const out: LinkOutput = { write: [], messages: [] };
    if (this.pendingError !== undefined) {
      const error = this.pendingError;
      this.pendingError = undefined;
      throw error;
    }
    const apply = this.pendingApply;
    this.pendingApply = undefined;
    try {
      if (apply !== undefined) {
        // apply moves the stage on from 'waiting' (to act three, or to the transport).
        apply(out);
        this.drive(out);
      }
    } catch (err) {
      this.stage = 'failed';
      throw err;
    }
    return out;
  }

  private establish(transport: NoiseTransport, remote: NodeId, out: LinkOutput): void {
    this.transport = transport;
    this.decoder = new NoiseDecoder(transport);
    this.initiator = undefined;
    this.responder = undefined;
    this.stage = 'transport';
    out.established = remote;
  }

  private decodeInto(chunk: Uint8Array, out: LinkOutput): void {
    try {
      this.decoder!.pushInto(chunk, out.messages);
    } catch (err) {
      this.stage = 'failed';
      throw err;
    }
  }
}
