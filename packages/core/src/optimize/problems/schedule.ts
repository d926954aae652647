import { NqpError } from "../../errors";
import { csrFromTriplets } from "../model/matrix";
import { createQubo, type QuboModel } from "../model/qubo";

/**
 * Maintenance scheduling: M jobs, each on one machine, to T time slots. A job takes one slot and `crew` workers;
 * slot t has `crew[t]` workers; a machine is down while its job runs, costing `downtime[t]` of that machine; one
 * machine takes one job per slot; a job may only run inside its window [earliest, latest].
 */
export interface ScheduleProblem {
  readonly slots: { name: string; crew: number }[];
  readonly machines: { name: string; downtime: number[] }[];
  readonly jobs: { name: string; machine: number; crew: number; earliest: number; latest: number }[];
}

/** Reads the documented JSON form (see docs/optimizer.md); errors name the field. */
export function parseScheduleJson(value: unknown): ScheduleProblem {
  const fail = (where: string, what: string): never => {
    throw new NqpError("bad-schedule", `${where}: ${what}`);
  };
  if (!value || typeof value !== "object") fail("schedule", "expected a JSON object with slots, machines and jobs");
  const v = value as Record<string, unknown>;
  const rawSlots = v.slots;
  let slots: { name: string; crew: number }[] = [];
  if (!Array.isArray(rawSlots) || rawSlots.length === 0) fail("slots", "expected a non-empty array");
  slots = (rawSlots as unknown[]).map((s, t) => {
    const o = (typeof s === "number" ? { crew: s } : s) as Record<string, unknown>;
    const crew = Number(o?.crew);
    if (!Number.isInteger(crew) || crew < 0) fail(`slots[${t}].crew`, `expected a whole number ≥ 0, got ${o?.crew}`);
    return { name: typeof o.name === "string" ? o.name : `slot ${t + 1}`, crew };
  });
  const T = slots.length;
  if (!Array.isArray(v.machines) || v.machines.length === 0) fail("machines", "expected a non-empty array");
  const machineIndex = new Map<string, number>();
  const machines = (v.machines as unknown[]).map((m, k) => {
    const o = m as Record<string, unknown>;
    const name = typeof o?.name === "string" ? o.name : fail(`machines[${k}].name`, "expected a string");
    if (machineIndex.has(name)) fail(`machines[${k}].name`, `machine '${name}' is listed twice`);
    machineIndex.set(name, k);
    const d = o.downtime;
    const downtime = typeof d === "number" ? new Array(T).fill(d) : d;
    if (!Array.isArray(downtime) || downtime.length !== T)
      fail(`machines[${k}].downtime`, `expected one cost per slot (${T} numbers) or one number for all slots`);
    (downtime as unknown[]).forEach((c, t) => {
      if (typeof c !== "number" || !Number.isFinite(c)) fail(`machines[${k}].downtime[${t}]`, `${c} is not a number`);
    });
    return { name, downtime: downtime as number[] };
  });
  if (!Array.isArray(v.jobs) || v.jobs.length === 0) fail("jobs", "expected a non-empty array");
  const jobs = (v.jobs as unknown[]).map((j, k) => {
    const o = j as Record<string, unknown>;
    const name = typeof o?.name === "string" ? o.name : `job ${k + 1}`;
    const machine = machineIndex.get(String(o?.machine));
    if (machine === undefined) fail(`jobs[${k}].machine`, `unknown machine '${o?.machine}'`);
    const crew = o.crew === undefined ? 1 : Number(o.crew);
    if (!Number.isInteger(crew) || crew < 1) fail(`jobs[${k}].crew`, `expected a whole number ≥ 1, got ${o.crew}`);
    const w = o.window === undefined ? [1, T] : o.window;
    if (!Array.isArray(w) || w.length !== 2 || !w.every((x) => Number.isInteger(x)))
      fail(`jobs[${k}].window`, "expected [first slot, last slot] (1-based)");
    const [a, b] = w as number[];
    if (a < 1 || b > T || a > b) fail(`jobs[${k}].window`, `[${a}, ${b}] is not inside slots 1…${T}`);
    return { name, machine: machine as number, crew, earliest: a - 1, latest: b - 1 };
  });
  return { slots, machines, jobs };
}

/** The QUBO: variables x_{j,t} (job j in slot t, inside its window only) then binary slack bits per slot. */
export interface ScheduleQubo {
  readonly qubo: QuboModel;
  /** Variable index of (job, slot), or −1 outside the window. */
  readonly variable: Int32Array;
  readonly penalty: number;
}

/**
 * Cost Σ_{j,t} downtime[m_j][t]·x_{j,t} plus penalties P·(Σ_t x_{j,t} − 1)² (each job once), P·Σ x_{j,t}x_{j',t}
 * for jobs of one machine (one job per machine and slot) and P·(Σ_j crew_j x_{j,t} + Σ_k 2^k s_{t,k} − C_t)² (crew
 * capacity as an equality with slack bits, Lucas 2014 §2.4; the last bit's weight is trimmed so the slack can reach
 * exactly C_t and no more). P = 1 + 2·(max − min cost) + max(max cost, 0): any violation costs more than it can save.
 */
export function scheduleQubo(p: ScheduleProblem): ScheduleQubo {
  const T = p.slots.length;
  const M = p.jobs.length;
  const variable = new Int32Array(M * T).fill(-1);
  let nv = 0;
  const jobOfVariable: number[] = [];
  for (let j = 0; j < M; j++)
    for (let t = p.jobs[j].earliest; t <= p.jobs[j].latest; t++) {
      variable[j * T + t] = nv++;
      jobOfVariable.push(j);
    }
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const m of p.machines)
    for (const c of m.downtime) {
      lo = Math.min(lo, c);
      hi = Math.max(hi, c);
    }
  // Leaving a job out saves at most max(hi, 0); moving it into a clash or an over-full slot at most hi − lo.
  const P = 1 + 2 * (hi - lo) + Math.max(0, hi);
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  const add = (i: number, j: number, v: number) => {
    rows.push(i);
    cols.push(j);
    vals.push(v);
  };
  let offset = 0;
  for (let j = 0; j < M; j++) {
    const job = p.jobs[j];
    const vars: number[] = [];
    for (let t = job.earliest; t <= job.latest; t++) {
      const x = variable[j * T + t];
      vars.push(x);
      add(x, x, p.machines[job.machine].downtime[t]);
    }
    // P(Σx − 1)² = P[Σ_{a,b} x_a x_b − 2Σx + 1]
    for (const a of vars) for (const b of vars) add(a, b, a === b ? -P : P);
    offset += P;
  }
  for (let t = 0; t < T; t++) {
    const terms: { x: number; c: number }[] = [];
    for (let j = 0; j < M; j++) {
      const x = variable[j * T + t];
      if (x >= 0) terms.push({ x, c: p.jobs[j].crew });
    }
    // Same-machine conflicts.
    for (let a = 0; a < terms.length; a++)
      for (let b = a + 1; b < terms.length; b++) {
        const ja = jobOfVariable[terms[a].x];
        const jb = jobOfVariable[terms[b].x];
        if (p.jobs[ja].machine === p.jobs[jb].machine) {
          add(terms[a].x, terms[b].x, P / 2);
          add(terms[b].x, terms[a].x, P / 2);
        }
      }
    const C = p.slots[t].crew;
    const demand = terms.reduce((s, q) => s + q.c, 0);
    if (demand <= C) continue; // capacity can never bind
    let remaining = C;
    for (let k = 0; remaining > 0; k++) {
      const w = Math.min(2 ** k, remaining);
      terms.push({ x: nv++, c: w });
      remaining -= w;
    }
    // P(Σ c_a x_a − C)² = P[Σ_{a,b} c_a c_b x_a x_b − 2CΣ c_a x_a + C²]
    for (const a of terms) for (const b of terms) add(a.x, b.x, P * a.c * b.c - (a === b ? 2 * C * P * a.c : 0));
    offset += P * C * C;
  }
  const Q = csrFromTriplets(nv, rows, cols, vals);
  return { qubo: createQubo({ Q, offset }), variable, penalty: P };
}

/** A schedule: slot index per job (−1 = unscheduled). */
export type Schedule = Int32Array;

export interface ScheduleEvaluation {
  cost: number;
  feasible: boolean;
  /** Human-readable violations, empty when feasible. */
  violations: string[];
}

export function evaluateSchedule(p: ScheduleProblem, slotOf: ArrayLike<number>): ScheduleEvaluation {
  const T = p.slots.length;
  const violations: string[] = [];
  const used = new Float64Array(T);
  const busy = new Map<string, string>();
  let cost = 0;
  p.jobs.forEach((job, j) => {
    const t = slotOf[j];
    if (!Number.isInteger(t) || t < 0 || t >= T) {
      violations.push(`job '${job.name}' is not scheduled`);
      return;
    }
    if (t < job.earliest || t > job.latest)
      violations.push(
        `job '${job.name}' is in slot ${t + 1}, outside its window ${job.earliest + 1}–${job.latest + 1}`,
      );
    used[t] += job.crew;
    const key = `${job.machine}/${t}`;
    const other = busy.get(key);
    if (other !== undefined)
      violations.push(
        `jobs '${other}' and '${job.name}' both use machine '${p.machines[job.machine].name}' in slot ${t + 1}`,
      );
    else busy.set(key, job.name);
    cost += p.machines[job.machine].downtime[t];
  });
  for (let t = 0; t < T; t++)
    if (used[t] > p.slots[t].crew)
      violations.push(`slot ${t + 1} ('${p.slots[t].name}') needs ${used[t]} crew but has ${p.slots[t].crew}`);
  return { cost, feasible: violations.length === 0, violations };
}

/** Throws with the first violations when a schedule is not feasible. */
export function checkSchedule(p: ScheduleProblem, slotOf: ArrayLike<number>): void {
  const e = evaluateSchedule(p, slotOf);
  if (!e.feasible)
    throw new NqpError("infeasible-schedule", `the schedule is not feasible: ${e.violations.slice(0, 3).join("; ")}`);
}

/** Reads the slot of each job from a QUBO assignment (−1 where a job has no slot or several). */
export function decodeSchedule(p: ScheduleProblem, sq: ScheduleQubo, x: ArrayLike<number>): Schedule {
  const T = p.slots.length;
  const slotOf = new Int32Array(p.jobs.length).fill(-1);
  p.jobs.forEach((_job, j) => {
    let chosen = -1;
    for (let t = 0; t < T; t++) {
      const v = sq.variable[j * T + t];
      if (v >= 0 && x[v]) chosen = chosen === -1 ? t : -2;
    }
    slotOf[j] = chosen >= 0 ? chosen : -1;
  });
  return slotOf;
}

/**
 * Necessary conditions checked before solving, so an impossible input gets a reason rather than a bad schedule:
 * every job's window must hold a slot with enough crew, and each machine's jobs must fit in its slots.
 */
export function scheduleInfeasibility(p: ScheduleProblem): string | undefined {
  for (const job of p.jobs) {
    let ok = false;
    for (let t = job.earliest; t <= job.latest; t++) if (p.slots[t].crew >= job.crew) ok = true;
    if (!ok)
      return `job '${job.name}' needs ${job.crew} crew but no slot in its window ${job.earliest + 1}–${job.latest + 1} has that many`;
  }
  const total = p.jobs.reduce((s, j) => s + j.crew, 0);
  const capacity = p.slots.reduce((s, x) => s + x.crew, 0);
  if (total > capacity) return `the jobs need ${total} crew-slots in all but the slots offer ${capacity}`;
  const perMachine = new Map<number, number>();
  for (const job of p.jobs) perMachine.set(job.machine, (perMachine.get(job.machine) ?? 0) + 1);
  for (const [m, count] of perMachine)
    if (count > p.slots.length)
      return `machine '${p.machines[m].name}' has ${count} jobs but there are only ${p.slots.length} slots`;
  return undefined;
}

/**
 * Repairs a schedule into a feasible one where possible: jobs that are unscheduled, outside their window, in a
 * machine clash or in an over-full slot are removed and re-inserted greedily (cheapest feasible slot first, jobs
 * with the fewest options first); then single-job moves that lower the cost are applied until none does. Returns
 * the schedule and, when some job could not be placed, the reason.
 */
export function repairSchedule(p: ScheduleProblem, start: ArrayLike<number>): { schedule: Schedule; reason?: string } {
  const T = p.slots.length;
  const M = p.jobs.length;
  const slotOf = Int32Array.from(start);
  const used = new Float64Array(T);
  const busy = new Set<string>();
  const fits = (j: number, t: number) => {
    const job = p.jobs[j];
    return (
      t >= job.earliest && t <= job.latest && used[t] + job.crew <= p.slots[t].crew && !busy.has(`${job.machine}/${t}`)
    );
  };
  const place = (j: number, t: number) => {
    slotOf[j] = t;
    used[t] += p.jobs[j].crew;
    busy.add(`${p.jobs[j].machine}/${t}`);
  };
  const unplace = (j: number) => {
    const t = slotOf[j];
    used[t] -= p.jobs[j].crew;
    busy.delete(`${p.jobs[j].machine}/${t}`);
    slotOf[j] = -1;
  };
  const pending: number[] = [];
  for (let j = 0; j < M; j++) {
    const t = slotOf[j];
    if (t >= 0 && t < T && fits(j, t)) place(j, t);
    else {
      slotOf[j] = -1;
      pending.push(j);
    }
  }
  const options = (j: number) => {
    let c = 0;
    for (let t = 0; t < T; t++) if (fits(j, t)) c++;
    return c;
  };
  while (pending.length) {
    pending.sort((a, b) => options(a) - options(b) || p.jobs[b].crew - p.jobs[a].crew);
    const j = pending.shift() as number;
    let best = -1;
    for (let t = 0; t < T; t++)
      if (
        fits(j, t) &&
        (best < 0 || p.machines[p.jobs[j].machine].downtime[t] < p.machines[p.jobs[j].machine].downtime[best])
      )
        best = t;
    if (best < 0) {
      // Try to make room: move one placed job elsewhere to free a slot for j.
      let moved = false;
      for (let t = p.jobs[j].earliest; t <= p.jobs[j].latest && !moved; t++)
        for (let o = 0; o < M && !moved; o++) {
          if (slotOf[o] !== t) continue;
          unplace(o);
          if (fits(j, t)) {
            place(j, t);
            for (let u = 0; u < T; u++)
              if (u !== t && fits(o, u)) {
                place(o, u);
                moved = true;
                break;
              }
            if (!moved) unplace(j);
          }
          if (!moved) place(o, t);
        }
      if (!moved)
        return {
          schedule: slotOf,
          reason: `job '${p.jobs[j].name}' could not be placed: every slot in its window ${p.jobs[j].earliest + 1}–${p.jobs[j].latest + 1} is full or its machine is busy there`,
        };
      continue;
    }
    place(j, best);
  }
  // Improvement: move single jobs to cheaper feasible slots.
  let improved = true;
  while (improved) {
    improved = false;
    for (let j = 0; j < M; j++) {
      const d = p.machines[p.jobs[j].machine].downtime;
      const t0 = slotOf[j];
      unplace(j);
      let best = t0;
      for (let t = 0; t < T; t++) if (fits(j, t) && d[t] < d[best] - 1e-12) best = t;
      place(j, best);
      if (best !== t0) improved = true;
    }
  }
  return { schedule: slotOf };
}

export interface ScheduleSolution {
  schedule: Schedule;
  evaluation: ScheduleEvaluation;
  /** Why no feasible schedule was found (undefined when one was). */
  reason?: string;
}
