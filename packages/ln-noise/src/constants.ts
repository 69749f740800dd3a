/** The Noise protocol name BOLT 8 hashes into the initial state. */
export const PROTOCOL_NAME = 'Noise_XK_secp256k1_ChaChaPoly_SHA256';
/** The prologue BOLT 8 mixes into the handshake hash. */
export const PROLOGUE = 'lightning';
/** The only handshake version byte BOLT 8 defines. */
export const HANDSHAKE_VERSION = 0;
/** Bytes of act one: version, ephemeral key, tag. */
export const ACT_ONE_LENGTH = 50;
/** Bytes of act two: version, ephemeral key, tag. */
export const ACT_TWO_LENGTH = 50;
/** Bytes of act three: version, encrypted static key with its tag, tag. */
export const ACT_THREE_LENGTH = 66;
/** Poly1305 tag length. */
export const MAC_LENGTH = 16;
/** Encrypted length prefix: 2-byte big-endian length and its tag. */
export const LENGTH_HEADER_LENGTH = 2 + MAC_LENGTH;
/** Largest message body the transport carries. */
export const MAX_MESSAGE_LENGTH = 65535;
/** A key is rotated after this many uses (its nonce reaches this value). */
export const KEY_ROTATION_INTERVAL = 1000;
