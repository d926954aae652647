import type { CommandModule } from "../shared/command";
import { registerAgent } from "./agent";
import { registerAudit } from "./audit";
import { registerDemo } from "./demo";
import { registerDetect } from "./detect";
import { registerForecast } from "./forecast";
import { registerGenerate } from "./generate";
import { registerHub } from "./hub";
import { registerKernels } from "./kernels";
import { registerOptimize } from "./optimize";
import { registerScoreNab } from "./score-nab";
import { registerValidate } from "./validate";

/** Every nqp subcommand, in the order `nqp --help` lists them. Each lives in its own file beside this one. */
export const commands: CommandModule[] = [
  registerDemo,
  registerGenerate,
  registerForecast,
  registerDetect,
  registerScoreNab,
  registerValidate,
  registerOptimize,
  registerAgent,
  registerHub,
  registerAudit,
  registerKernels,
];
