// The BOLT 9 feature table (09-features.md at lightning/bolts a3772650).
// Contexts: I init, N node_announcement, C channel_announcement (C- always odd,
// C+ always even), 9 BOLT 11 invoices, B blinded path allowed_features,
// T channel_type. ASSUMED features are universally supported and may be ignored.

export type FeatureContext = 'I' | 'N' | 'C' | 'C-' | 'C+' | '9' | 'B' | 'T';

export interface FeatureInfo {
  readonly name: FeatureName;
  /** The even (compulsory) bit; the optional bit is `bit + 1`. */
  readonly bit: number;
  readonly contexts: readonly FeatureContext[];
  /** ASSUMED in the spec: every node is expected to support it. */
  readonly assumed: boolean;
  /** Features that must also be set when this one is. */
  readonly dependencies: readonly FeatureName[];
}

export type FeatureName =
  | 'option_data_loss_protect'
  | 'option_upfront_shutdown_script'
  | 'gossip_queries'
  | 'var_onion_optin'
  | 'gossip_queries_ex'
  | 'option_static_remotekey'
  | 'payment_secret'
  | 'basic_mpp'
  | 'option_support_large_channel'
  | 'option_anchors'
  | 'option_route_blinding'
  | 'option_shutdown_anysegwit'
  | 'option_dual_fund'
  | 'option_quiesce'
  | 'option_attribution_data'
  | 'option_onion_messages'
  | 'option_provide_storage'
  | 'option_channel_type'
  | 'option_scid_alias'
  | 'option_payment_metadata'
  | 'option_zeroconf'
  | 'option_simple_close'
  | 'option_splice';

const ROWS: readonly [FeatureName, number, string, boolean, FeatureName[]][] = [
  ['option_data_loss_protect', 0, '', true, []],
  ['option_upfront_shutdown_script', 4, 'IN', false, []],
  ['gossip_queries', 6, '', false, []],
  ['var_onion_optin', 8, '', true, []],
  ['gossip_queries_ex', 10, 'IN', false, []],
  ['option_static_remotekey', 12, '', true, []],
  ['payment_secret', 14, '', true, []],
  ['basic_mpp', 16, 'IN9', false, ['payment_secret']],
  ['option_support_large_channel', 18, 'IN', false, []],
  ['option_anchors', 22, 'INT', false, []],
  ['option_route_blinding', 24, 'IN9', false, []],
  ['option_shutdown_anysegwit', 26, 'IN', false, []],
  ['option_dual_fund', 28, 'IN', false, []],
  ['option_quiesce', 34, 'IN', false, []],
  ['option_attribution_data', 36, 'IN9', false, []],
  ['option_onion_messages', 38, 'IN', false, []],
  ['option_provide_storage', 42, 'IN', false, []],
  ['option_channel_type', 44, '', true, []],
  ['option_scid_alias', 46, 'INT', false, []],
  ['option_payment_metadata', 48, '9', false, []],
  ['option_zeroconf', 50, 'INT', false, ['option_scid_alias']],
  ['option_simple_close', 60, 'IN', false, ['option_shutdown_anysegwit']],
  ['option_splice', 62, 'IN', false, []],
];

function parseContexts(text: string): FeatureContext[] {
  const out: FeatureContext[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === 'C' && (next === '-' || next === '+')) {
      out.push(`C${next}` as FeatureContext);
      i++;
    } else out.push(c as FeatureContext);
  }
  return out;
}

/** Every feature BOLT 9 assigns, by name. */
export const FEATURES: Readonly<Record<FeatureName, FeatureInfo>> = Object.freeze(
  Object.fromEntries(
    ROWS.map(([name, bit, contexts, assumed, dependencies]) => [
      name,
      Object.freeze({ name, bit, contexts: Object.freeze(parseContexts(contexts)), assumed, dependencies: Object.freeze(dependencies) }),
    ]),
  ) as Record<FeatureName, FeatureInfo>,
);

const BY_BIT = new Map<number, FeatureInfo>();
for (const info of Object.values(FEATURES)) {
  BY_BIT.set(info.bit, info);
  BY_BIT.set(info.bit + 1, info);
}

/** The feature a bit belongs to (either of its pair), if BOLT 9 assigns one. */
export function featureOfBit(bit: number): FeatureInfo | undefined {
  return BY_BIT.get(bit);
}
