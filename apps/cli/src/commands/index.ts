import type { CommandModule } from "../shared/command";
import { registerDetect } from "./detect";
import { registerForecast } from "./forecast";
import { registerGenerate } from "./generate";
import { registerOptimize } from "./optimize";
import { registerScoreNab } from "./score-nab";

/** Every nqp subcommand, in the order `nqp --help` lists them. Each lives in its own file beside this one. */
export const commands: CommandModule[] = [
  registerGenerate,
  registerForecast,
  registerDetect,
  registerScoreNab,
  registerOptimize,
];
