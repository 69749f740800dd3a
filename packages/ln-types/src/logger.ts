import { toHex } from './bytes.js';

/** Log levels, most verbose first (as LDK's: gossip is the firehose below trace). */
export type LogLevel = 'gossip' | 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** Numeric order of {@link LogLevel}s, for comparisons. */
export const LOG_LEVEL_ORDER: Readonly<Record<LogLevel, number>> = Object.freeze({
  gossip: 0,
  trace: 1,
  debug: 2,
  info: 3,
  warn: 4,
  error: 5,
});

/** One structured log record. */
export interface LogRecord {
  readonly level: LogLevel;
  /** The emitting module, e.g. `"ln-peer/peer-manager"`. */
  readonly module: string;
  readonly message: string;
  /** The peer the record is about, as hex, when there is one. */
  readonly peer?: string;
  /** The channel the record is about, as hex, when there is one. */
  readonly channel?: string;
  /** Further structured fields (JSON-serializable values). */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/**
 * Where the library's logs go. The library never reads a clock or writes to the
 * console itself: the application's logger timestamps and routes records.
 */
export interface Logger {
  /** Records below this level are never built, so hot paths pay nothing for them. */
  readonly level: LogLevel;
  log(record: LogRecord): void;
}

/** True when `logger` wants records of `level`. Call it before building a costly record. */
export function isLogEnabled(logger: Logger, level: LogLevel): boolean {
  return LOG_LEVEL_ORDER[level] >= LOG_LEVEL_ORDER[logger.level];
}

/** A logger that drops everything (the default where none is given). */
export const silentLogger: Logger = Object.freeze({ level: 'error' as LogLevel, log: () => {} });

/**
 * A logger writing one JSON line per record to `write` (default: `console.error`),
 * with an ISO timestamp from `now` (default: `Date.now`).
 */
export function createJsonLogger(options: {
  level?: LogLevel;
  write?: (line: string) => void;
  now?: () => number;
} = {}): Logger {
  const level = options.level ?? 'info';
  const write = options.write ?? ((line: string) => console.error(line));
  const now = options.now ?? Date.now;
  return {
    level,
    log(record) {
      if (LOG_LEVEL_ORDER[record.level] < LOG_LEVEL_ORDER[level]) return;
      const { fields, ...rest } = record;
      write(JSON.stringify({ time: new Date(now()).toISOString(), ...rest, ...fields }, bigintAsString));
    },
  };
}

function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value instanceof Uint8Array ? toHex(value) : value;
}

