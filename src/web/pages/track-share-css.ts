/** Styles of the private track page; light and dark follow the system scheme. */
export const TRACK_SHARE_CSS = `
:root{--bg:#f3f2f7;--surface:#fff;--text:#17161c;--muted:#5d5b69;--border:#d9d7e3;--hover:#f0eef8;--accent:#5a3ff0;--on-accent:#fff;--focus:#5a3ff0;--danger:#b42318;--wave-color:#8f8ca3;--wave-played:#5a3ff0;--wave-hover:#9f8ff7;--art-from:#5a3ff0;--art-to:#c15bd6;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0e0d12;--surface:#1a1921;--text:#f3f2f8;--muted:#aeabbd;--border:#34323f;--hover:#26242f;--accent:#a393ff;--on-accent:#120f24;--focus:#c2b8ff;--danger:#ff8a80;--wave-color:#6f6c84;--wave-played:#a393ff;--wave-hover:#6f5fd0;--art-from:#3b2aa8;--art-to:#7c2f8c}}
body{min-height:100vh;min-height:100dvh;display:flex;flex-direction:column;align-items:center;justify-content:center;gap:16px;padding:24px 16px;background:var(--bg);color:var(--text)}
.card{width:100%;max-width:880px;display:grid;gap:20px;padding:20px;background:var(--surface);border:1px solid var(--border);border-radius:20px;box-shadow:0 10px 40px rgba(20,16,40,.08)}
.art{position:relative;width:100%;max-width:300px;margin:0 auto;aspect-ratio:1;border-radius:14px;overflow:hidden;background:linear-gradient(135deg,var(--art-from),var(--art-to))}
.art img{display:block;width:100%;height:100%;object-fit:cover}
.art-placeholder{display:grid;place-items:center;width:100%;height:100%;color:rgba(255,255,255,.85)}
.art-placeholder svg{width:34%;height:34%}
.body{display:flex;flex-direction:column;justify-content:center;min-width:0}
.eyebrow{display:flex;align-items:center;gap:6px;margin-bottom:6px;font-size:.75rem;font-weight:700;letter-spacing:.08em;text-transform:uppercase;color:var(--muted)}
.eyebrow svg{width:14px;height:14px}
h1{font-size:clamp(1.5rem,5vw,2.125rem);line-height:1.15;font-weight:750;overflow-wrap:anywhere}
.artist{margin-top:4px;font-size:1.125rem;color:var(--muted);overflow-wrap:anywhere}
.player{margin-top:24px}
.controls{display:flex;align-items:center;gap:14px}
.actions{display:flex;flex-wrap:wrap;gap:12px;margin-top:20px}
.actions:empty{display:none}
.btn{display:inline-flex;align-items:center;justify-content:center;gap:8px;min-height:44px;padding:10px 18px;border:1px solid var(--border);border-radius:999px;background:transparent;color:var(--text);font-weight:600;text-decoration:none}
.btn:hover{background:var(--hover)}
.btn svg{width:18px;height:18px}
.btn.primary{border-color:transparent;background:var(--accent);color:var(--on-accent)}
.btn.primary:hover{filter:brightness(1.08);background:var(--accent)}
.status{min-height:1.5em;margin-top:12px;font-size:.875rem;color:var(--muted)}
.status:empty{min-height:0;margin:0}
.gate h1{font-size:clamp(1.375rem,4.5vw,1.75rem)}
.gate .hint{margin-top:8px;color:var(--muted)}
.gate label{display:block;margin-top:20px;margin-bottom:6px;font-weight:600}
.gate .row{display:flex;gap:10px;flex-wrap:wrap}
.gate input{flex:1 1 180px;min-width:0;min-height:44px;padding:10px 14px;border:1px solid var(--border);border-radius:12px;background:var(--bg);font-size:1.125rem;letter-spacing:.06em}
.gate input[aria-invalid=true]{border-color:var(--danger)}
.gate .error{margin-top:10px;font-weight:600;color:var(--danger)}
.foot{max-width:880px;font-size:.8125rem;color:var(--muted);text-align:center}
kbd{padding:1px 6px;border:1px solid var(--border);border-radius:5px;font:inherit;font-size:.75rem}
@media (min-width:720px){
 body{padding:40px 24px}
 .card{grid-template-columns:minmax(220px,280px) 1fr;gap:36px;padding:28px}
 .art{max-width:none}
 .foot .keys{display:inline}
}
@media (max-width:719px){.foot .keys{display:none}}
`;
