// The CLI's subcommand interface. Each subcommand lives in its own file under ./commands and is
// listed in ./registry.ts. No vscode import anywhere under src/cli.
import type { ParseArgsConfig } from 'node:util';

export interface CliIO {
  /** stdout line */
  out(line: string): void;
  /** stderr line (progress, warnings) */
  err(line: string): void;
  /** aborted on SIGINT; long jobs check it between images */
  readonly signal: AbortSignal;
}

export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  /** Full --help text: usage line, arguments, options with defaults, examples. */
  readonly help: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Returns the process exit code. Throw UsageError for bad arguments (exit 2). */
  run(values: Record<string, string | boolean | (string | boolean)[] | undefined>, positionals: string[], io: CliIO): Promise<number>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}
