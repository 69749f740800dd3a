export { startProxy, type ProxyOptions, type RunningProxy } from './proxy.js';
export { parseTarget, isAllowed, LIGHTNING_PORT, type Target, type AllowRule } from './target.js';
