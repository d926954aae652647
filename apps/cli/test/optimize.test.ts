import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { evaluatePortfolio, generatePriceCsv, portfolioFromTable } from "@nqp/core";
import { runNqp, sharedDataPath, sharedDataSkipReason, tempDir } from "@nqp/testkit";
import { afterAll, describe, expect, it } from "vitest";

const tmp = tempDir();
afterAll(() => tmp.remove());
const file = (name: string, text: string) => {
  const p = join(tmp.path, name);
  writeFileSync(p, text);
  return p;
};
const readJson = (p: string) => JSON.parse(readFileSync(p, "utf8"));

// A 5-cycle plus a chord, weights ±: its maximum cut (brute force by hand over 16 assignments) is 7.
const graph = "5 6\n1 2 2\n2 3 1\n3 4 3\n4 5 1\n5 1 1\n1 3 -1\n";

describe("nqp optimize maxcut", () => {
  it("writes the cut, a ±1 assignment in file order and the run's facts for every solver", () => {
    const input = file("g.txt", graph);
    for (const solver of ["sb", "dsb", "bsb", "sa", "exact"]) {
      const out = join(tmp.path, `g-${solver}.json`);
      const r = runNqp([
        "optimize",
        "maxcut",
        "--input",
        input,
        "--output",
        out,
        "--time-limit",
        "1",
        "--solver",
        solver,
      ]);
      expect(r.status, r.stderr).toBe(0);
      const d = readJson(out);
      expect(d.assignment).toHaveLength(5);
      const edges = graph
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(" ").map(Number));
      const cut = edges.reduce((s, [i, j, w]) => s + (d.assignment[i - 1] !== d.assignment[j - 1] ? w : 0), 0);
      expect(d.cut).toBe(cut);
      expect(d.cut, solver).toBe(7);
      expect(d).toMatchObject({ backend: "ts", nodes: 5, edges: 6 });
      expect(typeof d.elapsed_ms).toBe("number");
      expect(d.evaluations).toBeGreaterThan(0);
    }
  });

  it("prints one JSON document with --json and runs parallel workers (time limit on the CPU clock)", () => {
    const input = file("g2.txt", graph);
    const r = runNqp([
      "optimize",
      "maxcut",
      "--input",
      input,
      "--output",
      join(tmp.path, "w.json"),
      "--workers",
      "2",
      "--json",
      "--time-limit",
      "1",
      "--cpu-clock",
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ cut: 7, workers: 2 });
  });

  it("names the line of malformed input, out-of-range ids and zero nodes, exiting 2 without a stack", () => {
    const cases: [string, RegExp][] = [
      ["3 2\n1 2 1\n1 4 1\n", /line 3: node id 4 is out of range; ids run from 1 to 3/],
      ["3 2\n1 2 1\n1 two 1\n", /line 3: second node id 'two' is not a whole number/],
      ["0 0\n", /line 1: the graph has zero nodes/],
      ["3 2\n1 2 1\n", /announces 2 edges but the file has 1/],
      ["3 1\n1 2 x\n", /line 2: weight 'x' is not a number/],
    ];
    for (const [text, message] of cases) {
      const r = runNqp(["optimize", "maxcut", "--input", file("bad.txt", text), "--output", join(tmp.path, "x.json")]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
  });

  it("refuses a backend that is not available, and bad flags", () => {
    const input = file("g3.txt", graph);
    const r = runNqp([
      "optimize",
      "maxcut",
      "--input",
      input,
      "--output",
      join(tmp.path, "x.json"),
      "--backend",
      "webgpu",
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/backend 'webgpu' is not available.*--backend auto/);
    const r2 = runNqp([
      "optimize",
      "maxcut",
      "--input",
      input,
      "--output",
      join(tmp.path, "x.json"),
      "--time-limit",
      "0",
    ]);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/--time-limit/);
  });

  it.skipIf(!sharedDataPath("gset/G11.txt"))("reaches within 1 % of the best-known cut on G-set G11 in 2 s", () => {
    const input = sharedDataPath("gset/G11.txt") as string;
    const out = join(tmp.path, "g11.json");
    const r = runNqp(["optimize", "maxcut", "--input", input, "--output", out, "--time-limit", "2", "--target", "564"]);
    expect(r.status, r.stderr).toBe(0);
    expect(readJson(out).cut).toBeGreaterThanOrEqual(0.99 * 564);
  });
  if (!sharedDataPath("gset/G11.txt")) console.warn(sharedDataSkipReason("gset/G11.txt"));
});

describe("nqp optimize qubo", () => {
  it("minimises a QUBO from terms JSON, a CSV matrix and an Ising model", () => {
    // f = −x0 − x1 + 2 x0 x1 − 0.5 x2 + 3 x1 x2: minimum −1.5 at x = (1, 0, 1).
    const terms = file(
      "q.json",
      JSON.stringify({
        n: 3,
        terms: [
          [0, 0, -1],
          [1, 1, -1],
          [0, 1, 2],
          [2, 2, -0.5],
          [1, 2, 3],
        ],
      }),
    );
    const r1 = runNqp([
      "optimize",
      "qubo",
      "--input",
      terms,
      "--output",
      join(tmp.path, "q1.json"),
      "--time-limit",
      "0.5",
    ]);
    expect(r1.status, r1.stderr).toBe(0);
    expect(readJson(join(tmp.path, "q1.json"))).toMatchObject({ objective: -1.5, x: [1, 0, 1] });
    const csv = file("q.csv", "-1,1,0\n1,-1,1.5\n0,1.5,-0.5\n");
    const r2 = runNqp(["optimize", "qubo", "--input", csv, "--output", join(tmp.path, "q2.json"), "--solver", "exact"]);
    expect(r2.status, r2.stderr).toBe(0);
    expect(readJson(join(tmp.path, "q2.json"))).toMatchObject({ objective: -1.5, x: [1, 0, 1] });
    const ising = file(
      "i.json",
      JSON.stringify({
        J: [
          [0, -1],
          [-1, 0],
        ],
        h: [0.5, 0],
      }),
    );
    const r3 = runNqp([
      "optimize",
      "qubo",
      "--input",
      ising,
      "--output",
      join(tmp.path, "i1.json"),
      "--time-limit",
      "0.5",
    ]);
    expect(r3.status, r3.stderr).toBe(0);
    expect(readJson(join(tmp.path, "i1.json"))).toMatchObject({ energy: -1.5, spins: [1, -1] });
  });

  it("rejects non-symmetric and malformed matrices naming the place", () => {
    const r = runNqp([
      "optimize",
      "qubo",
      "--input",
      file("ns.csv", "1,2\n0,1\n"),
      "--output",
      join(tmp.path, "x.json"),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Q is not symmetric: Q\[0\]\[1\] = 2 but Q\[1\]\[0\] = 0/);
    const r2 = runNqp([
      "optimize",
      "qubo",
      "--input",
      file("nn.csv", "1,2\n2,abc\n"),
      "--output",
      join(tmp.path, "x.json"),
    ]);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/line 2, column 2: 'abc' is not a number/);
  });
});

describe("nqp optimize --solver qaoa|adiabatic", () => {
  it("runs exact quantum evolution, answers with the best of the shots and reports the final state", () => {
    const input = file("gq.txt", graph);
    for (const [solver, extra] of [
      ["qaoa", ["--layers", "2"]],
      ["adiabatic", ["--anneal-time", "30"]],
    ] as const) {
      const out = join(tmp.path, `q-${solver}.json`);
      const r = runNqp(["optimize", "maxcut", "--input", input, "--output", out, "--solver", solver, ...extra]);
      expect(r.status, r.stderr).toBe(0);
      const d = readJson(out);
      expect(d.cut).toBe(7);
      expect(d.quantum).toMatchObject({ method: solver, qubits: 5, shots: 1000, optimal_cut: 7, completed: 1 });
      expect(d.quantum.ground_state_probability).toBeGreaterThan(0);
      expect(d.quantum.ground_state_probability).toBeLessThanOrEqual(1 + 1e-9);
      expect(d.quantum.top[0].probability).toBeGreaterThanOrEqual(d.quantum.top[9].probability);
      expect(d.quantum.expected_cut).toBeLessThanOrEqual(7);
    }
    const q = file(
      "q3.json",
      JSON.stringify({
        Q: [
          [-1, 2],
          [2, -1],
        ],
      }),
    );
    const r = runNqp(["optimize", "qubo", "--input", q, "--output", join(tmp.path, "qq.json"), "--solver", "qaoa"]);
    expect(r.status, r.stderr).toBe(0);
    const d = readJson(join(tmp.path, "qq.json"));
    expect(d.objective).toBe(-1);
    expect(d.quantum.optimal_objective).toBe(-1);
    expect(d.quantum.most_likely.assignment.reduce((a: number, v: number) => a + v, 0)).toBe(1);
  });

  it("refuses more than 20 variables, naming the limit", () => {
    const big = `21 20\n${Array.from({ length: 20 }, (_, i) => `${i + 1} ${i + 2} 1`).join("\n")}\n`;
    const r = runNqp([
      "optimize",
      "maxcut",
      "--input",
      file("big.txt", big),
      "--output",
      join(tmp.path, "x.json"),
      "--solver",
      "adiabatic",
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/at most 20 variables; this problem has 21/);
  });
});

describe("nqp optimize portfolio", () => {
  it("chooses K assets, optimal on a small instance (brute force), and reports return and risk", () => {
    const csv = generatePriceCsv(12, 200, 7);
    const input = file("prices.csv", csv);
    const out = join(tmp.path, "p.json");
    const r = runNqp([
      "optimize",
      "portfolio",
      "--input",
      input,
      "--output",
      out,
      "--k",
      "4",
      "--risk-aversion",
      "2",
      "--time-limit",
      "0.5",
    ]);
    expect(r.status, r.stderr).toBe(0);
    const d = readJson(out);
    expect(d.selected).toHaveLength(4);
    expect(d.feasible).toBe(true);
    const [head, ...rest] = csv.trim().split("\n");
    const problem = {
      data: portfolioFromTable(
        head.split(","),
        rest.map((l) => l.split(",")),
        "prices",
      ),
      k: 4,
      riskAversion: 2,
    };
    let best = Number.NEGATIVE_INFINITY;
    for (let b = 0; b < 4096; b++) {
      const x = Array.from({ length: 12 }, (_, i) => (b >> i) & 1);
      if (x.reduce((a, v) => a + v, 0) === 4) best = Math.max(best, evaluatePortfolio(problem, x).utility);
    }
    expect(d.utility).toBeGreaterThanOrEqual(best - 0.01 * Math.abs(best));
  });

  it("names the row and column of a bad price", () => {
    const r = runNqp([
      "optimize",
      "portfolio",
      "--input",
      file("bp.csv", "date,a,b\nd1,1,2\nd2,1,oops\nd3,1,2\n"),
      "--output",
      join(tmp.path, "x.json"),
      "--k",
      "1",
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/row 3, column 'b': value 'oops' is not a number/);
  });
});

describe("nqp optimize schedule", () => {
  const plan = {
    slots: [
      { name: "mon", crew: 2 },
      { name: "tue", crew: 2 },
      { name: "wed", crew: 1 },
    ],
    machines: [
      { name: "press", downtime: [9, 4, 1] },
      { name: "lathe", downtime: [2, 6, 3] },
    ],
    jobs: [
      { name: "press-oil", machine: "press" },
      { name: "press-belt", machine: "press", window: [1, 2] },
      { name: "lathe-check", machine: "lathe", crew: 2 },
    ],
  };

  it("writes a feasible, cheapest schedule", () => {
    const out = join(tmp.path, "s.json");
    const r = runNqp([
      "optimize",
      "schedule",
      "--input",
      file("plan.json", JSON.stringify(plan)),
      "--output",
      out,
      "--time-limit",
      "0.5",
    ]);
    expect(r.status, r.stderr).toBe(0);
    const d = readJson(out);
    // press-oil on wed (1), press-belt on tue (4), lathe-check on mon (2): cost 7, the optimum.
    expect(d.cost).toBe(7);
    expect(d.assignments.map((a: { slot_name: string }) => a.slot_name)).toEqual(["wed", "tue", "mon"]);
  });

  it("says why no schedule exists", () => {
    const impossible = { ...plan, jobs: [...plan.jobs, { name: "lathe-big", machine: "lathe", crew: 3 }] };
    const r = runNqp([
      "optimize",
      "schedule",
      "--input",
      file("imp.json", JSON.stringify(impossible)),
      "--output",
      join(tmp.path, "x.json"),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no feasible schedule exists: job 'lathe-big' needs 3 crew/);
  });
});
