import { LnError } from 'ln-types';

/** Why a gossmap or node-map file was refused. */
export type MainnetGraphErrorCode =
  | 'truncated'
  | 'bad_header'
  | 'non_canonical_bigsize'
  | 'out_of_range'
  | 'trailing_bytes'
  | 'bad_node_map';

/** Thrown by the parsers of this package on malformed input. */
export class MainnetGraphError extends LnError<MainnetGraphErrorCode> {}
