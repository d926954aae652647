import { describe, expect, it } from "vitest";
import { quboObjective } from "../model/qubo";
import { generatePortfolioData, generateSchedule } from "./generate";
import { maxCutToIsing, parseRudyGraph } from "./maxcut";
import {
  checkPortfolio,
  evaluatePortfolio,
  type PortfolioProblem,
  portfolioFromTable,
  portfolioQubo,
} from "./portfolio";
import {
  checkSchedule,
  evaluateSchedule,
  parseScheduleJson,
  type ScheduleProblem,
  scheduleInfeasibility,
} from "./schedule";
import { solvePortfolio, solveSchedule } from "./solve-problems";

function bestPortfolio(p: PortfolioProblem): number {
  const N = p.data.mean.length;
  let best = Number.NEGATIVE_INFINITY;
  for (let b = 0; b < 2 ** N; b++) {
    const x = Array.from({ length: N }, (_, i) => (b >> i) & 1);
    if (x.reduce((a, v) => a + v, 0) !== p.k) continue;
    best = Math.max(best, evaluatePortfolio(p, x).utility);
  }
  return best;
}

function bestSchedule(p: ScheduleProblem): number {
  const T = p.slots.length;
  const M = p.jobs.length;
  let best = Number.POSITIVE_INFINITY;
  const slot = new Int32Array(M);
  for (let code = 0; code < T ** M; code++) {
    let c = code;
    for (let j = 0; j < M; j++) {
      slot[j] = c % T;
      c = Math.floor(c / T);
    }
    const e = evaluateSchedule(p, slot);
    if (e.feasible) best = Math.min(best, e.cost);
  }
  return best;
}

describe("max-cut graphs", () => {
  it("read comments, blank lines, CRLF, tabs, signs, decimal and missing weights", () => {
    const g = parseRudyGraph("% a comment\r\n4 4\r\n1 2 -1\r\n\r\n# note\n2\t3 +2.5\n3 4\n4 1 1e1\n");
    expect(g.n).toBe(4);
    expect(Array.from(g.from)).toEqual([0, 1, 2, 3]);
    expect(Array.from(g.to)).toEqual([1, 2, 3, 0]);
    expect(Array.from(g.weight)).toEqual([-1, 2.5, 1, 10]);
  });

  it("name the line of every kind of malformed file", () => {
    const cases: [string, RegExp][] = [
      ["", /empty/],
      ["3\n", /line 1: expected `n m`/],
      ["3 1\n1 2 3 4\n", /line 2: expected `i j w`/],
      ["3 1\n1 1 1\n", /line 2: self-loop on node 1/],
      ["3 1\n1 2 1\n2 3 1\n", /line 3: more edge lines than the 1 announced/],
      ["3 1\n1.5 2\n", /line 2: first node id '1.5' is not a whole number/],
      ["3 1\n1 2 NaN\n", /line 2: weight 'NaN' is not a number/],
    ];
    for (const [text, message] of cases) expect(() => parseRudyGraph(text), text).toThrow(message);
  });

  it("sums duplicate edges into one coupling (energy = −cut)", () => {
    const model = maxCutToIsing(parseRudyGraph("2 2\n1 2 1\n2 1 2\n"));
    expect(model.J.format === "csr" && Array.from(model.J.values)).toEqual([-1.5, -1.5]);
    expect(model.offset).toBe(-1.5);
  });
});

describe("portfolio", () => {
  it("estimates mean and covariance from prices and names bad cells", () => {
    const d = portfolioFromTable(
      ["date", "a", "b"],
      [
        ["d1", "100", "10"],
        ["d2", "110", "10"],
        ["d3", "99", "11"],
      ],
      "prices",
    );
    expect(d.assets).toEqual(["a", "b"]);
    expect(d.mean[0]).toBeCloseTo((0.1 + (99 / 110 - 1)) / 2, 12);
    expect(d.covariance[1]).toBe(d.covariance[2]);
    expect(() =>
      portfolioFromTable(
        ["a", "b"],
        [
          ["1", "2"],
          ["x", "2"],
          ["1", "2"],
        ],
        "returns",
      ),
    ).toThrow(/row 3, column 'a': value 'x' is not a number/);
    expect(() => portfolioFromTable(["a"], [["1"], ["-2"], ["3"]], "prices")).toThrow(/row 3.*must be positive/);
    expect(() => portfolioFromTable(["a"], [["1"]], "returns")).toThrow(/at least 2 periods/);
  });

  it("the QUBO's minimum is the best feasible selection (penalty large enough)", () => {
    const p = { data: generatePortfolioData(10, 120, 3), k: 3, riskAversion: 2 };
    const { qubo } = portfolioQubo(p);
    let bestQ = Number.POSITIVE_INFINITY;
    let arg = 0;
    for (let b = 0; b < 1024; b++) {
      const x = Array.from({ length: 10 }, (_, i) => (b >> i) & 1);
      const f = quboObjective(qubo, x);
      if (f < bestQ) [bestQ, arg] = [f, b];
    }
    const x = Array.from({ length: 10 }, (_, i) => (arg >> i) & 1);
    expect(evaluatePortfolio(p, x).feasible).toBe(true);
    expect(evaluatePortfolio(p, x).utility).toBeCloseTo(bestPortfolio(p), 12);
    expect(bestQ).toBeCloseTo(-bestPortfolio(p), 12);
  });

  it("the solver returns the brute-force optimum on small generated instances", async () => {
    for (const seed of [1, 2, 3]) {
      const p = { data: generatePortfolioData(16, 250, seed), k: 5, riskAversion: 1 + seed };
      const r = await solvePortfolio(p, { seed });
      expect(r.evaluation.feasible).toBe(true);
      const opt = bestPortfolio(p);
      expect(Math.abs(opt - r.evaluation.utility)).toBeLessThanOrEqual(0.01 * Math.abs(opt) + 1e-12);
    }
  });

  it("rejects a selection with the wrong count", () => {
    const p = { data: generatePortfolioData(6, 50, 1), k: 2, riskAversion: 1 };
    expect(() => checkPortfolio(p, [1, 1, 1, 0, 0, 0])).toThrow(/holds 3 assets but exactly 2/);
    expect(() => checkPortfolio(p, [1, 0, 0, 0, 0, 1])).not.toThrow();
  });
});

describe("maintenance scheduling", () => {
  it("the solver returns the brute-force optimum on small generated instances", async () => {
    for (const seed of [1, 2, 3, 4]) {
      const p = generateSchedule(6, 4, 3, seed);
      const r = await solveSchedule(p, { seed });
      expect(r.reason).toBeUndefined();
      expect(r.evaluation.feasible).toBe(true);
      checkSchedule(p, r.schedule);
      const opt = bestSchedule(p);
      expect(r.evaluation.cost).toBeLessThanOrEqual(opt * 1.01 + 1e-9);
    }
  });

  it("rejects schedules that break capacity, machine or window rules, naming the rule", () => {
    const p = parseScheduleJson({
      slots: [
        { name: "mon", crew: 2 },
        { name: "tue", crew: 1 },
      ],
      machines: [
        { name: "press", downtime: [5, 3] },
        { name: "lathe", downtime: 1 },
      ],
      jobs: [
        { name: "a", machine: "press" },
        { name: "b", machine: "press", crew: 1 },
        { name: "c", machine: "lathe", window: [1, 1] },
      ],
    });
    expect(evaluateSchedule(p, [0, 1, 0]).feasible).toBe(true);
    expect(() => checkSchedule(p, [0, 0, 1])).toThrow(/both use machine 'press' in slot 1/);
    expect(() => checkSchedule(p, [1, 0, 1])).toThrow(/outside its window 1–1/);
    expect(evaluateSchedule(p, [1, 0, 1]).violations.join()).toMatch(/slot 2 \('tue'\) needs 2 crew but has 1/);
    expect(() => checkSchedule(p, [0, -1, 0])).toThrow(/job 'b' is not scheduled/);
  });

  it("says why no schedule exists", async () => {
    const p = parseScheduleJson({
      slots: [1, 1],
      machines: [{ name: "m", downtime: 1 }],
      jobs: [{ machine: "m" }, { machine: "m" }, { machine: "m" }],
    });
    expect(scheduleInfeasibility(p)).toMatch(/3 crew-slots in all but the slots offer 2/);
    await expect(solveSchedule(p)).rejects.toThrow(/no feasible schedule exists/);
    expect(() => parseScheduleJson({ slots: [1], machines: [{ name: "m", downtime: [1, 2] }], jobs: [] })).toThrow(
      /machines\[0\].downtime/,
    );
    expect(() =>
      parseScheduleJson({ slots: [1], machines: [{ name: "m", downtime: 1 }], jobs: [{ machine: "x" }] }),
    ).toThrow(/jobs\[0\].machine: unknown machine 'x'/);
  });
});
