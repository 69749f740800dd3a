import type { NodeId, ShortChannelId } from 'ln-types';

/** One hop of a route hint (BOLT 11 `r` field): the private channel from `sourceNodeId` to the next hop. */
export interface RouteHintHop {
  readonly sourceNodeId: NodeId;
  readonly shortChannelId: ShortChannelId;
  readonly feeBaseMsat: number;
  readonly feeProportionalMillionths: number;
  readonly cltvExpiryDelta: number;
  readonly htlcMinimumMsat?: bigint;
  readonly htlcMaximumMsat?: bigint;
}

/** A route hint: hops ending at the payee, the last one's channel reaching the payee. */
export type RouteHint = readonly RouteHintHop[];

/** A blinded payment path offered by the payee (BOLT 12 / BOLT 4 route blinding) with its aggregated payinfo. */
export interface BlindedPaymentPath {
  /** The introduction node, a real node id. */
  readonly introductionNodeId: NodeId;
  readonly blindingPoint: Uint8Array;
  readonly hops: readonly { readonly blindedNodeId: Uint8Array; readonly encryptedPayload: Uint8Array }[];
  readonly feeBaseMsat: number;
  readonly feeProportionalMillionths: number;
  /** Total cltv delta of the blinded part, the recipient's final delta included. */
  readonly cltvExpiryDelta: number;
  readonly htlcMinimumMsat: bigint;
  readonly htlcMaximumMsat: bigint;
  /** Features of the blinded path (BOLT 9 bytes). */
  readonly features: Uint8Array;
}

/** Who is paid: a node id (with hints for its private channels), or a set of blinded paths. */
export type Payee =
  | {
      readonly kind: 'clear';
      readonly nodeId: NodeId;
      readonly routeHints: readonly RouteHint[];
      /** The invoice's features (BOLT 9 bytes), when known. */
      readonly features?: Uint8Array;
      /** The invoice's min_final_cltv_expiry_delta. */
      readonly finalCltvExpiryDelta: number;
    }
  | {
      readonly kind: 'blinded';
      readonly paths: readonly BlindedPaymentPath[];
      /** The offer/invoice features (BOLT 9 bytes), when known. */
      readonly features?: Uint8Array;
    };

/** Constraints on a payment that do not depend on the amount. */
export interface PaymentParameters {
  readonly payee: Payee;
  /** Largest total cltv (blocks above the current height) of any path. LDK's default is 1008. */
  readonly maxTotalCltvExpiryDelta: number;
  /** Largest number of paths (1 for a single-path payment). */
  readonly maxPathCount: number;
  /** A path may use at most capacity / 2^this of a channel (ignored for single-path routes). */
  readonly maxChannelSaturationPowerOfHalf: number;
  /** Channels that failed before for this payment: not used again. */
  readonly previouslyFailedChannels: readonly ShortChannelId[];
  /** Indexes of blinded paths (into payee.paths) that failed before. */
  readonly previouslyFailedBlindedPathIdxs: readonly number[];
}

/** What to route: the parameters and the amount. */
export interface RouteParameters {
  readonly paymentParams: PaymentParameters;
  /** What the payee must receive, in msat. */
  readonly finalValueMsat: bigint;
  /** The largest total fee accepted, in msat (absent: no limit). */
  readonly maxTotalRoutingFeeMsat?: bigint;
}

/** Parameters with LDK-like defaults for paying a node id. */
export function paymentParametersForNode(
  nodeId: NodeId,
  finalCltvExpiryDelta: number,
  options: Partial<Omit<PaymentParameters, 'payee'>> & { routeHints?: readonly RouteHint[]; features?: Uint8Array } = {},
): PaymentParameters {
  const { routeHints, features, ...rest } = options;
  const payee: Payee =
    features === undefined
      ? { kind: 'clear', nodeId, routeHints: routeHints ?? [], finalCltvExpiryDelta }
      : { kind: 'clear', nodeId, routeHints: routeHints ?? [], finalCltvExpiryDelta, features };
  return { ...DEFAULT_PAYMENT_LIMITS, ...rest, payee };
}

/** Parameters with LDK-like defaults for paying through blinded paths. */
export function paymentParametersForBlinded(
  paths: readonly BlindedPaymentPath[],
  options: Partial<Omit<PaymentParameters, 'payee'>> & { features?: Uint8Array } = {},
): PaymentParameters {
  const { features, ...rest } = options;
  const payee: Payee = features === undefined ? { kind: 'blinded', paths } : { kind: 'blinded', paths, features };
  return { ...DEFAULT_PAYMENT_LIMITS, ...rest, payee };
}

/** The defaults used by the constructors above. */
export const DEFAULT_PAYMENT_LIMITS = {
  maxTotalCltvExpiryDelta: 1008,
  maxPathCount: 10,
  maxChannelSaturationPowerOfHalf: 2,
  previouslyFailedChannels: [] as readonly ShortChannelId[],
  previouslyFailedBlindedPathIdxs: [] as readonly number[],
} as const;
