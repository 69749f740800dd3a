export { readBitcoindCookie, bitcoindCookiePath } from './cookie.js';
