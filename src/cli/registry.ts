// Every CLI subcommand, in the order `maskwright --help` lists them.
import type { CliCommand } from './command';
import { doctorCommand } from './commands/doctor';
import { modelsCommand } from './commands/models';
import { prelabelCommand } from './commands/prelabel';

export const commands: CliCommand[] = [];
commands.push(prelabelCommand, modelsCommand, doctorCommand);
