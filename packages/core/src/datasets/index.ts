export { type MackeyGlassOptions, mackeyGlass } from "./mackey-glass";
export { narma10 } from "./narma10";
