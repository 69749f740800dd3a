import { LnError, type NodeId } from 'ln-types';
import type { FirstHop } from './first-hop.js';
import type { InFlightHtlcs } from './in-flight.js';
import type { RouteParameters } from './params.js';
import type { Route } from './route.js';

/** Finds routes. A local router answers synchronously; a remote one (over HTTP) with a promise. */
export interface Router {
  /**
   * A route from `payer` that delivers exactly `params.finalValueMsat`.
   * @param firstHops our usable channels (override the graph at the payer), or undefined to use the graph
   * @throws RouteError when there is no route or the parameters are invalid
   */
  findRoute(
    payer: NodeId,
    params: RouteParameters,
    firstHops: readonly FirstHop[] | undefined,
    inFlightHtlcs: InFlightHtlcs,
  ): Route | Promise<Route>;
}

/** Why no route was given. */
export type RouteErrorCode =
  | 'no_route'
  | 'invalid_params'
  | 'payer_is_payee'
  | 'payee_unsupported'
  | 'fee_limit'
  | 'invalid_json';

/** A typed routing failure (a remote router sends its `code` back). */
export class RouteError extends LnError<RouteErrorCode> {}
