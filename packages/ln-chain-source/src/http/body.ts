import { ChainSourceError } from '../errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as UTF-8 text. @throws ChainSourceError `bad_json` when it is not valid UTF-8 */
export function bodyText(body: Uint8Array, what: string): string {
  try {
    return utf8.decode(body);
  } catch (cause) {
    throw new ChainSourceError('bad_json', `${what}: the answer is not UTF-8 text`, { cause });
  }
}

/** The body parsed as JSON. @throws ChainSourceError `bad_json` */
export function bodyJson(body: Uint8Array, what: string): unknown {
  const text = bodyText(body, what);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ChainSourceError('bad_json', `${what}: the answer is not JSON`, { cause });
  }
}

/** The first characters of a body, for error messages (servers put the reason there). */
export function bodySnippet(body: Uint8Array, max = 200): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body.subarray(0, max * 4));
  const clean = text.replace(/[^\x20-\x7e]+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}
