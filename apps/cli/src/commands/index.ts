import type { CommandModule } from "../shared/command";
import { registerDetect } from "./detect";
import { registerGenerate } from "./generate";
import { registerScoreNab } from "./score-nab";

/** Every nqp subcommand, in the order `nqp --help` lists them. Each lives in its own file beside this one. */
export const commands: CommandModule[] = [registerGenerate, registerDetect, registerScoreNab];
