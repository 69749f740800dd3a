import { RouteError, type FirstHop, type InFlightHtlcs, type Route, type RouteParameters, type Router } from 'ln-router-api';
import { equalBytes, type NodeId } from 'ln-types';

/**
 * A Router for a node without a graph: it reaches its channel peers only (one
 * hop, over the first hop with the most room), as a ChannelManager created
 * without a router can. Route hints and multi-part payments need a real router
 * (ln-router locally, or ln-router-client for a routing server).
 */
export const directPeerRouter: Router = {
  findRoute(_payer: NodeId, params: RouteParameters, firstHops: readonly FirstHop[] | undefined, _inFlight: InFlightHtlcs): Route {
    const payee = params.paymentParams.payee;
    if (payee.kind !== 'clear') throw new RouteError('payee_unsupported', 'blinded payees need a router');
    const amount = params.finalValueMsat;
    const candidates = (firstHops ?? [])
      .filter((h) => equalBytes(h.counterpartyNodeId, payee.nodeId) && h.nextOutboundHtlcLimitMsat >= amount && h.nextOutboundHtlcMinimumMsat <= amount)
      .sort((a, b) => (a.nextOutboundHtlcLimitMsat > b.nextOutboundHtlcLimitMsat ? -1 : 1));
    const hop = candidates[0];
    if (hop === undefined) throw new RouteError('no_route', 'the payee is not a peer with a channel that can carry the amount (no router configured)');
    return {
      paths: [
        {
          hops: [
            {
              nodeId: hop.counterpartyNodeId,
              nodeFeatures: payee.features ?? hop.counterpartyFeatures,
              shortChannelId: hop.shortChannelId,
              channelFeatures: hop.channelFeatures,
              amountMsat: amount,
              feeMsat: 0n,
              cltvExpiryDelta: payee.finalCltvExpiryDelta,
              announced: false,
            },
          ],
        },
      ],
    };
  },
};
