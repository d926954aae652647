import type { CommandModule } from "../shared/command";
import { registerGenerate } from "./generate";
import { registerOptimize } from "./optimize";

/** Every nqp subcommand, in the order `nqp --help` lists them. Each lives in its own file beside this one. */
export const commands: CommandModule[] = [registerGenerate, registerOptimize];
