import { stepDelta } from "../encode";
import type { PatternEvent } from "./types";

/**
 * Pattern events from the send-on-delta spike train of a normalised stream (ON/OFF spikes each time the value moves
 * by one threshold, see encode/delta.ts):
 *
 * - motif: a burst of spikes (steps with spikes, gaps of at most `burstGap` silent steps) is turned into a word: the
 *   spike totals of its runs of equal sign (a rise of 6 ON spikes then a fall of 5 OFF spikes is [6, −5]). A word
 *   that matches one seen before (same run signs, total count difference within 20 % of its spikes, at least 1) is
 *   a recurring motif, reported when the burst ends with a stable id (numbered in order of first recurrence) and
 *   strength 1 − 1/occurrences. The tolerance absorbs the ±1-spike jitter that the delta quantiser's phase causes.
 *   This is the event-camera / neuromorphic notion of a repeated spike pattern, reduced to one channel.
 * - change-point: the net spike count is the signal's level in thresholds; a level that stays more than
 *   `shiftLevels` + 2·(its typical deviation) thresholds from its slow baseline for `persistence` steps is a change
 *   point (a CUSUM-like test on the spike train), after which the baseline jumps to the new level.
 */
export interface SpikePatternOptions {
  /** Delta threshold in normalised units (default 0.5). */
  threshold?: number;
  burstGap?: number;
  /** Spikes a burst needs to count as a motif candidate (default 3). */
  minBurstSpikes?: number;
  /** Distinct words remembered (default 64; the rarest is forgotten first). */
  maxWords?: number;
  shiftLevels?: number;
  persistence?: number;
}

export interface SpikePatternState {
  reference: number;
  started: boolean;
  /** Net spikes so far (the level in thresholds). */
  level: number;
  baseline: number;
  spread: number;
  away: number;
  /** Run totals of the burst in progress. */
  word: number[];
  silent: number;
  words: Array<{ runs: number[]; id: number; count: number }>;
  nextId: number;
}

export function createSpikePatternState(): SpikePatternState {
  return {
    reference: 0,
    started: false,
    level: 0,
    baseline: 0,
    spread: 0,
    away: 0,
    word: [],
    silent: 0,
    words: [],
    nextId: 0,
  };
}

const DEFAULTS = {
  threshold: 0.5,
  burstGap: 2,
  minBurstSpikes: 3,
  maxWords: 64,
  shiftLevels: 4,
  persistence: 5,
} satisfies Required<SpikePatternOptions>;

// Resolved options per options object, so a host stepping many samples with one options object merges it once.
const resolved = new WeakMap<SpikePatternOptions, Required<SpikePatternOptions>>();
function resolve(options: SpikePatternOptions): Required<SpikePatternOptions> {
  let o = resolved.get(options);
  if (!o) {
    o = { ...DEFAULTS, ...options };
    resolved.set(options, o);
  }
  return o;
}

/** Feeds one normalised value; updates the state in place and returns the events at this step. */
export function stepSpikePatterns(options: SpikePatternOptions, s: SpikePatternState, value: number): PatternEvent[] {
  const o = resolve(options);
  const events: PatternEvent[] = [];
  if (!s.started) {
    s.reference = value;
    s.started = true;
    return events;
  }
  const { state, spikes } = stepDelta({ threshold: o.threshold }, { reference: s.reference }, value);
  s.reference = state.reference;
  s.level += spikes;

  // Motifs: bursts of spikes as words of run totals.
  if (spikes !== 0) {
    s.silent = 0;
    const last = s.word.length ? s.word[s.word.length - 1] : 0;
    if (s.word.length && Math.sign(last) === Math.sign(spikes)) s.word[s.word.length - 1] += spikes;
    else if (s.word.length < 16) s.word.push(spikes);
  } else if (s.word.length) {
    s.silent++;
    if (s.silent > o.burstGap) {
      const total = s.word.reduce((a, b) => a + Math.abs(b), 0);
      if (total >= o.minBurstSpikes) {
        const entry = matchWord(s, s.word, total, o.maxWords);
        entry.count++;
        if (entry.count >= 2) {
          if (entry.id < 0) entry.id = s.nextId++;
          events.push({ kind: "motif", motif: entry.id, strength: 1 - 1 / entry.count });
        }
      }
      s.word = [];
      s.silent = 0;
    }
  }

  // Change points: the spike-count level far from its slow baseline for `persistence` steps.
  const deviation = s.level - s.baseline;
  const limit = o.shiftLevels + 2 * s.spread;
  if (Math.abs(deviation) > limit) {
    s.away++;
    if (s.away >= o.persistence) {
      events.push({
        kind: "change-point",
        strength: Math.min(1, Math.abs(deviation) / (2 * limit)),
      });
      s.baseline = s.level;
      s.away = 0;
    }
  } else {
    s.away = 0;
    s.baseline += 0.01 * deviation;
    s.spread += 0.01 * (Math.abs(deviation) - s.spread);
  }
  return events;
}

/** The remembered word this burst matches, or a new entry for it (forgetting the rarest when memory is full). */
function matchWord(s: SpikePatternState, runs: number[], total: number, maxWords: number) {
  const tolerance = Math.max(1, 0.2 * total);
  let best: SpikePatternState["words"][number] | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const w of s.words) {
    if (w.runs.length !== runs.length) continue;
    let d = 0;
    for (let i = 0; i < runs.length && d <= tolerance; i++)
      d += Math.sign(w.runs[i]) === Math.sign(runs[i]) ? Math.abs(w.runs[i] - runs[i]) : Number.POSITIVE_INFINITY;
    if (d <= tolerance && d < bestDistance) {
      best = w;
      bestDistance = d;
    }
  }
  if (best) return best;
  if (s.words.length >= maxWords) {
    let victim = 0;
    for (let i = 1; i < s.words.length; i++) if (s.words[i].count < s.words[victim].count) victim = i;
    s.words.splice(victim, 1);
  }
  const entry = { runs: runs.slice(), id: -1, count: 0 };
  s.words.push(entry);
  return entry;
}

export function cloneSpikePatternState(s: SpikePatternState): SpikePatternState {
  return { ...s, word: s.word.slice(), words: s.words.map((w) => ({ ...w, runs: w.runs.slice() })) };
}
