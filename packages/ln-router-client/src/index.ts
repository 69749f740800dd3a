export { RemoteRouter, type RemoteRouterOptions } from './remote-router.js';
export { RouterClientError, type RouterClientErrorCode } from './errors.js';
