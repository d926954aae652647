import type { StreamSummary } from "@nqp/contract/api";

/** A select of every stream in the fleet ("agent/stream" values). */
export function StreamPicker(p: {
  id: string;
  streams: StreamSummary[];
  value: { agent: string; stream: string } | null;
  onChange: (v: { agent: string; stream: string }) => void;
  label?: string;
}) {
  const value = p.value ? `${p.value.agent}\u0000${p.value.stream}` : "";
  return (
    <div className="field">
      <label htmlFor={p.id}>{p.label ?? "Stream"}</label>
      <select
        id={p.id}
        value={value}
        onChange={(e) => {
          const [agent, stream] = e.target.value.split("\u0000");
          if (agent && stream) p.onChange({ agent, stream });
        }}
      >
        {!value && <option value="">Choose a stream…</option>}
        {p.streams.map((s) => (
          <option key={`${s.agent}\u0000${s.stream}`} value={`${s.agent}\u0000${s.stream}`}>
            {s.stream} — {s.agent} ({s.records.toLocaleString()} rows)
          </option>
        ))}
      </select>
    </div>
  );
}

/** Fetches about `rows` consecutive samples of a stream: the last ones, or centred on `around`. */
export async function fetchWindow(
  call: (from: number, to: number) => Promise<{ ts: number[]; value: number[] }>,
  s: StreamSummary,
  rows: number,
  around?: number,
): Promise<{ ts: number[]; value: number[] }> {
  const first = s.firstTs ?? s.lastTs;
  const step = s.records > 1 ? (s.lastTs - first) / (s.records - 1) : 1000;
  const span = step * rows * 1.2;
  const to = around !== undefined ? Math.min(s.lastTs, around + span / 2) : s.lastTs;
  const from = Math.max(first, to - span);
  const d = await call(from, to);
  let start = Math.max(0, d.ts.length - rows);
  if (around !== undefined) {
    let i = d.ts.findIndex((t) => t >= around);
    if (i < 0) i = d.ts.length - 1;
    start = Math.max(0, Math.min(d.ts.length - rows, i - Math.floor(rows / 2)));
  }
  return { ts: d.ts.slice(start, start + rows), value: d.value.slice(start, start + rows) };
}
