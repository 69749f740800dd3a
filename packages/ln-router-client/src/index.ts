export { RemoteRouter, type RemoteRouterOptions } from './remote-router.js';
export { RouterClientError, type RouterClientErrorCode } from './errors.js';
export { remoteScoreUpdate } from './remote-score-update.js';
