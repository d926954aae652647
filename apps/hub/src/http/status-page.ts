/**
 * The hub's built-in status page, served at / when the desktop renderer (the full dashboard) has not been built.
 * Plain HTML and a little script over the REST API: fleet table, streams of the selected agent, latest anomalies.
 */
export const STATUS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>NQP hub</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1b1f24; background: #f6f7f9; }
  h1 { font-size: 1.3rem; margin: 0 0 .2rem; } h2 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
  .muted { color: #5b6470; } table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #e3e6ea; font-variant-numeric: tabular-nums; }
  th { background: #eef0f3; font-weight: 600; } tr.sel { background: #e8f1ff; } tr[data-agent] { cursor: pointer; }
  .ok { color: #1a7f37; } .bad { color: #c62828; } .score { font-weight: 600; }
</style>
</head>
<body>
<h1>NQP hub</h1>
<div class="muted" id="summary">loading…</div>
<h2>Fleet</h2>
<table><thead><tr><th>agent</th><th>last seen</th><th>acked seq</th><th>backlog</th><th>records</th><th>streams</th>
<th>backend</th><th>version</th><th>rejected</th></tr></thead><tbody id="agents"></tbody></table>
<h2>Streams <span class="muted" id="streams-of"></span></h2>
<table><thead><tr><th>stream</th><th>records</th><th>last sample</th><th>last value</th><th>forecast</th>
<th>interval</th><th>anomaly score</th></tr></thead><tbody id="streams"></tbody></table>
<h2>Latest anomalies</h2>
<table><thead><tr><th>agent</th><th>stream</th><th>time</th><th>type</th><th>value</th><th>score</th></tr></thead>
<tbody id="anomalies"></tbody></table>
<script>
let selected = null;
const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const ago = (t) => t ? Math.max(0, Math.round((Date.now() - t) / 1000)) + " s ago" : "never";
const num = (x, d = 3) => x === null || x === undefined ? "–" : Number(x).toPrecision(d);
const time = (t) => new Date(t).toISOString().replace("T", " ").slice(0, 19);
async function get(path) { const r = await fetch(path); if (!r.ok) throw new Error(path + ": " + r.status); return r.json(); }
async function refresh() {
  try {
    const { agents } = await get("/api/v1/agents");
    if (!selected && agents.length) selected = agents[0].id;
    document.getElementById("summary").textContent = agents.length + " agent(s), " +
      agents.reduce((a, x) => a + x.records, 0) + " records received";
    document.getElementById("agents").innerHTML = agents.map((a) => {
      const rej = Object.entries(a.rejected).map(([k, v]) => k + ": " + v).join(", ");
      const fresh = a.lastSeen && Date.now() - a.lastSeen < 30000;
      return '<tr data-agent="' + esc(a.id) + '" class="' + (a.id === selected ? "sel" : "") + '"><td>' + esc(a.id) +
        '</td><td class="' + (fresh ? "ok" : "bad") + '">' + ago(a.lastSeen) + "</td><td>" + a.ackedSeq + "</td><td>" +
        (a.backlog ?? "–") + "</td><td>" + a.records + "</td><td>" + (a.streams ?? "–") + "</td><td>" + esc(a.backend ?? "–") +
        "</td><td>" + esc(a.version ?? "–") + "</td><td>" + esc(rej || "none") + "</td></tr>";
    }).join("");
    for (const tr of document.querySelectorAll("tr[data-agent]")) tr.onclick = () => { selected = tr.dataset.agent; refresh(); };
    if (selected) {
      document.getElementById("streams-of").textContent = "of " + selected;
      const { streams } = await get("/api/v1/agents/" + encodeURIComponent(selected) + "/streams?latest=1");
      document.getElementById("streams").innerHTML = streams.map((s) => {
        const p = s.latest ?? {};
        return "<tr><td>" + esc(s.stream) + "</td><td>" + s.records + "</td><td>" + time(s.lastTs) + "</td><td>" + num(p.value) +
          "</td><td>" + num(p.forecast) + "</td><td>" + (p.lower === null || p.lower === undefined ? "–" : num(p.lower) + " … " + num(p.upper)) +
          '</td><td class="score">' + num(p.anomalyScore, 2) + "</td></tr>";
      }).join("");
    }
    const { anomalies } = await get("/api/v1/anomalies?latest=20");
    document.getElementById("anomalies").innerHTML = anomalies.map((a) => "<tr><td>" + esc(a.agent) + "</td><td>" + esc(a.stream) +
      "</td><td>" + time(a.ts) + "</td><td>" + esc(a.type) + "</td><td>" + num(a.value) + '</td><td class="score">' + num(a.score, 2) + "</td></tr>").join("");
  } catch (err) { document.getElementById("summary").textContent = "hub unreachable: " + err.message; }
}
refresh();
setInterval(refresh, 2000);
</script>
</body>
</html>
`;
