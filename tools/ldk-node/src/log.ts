import * as ldk from 'lightningdevkit';

/** One line of LDK's log. */
export interface LdkLogLine {
  /** `TRACE`, `DEBUG`, `INFO`, `WARN`, `ERROR` or `GOSSIP`. */
  readonly level: string;
  readonly module: string;
  readonly message: string;
}

const LEVEL_NAMES: Record<number, string> = {
  [ldk.Level.LDKLevel_Gossip]: 'GOSSIP',
  [ldk.Level.LDKLevel_Trace]: 'TRACE',
  [ldk.Level.LDKLevel_Debug]: 'DEBUG',
  [ldk.Level.LDKLevel_Info]: 'INFO',
  [ldk.Level.LDKLevel_Warn]: 'WARN',
  [ldk.Level.LDKLevel_Error]: 'ERROR',
};

const LEVEL_VALUES = {
  TRACE: ldk.Level.LDKLevel_Trace,
  DEBUG: ldk.Level.LDKLevel_Debug,
  INFO: ldk.Level.LDKLevel_Info,
  WARN: ldk.Level.LDKLevel_Warn,
  ERROR: ldk.Level.LDKLevel_Error,
} as const;

/** Options of {@link LdkLog}. */
export interface LdkLogOptions {
  /** Lines kept (oldest dropped first); default 20,000. */
  readonly maxLines?: number;
  /** Keep GOSSIP lines too (very chatty); default false. */
  readonly gossip?: boolean;
  /** Drop lines below this level (default `TRACE`: everything but gossip). Benchmarks use `WARN`: formatting every line costs. */
  readonly minLevel?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Also print each line with this prefix (default: when LDK_NODE_LOG=1, with the node's name). */
  readonly echo?: string | undefined;
}

/**
 * LDK's log, kept as lines in memory. LDK reports why it disconnected a peer or
 * refused a message only here, so every timeout of the harness quotes its tail.
 */
export class LdkLog {
  readonly lines: LdkLogLine[] = [];
  readonly logger: ldk.Logger;
  private readonly maxLines: number;

  constructor(options: LdkLogOptions = {}) {
    this.maxLines = options.maxLines ?? 20_000;
    const keepGossip = options.gossip === true;
    const minLevel = LEVEL_VALUES[options.minLevel ?? 'TRACE'];
    const echo = options.echo;
    this.logger = ldk.Logger.new_impl({
      log: (record: ldk.Record) => {
        // The record is borrowed for the duration of the call: copy what we keep.
        const levelValue = record.get_level();
        if (levelValue === ldk.Level.LDKLevel_Gossip ? !keepGossip : levelValue < minLevel) return;
        const line: LdkLogLine = { level: LEVEL_NAMES[levelValue] ?? String(levelValue), module: record.get_module_path(), message: record.get_args() };
        this.lines.push(line);
        if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
        if (echo !== undefined) console.error(`[${echo}] ${format(line)}`);
      },
    });
  }

  /** The last `n` lines, formatted. */
  tail(n = 30): string[] {
    return this.lines.slice(-n).map(format);
  }

  /** Lines whose message contains `text`. */
  grep(text: string): LdkLogLine[] {
    return this.lines.filter((l) => l.message.includes(text));
  }
}

function format(line: LdkLogLine): string {
  return `${line.level} ${line.module}: ${line.message}`;
}
