// Script verification flags, with Bitcoin Core's bit values (bitcore-lib uses
// the same ones), and the two sets bitcoind applies: consensus (mandatory, what
// a block must satisfy) and standard (what the mempool asks of a transaction).

/** Bitcoin Core's SCRIPT_VERIFY_* flags. */
export const ScriptFlags = {
  NONE: 0,
  P2SH: 1 << 0,
  STRICTENC: 1 << 1,
  DERSIG: 1 << 2,
  LOW_S: 1 << 3,
  NULLDUMMY: 1 << 4,
  SIGPUSHONLY: 1 << 5,
  MINIMALDATA: 1 << 6,
  DISCOURAGE_UPGRADABLE_NOPS: 1 << 7,
  CLEANSTACK: 1 << 8,
  CHECKLOCKTIMEVERIFY: 1 << 9,
  CHECKSEQUENCEVERIFY: 1 << 10,
  WITNESS: 1 << 11,
  DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM: 1 << 12,
  MINIMALIF: 1 << 13,
  NULLFAIL: 1 << 14,
  WITNESS_PUBKEYTYPE: 1 << 15,
  CONST_SCRIPTCODE: 1 << 16,
  TAPROOT: 1 << 17,
  DISCOURAGE_UPGRADABLE_TAPROOT_VERSION: 1 << 18,
  DISCOURAGE_OP_SUCCESS: 1 << 19,
  DISCOURAGE_UPGRADABLE_PUBKEYTYPE: 1 << 20,
} as const;

/** What every block must satisfy (Core's MANDATORY_SCRIPT_VERIFY_FLAGS, all soft forks active as on regtest). */
export const MANDATORY_SCRIPT_FLAGS =
  ScriptFlags.P2SH |
  ScriptFlags.DERSIG |
  ScriptFlags.NULLDUMMY |
  ScriptFlags.CHECKLOCKTIMEVERIFY |
  ScriptFlags.CHECKSEQUENCEVERIFY |
  ScriptFlags.WITNESS |
  ScriptFlags.TAPROOT;

/** What bitcoind's mempool asks of a transaction (Core's STANDARD_SCRIPT_VERIFY_FLAGS). */
export const STANDARD_SCRIPT_FLAGS =
  MANDATORY_SCRIPT_FLAGS |
  ScriptFlags.STRICTENC |
  ScriptFlags.MINIMALDATA |
  ScriptFlags.DISCOURAGE_UPGRADABLE_NOPS |
  ScriptFlags.CLEANSTACK |
  ScriptFlags.MINIMALIF |
  ScriptFlags.NULLFAIL |
  ScriptFlags.LOW_S |
  ScriptFlags.DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM |
  ScriptFlags.WITNESS_PUBKEYTYPE |
  ScriptFlags.CONST_SCRIPTCODE |
  ScriptFlags.DISCOURAGE_UPGRADABLE_TAPROOT_VERSION |
  ScriptFlags.DISCOURAGE_OP_SUCCESS |
  ScriptFlags.DISCOURAGE_UPGRADABLE_PUBKEYTYPE;
