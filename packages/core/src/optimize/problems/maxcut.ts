import { NqpError } from "../../errors";
import { createIsing, type IsingModel } from "../model/ising";
import { csrFromTriplets } from "../model/matrix";

/** An undirected weighted graph, nodes 0…n−1 (the file's 1-based ids minus one), edges in file order. */
export interface WeightedGraph {
  readonly n: number;
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly weight: Float64Array;
}

/**
 * Parses the G-set / rudy text format: first line `n m`, then m lines `i j w` (1-based node ids, w optional,
 * default 1). Blank lines and lines starting with `#` or `%` are skipped. Errors name the line.
 */
export function parseRudyGraph(text: string): WeightedGraph {
  return parseRudyFast(text) ?? parseRudyChecked(text);
}

/**
 * A single pass over the characters for well-formed files (no split, no per-line arrays): a G-set file of 20 000
 * edges parses in a few milliseconds instead of tens. Returns undefined at the first irregularity of any kind, and
 * parseRudyChecked then reads the file again to name the line and the problem.
 */
function parseRudyFast(text: string): WeightedGraph | undefined {
  const len = text.length;
  let pos = 0;
  const tokens = new Float64Array(4);
  // Reads the next non-blank, non-comment line's numbers into `tokens`; returns their count, −1 at the end, or
  // undefined when a token is not a number.
  const line = (): number | undefined => {
    for (;;) {
      if (pos >= len) return -1;
      let end = text.indexOf("\n", pos);
      if (end < 0) end = len;
      let count = 0;
      let p = pos;
      pos = end + 1;
      while (p < end) {
        let c = text.charCodeAt(p);
        if (c === 32 || c === 9 || c === 13) {
          p++;
          continue;
        }
        if (count === 0 && (c === 35 || c === 37)) break; // # or % comment
        if (count === 4) return undefined;
        const start = p;
        let value = 0;
        let plain = true;
        let negative = false;
        if (c === 45 || c === 43) {
          negative = c === 45;
          p++;
        }
        const digits = p;
        while (p < end) {
          c = text.charCodeAt(p);
          if (c >= 48 && c <= 57) value = value * 10 + (c - 48);
          else if (c === 32 || c === 9 || c === 13) break;
          else plain = false;
          p++;
        }
        if (plain && p > digits && p - digits < 16) tokens[count++] = negative ? -value : value;
        else {
          const v = Number(text.slice(start, p));
          if (!Number.isFinite(v)) return undefined;
          tokens[count++] = v;
        }
      }
      if (count > 0) return count;
    }
  };
  if (line() !== 2) return undefined;
  const n = tokens[0];
  const m = tokens[1];
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 1 || m < 0 || m > len) return undefined;
  const from = new Int32Array(m);
  const to = new Int32Array(m);
  const weight = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const count = line();
    if (count !== 2 && count !== 3) return undefined;
    const i = tokens[0];
    const j = tokens[1];
    if (!Number.isInteger(i) || !Number.isInteger(j) || i < 1 || j < 1 || i > n || j > n || i === j) return undefined;
    from[k] = i - 1;
    to[k] = j - 1;
    weight[k] = count === 3 ? tokens[2] : 1;
  }
  if (line() !== -1) return undefined;
  return { n, from, to, weight };
}

function parseRudyChecked(text: string): WeightedGraph {
  const lines = text.split(/\r?\n/);
  let ln = 0;
  const next = (): { tokens: string[]; line: number } | undefined => {
    while (ln < lines.length) {
      const raw = lines[ln++].trim();
      if (raw === "" || raw.startsWith("#") || raw.startsWith("%")) continue;
      return { tokens: raw.split(/\s+/), line: ln };
    }
    return undefined;
  };
  const head = next();
  if (!head) throw new NqpError("bad-graph", "the graph file is empty; its first line must be `n m` (nodes, edges)");
  if (head.tokens.length !== 2)
    throw new NqpError(
      "bad-graph",
      `line ${head.line}: expected \`n m\` (node and edge counts), got '${head.tokens.join(" ")}'`,
    );
  const [n, m] = head.tokens.map(Number);
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 0 || m < 0)
    throw new NqpError(
      "bad-graph",
      `line ${head.line}: node and edge counts must be whole numbers, got '${head.tokens.join(" ")}'`,
    );
  if (n === 0) throw new NqpError("bad-graph", `line ${head.line}: the graph has zero nodes; there is nothing to cut`);
  const from = new Int32Array(m);
  const to = new Int32Array(m);
  const weight = new Float64Array(m);
  let k = 0;
  for (let row = next(); row; row = next()) {
    const t = row.tokens;
    if (k >= m)
      throw new NqpError("bad-graph", `line ${row.line}: more edge lines than the ${m} announced on the first line`);
    if (t.length < 2 || t.length > 3)
      throw new NqpError(
        "bad-graph",
        `line ${row.line}: expected \`i j w\` (two node ids and a weight), got '${t.join(" ")}'`,
      );
    const i = Number(t[0]);
    const j = Number(t[1]);
    const w = t.length === 3 ? Number(t[2]) : 1;
    for (const [v, name] of [
      [i, "first node id"],
      [j, "second node id"],
    ] as const) {
      if (!Number.isInteger(v))
        throw new NqpError(
          "bad-graph",
          `line ${row.line}: ${name} '${name === "first node id" ? t[0] : t[1]}' is not a whole number`,
        );
      if (v < 1 || v > n)
        throw new NqpError("bad-graph", `line ${row.line}: node id ${v} is out of range; ids run from 1 to ${n}`);
    }
    if (!Number.isFinite(w)) throw new NqpError("bad-graph", `line ${row.line}: weight '${t[2]}' is not a number`);
    if (i === j)
      throw new NqpError(
        "bad-graph",
        `line ${row.line}: self-loop on node ${i}; a loop never crosses a cut, remove it`,
      );
    from[k] = i - 1;
    to[k] = j - 1;
    weight[k] = w;
    k++;
  }
  if (k !== m)
    throw new NqpError("bad-graph", `line ${head.line} announces ${m} edges but the file has ${k} edge lines`);
  return { n, from, to, weight };
}

/**
 * Max-cut as an Ising model whose energy is minus the cut: with J_ij = −w_ij/2, h = 0 and offset −W/2
 * (W = total weight), E(s) = −W/2 + ½ Σ_{edges} w_ij s_i s_j = −Σ_{edges} w_ij (1 − s_i s_j)/2 = −cut(s).
 */
export function maxCutToIsing(g: WeightedGraph): IsingModel {
  let total = 0;
  const half = new Float64Array(g.weight.length);
  for (let k = 0; k < g.weight.length; k++) {
    total += g.weight[k];
    half[k] = -0.5 * g.weight[k];
  }
  const J = csrFromTriplets(g.n, g.from, g.to, half, { symmetric: true });
  return createIsing({ J, offset: -0.5 * total });
}

/** The cut value of an assignment (±1 per node): the total weight of edges whose ends differ. */
export function cutValue(g: WeightedGraph, spins: ArrayLike<number>): number {
  let cut = 0;
  for (let k = 0; k < g.weight.length; k++) if (spins[g.from[k]] !== spins[g.to[k]]) cut += g.weight[k];
  return cut;
}
