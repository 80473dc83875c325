/**
 * Screen and print styles of the split-sheet page. Print drops colours, shadows and the
 * footer so the sheet fits one A4 page as a plain signed-off document.
 */
export const SPLIT_SHEET_CSS = `
:root{--bg:#f3f2f7;--surface:#fff;--text:#17161c;--muted:#5d5b69;--border:#dedce7;--stripe:#f7f6fb;--accent:#5a3ff0;--focus:#5a3ff0;--ok-bg:#e5f6ec;--ok-text:#0d6b35;--bad-bg:#fde8e7;--bad-text:#a3160b;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0e0d12;--surface:#1a1921;--text:#f3f2f8;--muted:#aeabbd;--border:#34323f;--stripe:#201f29;--accent:#a393ff;--focus:#c2b8ff;--ok-bg:#12351f;--ok-text:#7ee2a4;--bad-bg:#3d1512;--bad-text:#ffaaa3}}
body{background:var(--bg);color:var(--text);padding:24px 12px}
.sheet{max-width:880px;margin:0 auto;padding:24px 20px;background:var(--surface);border:1px solid var(--border);border-radius:18px}
header{display:flex;flex-wrap:wrap;align-items:flex-start;justify-content:space-between;gap:12px 24px;padding-bottom:16px;border-bottom:1px solid var(--border)}
.eyebrow{font-size:.75rem;font-weight:700;letter-spacing:.08em;text-transform:uppercase;color:var(--muted)}
h1{margin-top:4px;font-size:clamp(1.375rem,4.5vw,1.875rem);line-height:1.2;overflow-wrap:anywhere}
.artist{color:var(--muted);font-size:1.0625rem}
.badge{display:inline-flex;align-items:center;gap:6px;padding:6px 12px;border-radius:999px;font-weight:700;font-size:.875rem;white-space:nowrap}
.badge.ok{background:var(--ok-bg);color:var(--ok-text)}
.badge.bad{background:var(--bad-bg);color:var(--bad-text)}
.badge svg{width:16px;height:16px}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px 24px;margin:16px 0 0}
.facts div{min-width:0}
.facts dt{font-size:.75rem;font-weight:700;letter-spacing:.06em;text-transform:uppercase;color:var(--muted)}
.facts dd{margin:2px 0 0;overflow-wrap:anywhere;white-space:pre-line}
.issues{margin-top:16px;padding:12px 16px;border-radius:12px;background:var(--bad-bg);color:var(--bad-text)}
.issues h2{font-size:.9375rem}
.issues ul{margin:6px 0 0;padding-left:20px}
section{margin-top:24px}
h2{font-size:1.0625rem}
.table-wrap{margin-top:8px;overflow-x:auto;border:1px solid var(--border);border-radius:12px}
table{width:100%;border-collapse:collapse;font-size:.9375rem}
th,td{padding:9px 12px;text-align:left;vertical-align:top;border-bottom:1px solid var(--border)}
thead th{font-size:.75rem;font-weight:700;letter-spacing:.05em;text-transform:uppercase;color:var(--muted);background:var(--stripe)}
tbody tr:last-child td,tbody tr:last-child th{border-bottom:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tbody th{font-weight:500}
tr.sub th{padding-left:32px;font-weight:400;color:var(--muted)}
tr.sub td{color:var(--muted)}
tfoot td,tfoot th{font-weight:700;border-top:2px solid var(--border);border-bottom:0}
tfoot .off{color:var(--bad-text)}
.empty{padding:12px;color:var(--muted)}
.foot{max-width:880px;margin:16px auto 0;font-size:.8125rem;color:var(--muted);text-align:center}
.stacked-ids{display:none}
@media (max-width:559px){
 body{padding:12px 8px}
 .sheet{padding:18px 14px}
 th,td{padding:8px 10px}
 .ids{display:none}
 .stacked-ids{display:block;margin-top:2px;font-size:.8125rem;font-weight:400;color:var(--muted)}
}
@media (min-width:720px){body{padding:40px 24px}.sheet{padding:32px}}
@page{size:A4;margin:12mm}
@media print{
 :root{--bg:#fff;--surface:#fff;--text:#000;--muted:#444;--border:#bbb;--stripe:#f2f2f2;--ok-bg:#fff;--ok-text:#000;--bad-bg:#fff;--bad-text:#000;color-scheme:light}
 html,body{background:#fff;padding:0;font-size:10.5pt;line-height:1.35}
 .sheet{max-width:none;padding:0;border:0;border-radius:0}
 .ids{display:table-cell}
 .stacked-ids{display:none}
 .foot{display:none}
 .badge{border:1.5px solid #000}
 .issues{border:1px solid #000}
 section{margin-top:12px;break-inside:avoid}
 .table-wrap{overflow:visible;border-radius:0}
 th,td{padding:4px 8px}
 h1{font-size:16pt}
}
`;
