import type { CommandModule } from "../shared/command";
import { registerAgent } from "./agent";
import { registerAudit } from "./audit";
import { registerDemo } from "./demo";
import { registerGenerate } from "./generate";
import { registerHub } from "./hub";

/** Every nqp subcommand, in the order `nqp --help` lists them. Each lives in its own file beside this one. */
export const commands: CommandModule[] = [registerDemo, registerGenerate, registerAgent, registerHub, registerAudit];
