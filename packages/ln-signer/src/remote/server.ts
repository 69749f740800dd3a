import { isLnError } from 'ln-types';
import type { ChannelSigner } from 'ln-signer-api';
import { type MessagePortLike, REMOTE_METHODS, type RemoteResponse, isRequest } from './port.js';

/**
 * Serves a ChannelSigner over a message port (a worker thread, an iframe, or a
 * socket wrapped as a port): each request is answered when the signer's Promise
 * settles, with refusals carried as `{code, message}`. Returns a function that stops serving.
 */
export function serveChannelSigner(signer: ChannelSigner, port: MessagePortLike): () => void {
  const allowed = new Set<string>(REMOTE_METHODS);
  const listener = (event: { data: unknown }) => {
    const req = event.data;
    if (!isRequest(req)) return;
    const reply = (r: RemoteResponse) => port.postMessage(r);
    if (req.method === 'describe') {
      reply({ id: req.id, ok: true, value: { channelKeysId: signer.channelKeysId, pubkeys: signer.pubkeys } });
      return;
    }
    if (!allowed.has(req.method)) {
      reply({ id: req.id, ok: false, code: 'invalid_input', message: `unknown method ${String(req.method)}` });
      return;
    }
    const method = signer[req.method] as (...args: unknown[]) => unknown;
    Promise.resolve()
      .then(() => method.apply(signer, [...req.args]))
      .then(
        (value) => reply({ id: req.id, ok: true, value }),
        (err: unknown) =>
          reply({
            id: req.id,
            ok: false,
            code: isLnError(err) ? err.code : 'unavailable',
            message: err instanceof Error ? err.message : String(err),
          }),
      );
  };
  port.addEventListener('message', listener);
  port.start?.();
  return () => port.removeEventListener?.('message', listener);
}
