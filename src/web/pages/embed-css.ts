/**
 * Layout of the embeddable players. The page fills the iframe: track embeds are one
 * compact row; collections add a playlist that scrolls inside the remaining height.
 */
export const EMBED_CSS = `
html,body{height:100%}
body{background:var(--bg);color:var(--text);overflow:hidden}
.embed{display:flex;flex-direction:column;height:100%;padding:12px;gap:10px}
.top{display:grid;grid-template-columns:auto 1fr;grid-template-areas:"cover meta" "cover controls";column-gap:14px;row-gap:6px;align-items:center}
.cover{grid-area:cover;width:104px;height:104px;border-radius:10px;overflow:hidden;background:var(--accent);color:var(--on-accent)}
.cover img{display:block;width:100%;height:100%;object-fit:cover}
.cover .ph{display:grid;place-items:center;width:100%;height:100%}
.cover .ph svg{width:40%;height:40%}
.meta{grid-area:meta;min-width:0}
.context{font-size:.6875rem;font-weight:700;letter-spacing:.07em;text-transform:uppercase;color:var(--muted);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
h1{font-size:1.0625rem;line-height:1.25;font-weight:700;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.sub{font-size:.875rem;color:var(--muted);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.controls{grid-area:controls;display:flex;align-items:center;gap:8px;min-width:0;--play-size:44px;--wave-height:40px}
.skip{flex:none;display:grid;place-items:center;width:32px;height:32px;padding:0;border:0;border-radius:50%;background:transparent;color:var(--text)}
.skip:hover:not(:disabled){background:var(--hover)}
.skip svg{width:20px;height:20px}
.wave-wrap{margin-left:4px}
.status{font-size:.8125rem;color:var(--muted)}
.status:empty{display:none}
.playlist{flex:1;min-height:0;margin:0;padding:0;list-style:none;overflow-y:auto;border-top:1px solid var(--border);counter-reset:track}
.playlist button{display:grid;grid-template-columns:28px 1fr auto;align-items:center;gap:8px;width:100%;min-height:44px;padding:6px 8px;border:0;border-radius:8px;background:transparent;text-align:left}
.playlist button:hover{background:var(--hover)}
.playlist button[aria-current=true]{background:var(--hover);box-shadow:inset 3px 0 0 var(--accent)}
.playlist button[aria-current=true] .n{color:var(--text);font-weight:700}
.playlist .n{font-size:.8125rem;color:var(--muted);text-align:right;font-variant-numeric:tabular-nums}
.playlist .t{min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font-weight:600;font-size:.9375rem}
.playlist .t small{display:block;font-weight:400;font-size:.8125rem;color:var(--muted);overflow:hidden;text-overflow:ellipsis}
.playlist .d{font-size:.8125rem;color:var(--muted);font-variant-numeric:tabular-nums}
@media (max-width:420px){
 .top{grid-template-areas:"cover meta" "controls controls"}
 .cover{width:56px;height:56px;border-radius:8px}
}
`;
