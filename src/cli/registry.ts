// Every CLI subcommand, in the order `maskwright --help` lists them.
import type { CliCommand } from './command';

export const commands: CliCommand[] = [];
