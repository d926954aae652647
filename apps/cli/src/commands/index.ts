import type { CommandModule } from "../shared/command";
import { registerForecast } from "./forecast";
import { registerGenerate } from "./generate";
import { registerKernels } from "./kernels";

/** Every nqp subcommand, in the order `nqp --help` lists them. Each lives in its own file beside this one. */
export const commands: CommandModule[] = [registerGenerate, registerForecast, registerKernels];
