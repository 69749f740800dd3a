declare const brand: unique symbol;

/**
 * A nominal type over a structural one: a `Brand<Uint8Array, 'NodeId'>` is a
 * `Uint8Array` at run time but cannot be passed where a `ChannelId` is expected.
 * Values get their brand only through the validating constructors of this package.
 */
export type Brand<T, Name extends string> = T & { readonly [brand]: Name };
