// Every CLI subcommand, in the order `maskwright --help` lists them.
import type { CliCommand } from './command';
import { doctorCommand } from './commands/doctor';
import { modelsCommand } from './commands/models';
import { prelabelCommand } from './commands/prelabel';

export const commands: CliCommand[] = [];
commands.push(prelabelCommand, modelsCommand, doctorCommand);
import { thresholdCommand } from './commands/threshold';
import { edgesCommand } from './commands/edges';
import { kmeansCommand } from './commands/kmeans';
import { watershedCommand } from './commands/watershed';
import { componentsCommand } from './commands/components';
import { morphCommand } from './commands/morph';
commands.push(thresholdCommand, edgesCommand, kmeansCommand, watershedCommand, componentsCommand, morphCommand);
import { validateCommand } from './commands/validate';
commands.push(validateCommand);
import { exportCommand } from './commands/export';
import { importCommand } from './commands/import';
commands.push(exportCommand, importCommand);
import { diffCommand } from './commands/diff';
import { compareCommand } from './commands/compare';
import { queueCommand } from './commands/queue';
import { statsCommand } from './commands/stats';
commands.push(diffCommand, compareCommand, queueCommand, statsCommand);
