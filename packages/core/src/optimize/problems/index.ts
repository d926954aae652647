export { generatePortfolioData, generatePriceCsv, generateSchedule } from "./generate";
export { cutValue, maxCutToIsing, parseRudyGraph, type WeightedGraph } from "./maxcut";
export {
  checkPortfolio,
  evaluatePortfolio,
  type PortfolioData,
  type PortfolioEvaluation,
  type PortfolioProblem,
  portfolioFromTable,
  portfolioQubo,
  repairPortfolio,
} from "./portfolio";
export {
  checkSchedule,
  decodeSchedule,
  evaluateSchedule,
  parseScheduleJson,
  repairSchedule,
  type Schedule,
  type ScheduleEvaluation,
  type ScheduleProblem,
  type ScheduleQubo,
  type ScheduleSolution,
  scheduleInfeasibility,
  scheduleQubo,
} from "./schedule";
export { solvePortfolio, solveSchedule } from "./solve-problems";
