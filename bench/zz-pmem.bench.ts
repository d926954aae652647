import { createStreamPipeline } from "@nqp/core";
const gc = (globalThis as { gc?: () => void }).gc!;
const m = () => { gc(); const x = process.memoryUsage(); return { rss: Math.round(x.rss / 1e6), heap: Math.round(x.heapUsed / 1e6), ext: Math.round(x.external / 1e6), ab: Math.round(x.arrayBuffers / 1e6) }; };
const base = m();
const ps = Array.from({ length: 1000 }, () => createStreamPipeline({}));
const created = m();
const out: Record<string, unknown> = { base, created };
for (let i = 0; i < 9000; i++) { for (const p of ps) p.step(i * 1000, Math.sin(i / 10) + 0.1 * Math.sin(i * 1.7)); if (i % 3000 === 2999) out[`after${i + 1}`] = m(); }
console.log(JSON.stringify(out));
