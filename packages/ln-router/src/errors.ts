import { LnError } from 'ln-types';

/** Why graph data or scorer data was refused. */
export type RouterDataErrorCode = 'invalid_graph' | 'invalid_scorer_data';

/** Thrown when building a graph from plain data or loading scorer data fails. */
export class RouterDataError extends LnError<RouterDataErrorCode> {}
