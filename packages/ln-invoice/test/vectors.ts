// The BOLT 11 example invoices, copied from the project's vector set (see the
// `source` field inside the JSON for the spec commit and lines).
import { readFileSync } from 'node:fs';

export interface ValidVector {
  name: string;
  invoice: string;
  priv_key: string;
  payee_pubkey: string;
  currency_prefix: string;
  amount: { hrp_amount: string; msat: string } | null;
  timestamp: number;
  payment_hash: string;
  payment_secret: string | null;
  description: string | null;
  description_hash: string | null;
  expiry: number | null;
  min_final_cltv_expiry_delta: number | null;
  metadata: string | null;
  payee_node_id: string | null;
  fallback_addresses: { version: number; program: string }[];
  routing_hints: { pubkey: string; short_channel_id_hex: string; fee_base_msat: number; fee_proportional_millionths: number; cltv_expiry_delta: number }[][];
  features: { bits: number[]; data: string } | null;
  unknown_fields: { type: string; data_length: number; data: string }[];
  ignored_fields: { type: string; data_length: number; data: string }[];
  signature: { rs: string; recovery_id: number; signing_data: string; signing_hash: string; high_s: boolean; recovered_pubkey: string };
}

export interface InvalidVector {
  name: string;
  invoice: string;
  reason: string;
}

export const bolt11 = JSON.parse(readFileSync(new URL('./fixtures/bolt11-invoices.json', import.meta.url), 'utf8')) as {
  priv_key: string;
  valid: ValidVector[];
  invalid: InvalidVector[];
};
