"""The look of the web app: the Gradio theme and the page style sheet."""

from __future__ import annotations

import gradio as gr

THEME = gr.themes.Base(
    primary_hue=gr.themes.colors.red, secondary_hue=gr.themes.colors.amber, neutral_hue=gr.themes.colors.slate,
    font=["Be Vietnam Pro", "Inter", "Segoe UI", "Roboto", "Noto Sans", "Helvetica Neue", "Arial", "sans-serif"],
    font_mono=["JetBrains Mono", "Consolas", "DejaVu Sans Mono", "monospace"], radius_size=gr.themes.sizes.radius_md,
).set(body_background_fill="#f4f5f7", block_border_width="1px", button_primary_background_fill="#a61b1b",
      button_primary_background_fill_hover="#8c1515", button_primary_text_color="#ffffff")

CSS = """
:root { --tr-red: #a61b1b; --tr-red-dark: #7a1212; --tr-gold: #f2c230; --tr-ink: #1f2937; --tr-muted: #64748b;
  --tr-line: #e2e8f0; --tr-card: #ffffff; --tr-amber: #b45309; --tr-amber-bg: #fff8e6; --tr-mark: #fde68a; }
footer { display: none !important; }
#tr-head { padding: 0 !important; }
.tr-header { display: flex; justify-content: space-between; align-items: center; gap: 16px; flex-wrap: wrap;
  background: linear-gradient(100deg, var(--tr-red-dark), var(--tr-red) 60%, #c0392b); color: #fff;
  padding: 16px 22px; border-radius: 12px; box-shadow: 0 2px 10px rgba(122,18,18,.18); }
.tr-brand { display: flex; align-items: center; gap: 14px; }
.tr-emblem { width: 44px; height: 44px; border-radius: 50%; background: var(--tr-gold); color: var(--tr-red);
  display: grid; place-items: center; font-size: 26px; line-height: 1; flex: none; }
.tr-header h1 { margin: 0 !important; font-size: 1.45rem !important; color: #fff !important; font-weight: 700; }
.tr-header p { margin: 2px 0 0 !important; color: #fde8e8 !important; font-size: .92rem; }
.tr-header-side { display: flex; flex-direction: column; align-items: flex-end; gap: 4px; font-size: .88rem; }
.tr-stat { background: rgba(255,255,255,.16); padding: 3px 10px; border-radius: 999px; }
.tr-mode-global { color: #fde8e8; } .tr-mode-global b { color: #fff; }
#tr-tabs button[role=tab] { font-weight: 600; font-size: 1rem; }
.tr-side-title { font-weight: 700; font-size: 1.05rem; color: var(--tr-ink); }
.tr-side-help { color: var(--tr-muted); font-size: .85rem; margin: 4px 0 !important; }
/* chat */
#tr-chat .message.bot, #tr-chat .bot .message-content { max-width: 100%; }
#tr-chat .bot { background: transparent; }
.tr-answer { display: flex; flex-direction: column; gap: 8px; color: var(--tr-ink); }
.tr-answer-top { display: flex; align-items: center; gap: 8px; }
.tr-mode { font-size: .74rem; font-weight: 600; letter-spacing: .02em; text-transform: uppercase; padding: 2px 8px;
  border-radius: 999px; background: #eef2ff; color: #3730a3; border: 1px solid #c7d2fe; }
.tr-mode-llm { background: #ecfdf5; color: #065f46; border-color: #a7f3d0; }
.tr-live { font-size: .8rem; color: var(--tr-muted); font-style: italic; }
.tr-text-answer p { margin: 0 0 6px !important; } .tr-text-answer ul { margin: 0 0 4px 1.1em !important; padding: 0; }
.tr-text-answer li { margin: 3px 0; }
a.tr-ref { color: var(--tr-red); font-weight: 700; text-decoration: none; cursor: pointer; padding: 0 1px; }
a.tr-ref:hover { text-decoration: underline; }
.tr-sources-head, .tr-nearest-head { font-size: .82rem; font-weight: 700; color: var(--tr-muted);
  text-transform: uppercase;
  letter-spacing: .03em; margin-top: 4px; }
.tr-sources { display: flex; flex-direction: column; gap: 8px; }
.tr-card { background: var(--tr-card); border: 1px solid var(--tr-line); border-left: 4px solid var(--tr-red);
  border-radius: 8px; padding: 9px 12px; cursor: pointer; transition: box-shadow .15s, border-color .15s; }
.tr-card:hover, .tr-card:focus { box-shadow: 0 3px 12px rgba(15,23,42,.10); border-color: #cbd5e1; outline: none; }
.tr-card-head { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.tr-n { background: var(--tr-red); color: #fff; font-weight: 700; font-size: .78rem; min-width: 22px; height: 22px;
  border-radius: 6px; display: inline-grid; place-items: center; padding: 0 5px; }
.tr-doc { font-weight: 700; color: var(--tr-ink); }
.tr-date { color: var(--tr-muted); font-size: .86rem; }
.tr-issuer { color: var(--tr-muted); font-size: .82rem; margin-top: 1px; }
.tr-loc { font-size: .84rem; color: #334155; margin-top: 3px; }
blockquote.tr-quote { margin: 6px 0 2px !important; padding: 4px 0 4px 10px !important;
  border-left: 3px solid var(--tr-line);
  color: #1e293b; font-size: .93rem; line-height: 1.5; display: -webkit-box; -webkit-line-clamp: 6;
  -webkit-box-orient: vertical; overflow: hidden; font-style: normal; }
.tr-open { font-size: .8rem; color: var(--tr-red); font-weight: 600; text-align: right; }
.tr-note { font-size: .84rem; color: var(--tr-muted); font-style: italic; }
/* refusal: amber, icon, explicit label; nearest passages dashed and muted */
.tr-refusal { display: flex; gap: 12px; align-items: flex-start; background: var(--tr-amber-bg);
  border: 1px solid #f5c97a;
  border-left: 5px solid #d97706; border-radius: 10px; padding: 12px 14px; color: #78350f; }
.tr-refusal-icon { font-size: 26px; line-height: 1; color: #d97706; }
.tr-refusal-title { font-weight: 700; font-size: 1.02rem; color: #7c2d12; }
.tr-refusal-help { font-size: .88rem; margin-top: 4px; color: #92400e; }
.tr-nearest { border: 1px dashed #cbd5e1; border-left: 4px dashed #94a3b8; background: #f8fafc; opacity: .92; }
.tr-nearest .tr-n { background: #94a3b8; } .tr-nearest .tr-open { color: var(--tr-muted); }
.tr-error { background: #fef2f2; border: 1px solid #fecaca; color: #991b1b; border-radius: 8px; padding: 10px 12px; }
.tr-pending { color: var(--tr-muted); display: flex; align-items: center; gap: 10px; }
.tr-dots i { display: inline-block; width: 7px; height: 7px; margin-right: 3px; border-radius: 50%;
  background: var(--tr-red);
  animation: trpulse 1s infinite ease-in-out; } .tr-dots i:nth-child(2) { animation-delay: .15s; }
.tr-dots i:nth-child(3) { animation-delay: .3s; }
@keyframes trpulse { 0%, 100% { opacity: .25; } 50% { opacity: 1; } }
/* viewer */
.tr-viewer { background: var(--tr-card); border: 1px solid var(--tr-line); border-radius: 12px; overflow: hidden;
  display: flex; flex-direction: column; }
.tr-empty { align-items: center; justify-content: center; padding: 48px 24px; color: var(--tr-muted);
  text-align: center;
  min-height: 300px;
  background: repeating-linear-gradient(135deg, #fafbfc, #fafbfc 12px, #f4f6f8 12px, #f4f6f8 24px); }
.tr-empty-icon { color: #94a3b8; margin-bottom: 6px; }
.tr-vhead { padding: 12px 16px; border-bottom: 1px solid var(--tr-line); background: #fbfbfc; }
.tr-vtitle { font-weight: 700; font-size: 1.05rem; color: var(--tr-ink); }
.tr-vsub { color: #334155; font-size: .9rem; margin-top: 2px; }
.tr-vmeta { color: var(--tr-muted); font-size: .84rem; margin-top: 2px; }
.tr-vloc { display: inline-block; margin-top: 6px; font-size: .8rem; font-weight: 600; background: var(--tr-mark);
  color: #713f12; padding: 2px 8px; border-radius: 999px; }
.tr-vbody { display: flex; flex-direction: column; min-height: 0; }
.tr-outline { border-bottom: 1px solid var(--tr-line); padding: 6px 16px; font-size: .86rem; }
.tr-outline summary { cursor: pointer; font-weight: 600; color: #334155; }
.tr-outline nav { display: flex; flex-direction: column; max-height: 200px; overflow: auto; padding: 4px 0; }
.tr-ol { display: block; text-align: left; cursor: pointer; color: #1e3a8a; padding: 2px 0; text-decoration: none;
  white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; } .tr-ol:hover { color: var(--tr-red); text-decoration: underline; }
.tr-ol2 { padding-left: 14px; } .tr-ol3 { padding-left: 28px; font-size: .82rem; }
.tr-text { position: relative; white-space: pre-wrap; font-size: .95rem; line-height: 1.65; color: #1e293b;
  padding: 14px 18px; max-height: 560px; overflow: auto;
  font-family: "Noto Serif", "Times New Roman", "DejaVu Serif", serif; }
.tr-wide .tr-vbody { flex-direction: row; } .tr-wide .tr-outline { width: 34%; border-bottom: none;
  border-right: 1px solid var(--tr-line); } .tr-wide .tr-outline nav { max-height: 640px; }
.tr-wide .tr-text { flex: 1; max-height: 700px; }
.tr-orig { border-bottom: 1px solid var(--tr-line); padding: 6px 16px 8px; font-size: .86rem; }
.tr-orig summary { cursor: pointer; font-weight: 600; color: #334155; }
.tr-orig-wait { color: var(--tr-muted); font-style: italic; }
.tr-orig-box { max-height: 340px; overflow: auto; margin-top: 6px; border: 1px solid var(--tr-line);
  border-radius: 6px; background: #fff; }
.tr-wide .tr-orig-box { max-height: 460px; }
.tr-orig-img { display: block; width: 100%; height: auto; cursor: zoom-in; }
.tr-orig-img.tr-zoom { width: 200%; max-width: none; cursor: zoom-out; }
.tr-h { color: #0f172a; } .tr-h0 { font-weight: 400; color: #475569; }
mark.tr-hl { background: var(--tr-mark); color: inherit; padding: 1px 0; border-radius: 2px;
  box-shadow: 0 0 0 2px var(--tr-mark); }
.tr-page { display: block; margin: 10px 0 6px; border-top: 1px dashed #cbd5e1; height: 0; }
.tr-page::after { content: attr(data-page); position: relative; top: -0.75em; background: #fff;
  color: var(--tr-muted);
  font: 600 .74rem/1 system-ui, sans-serif; padding: 0 6px; margin-left: 8px; }
/* tables */
.tr-table-wrap { overflow: auto; border: 1px solid var(--tr-line); border-radius: 10px; background: var(--tr-card); }
table.tr-table { width: 100%; border-collapse: collapse; font-size: .9rem; margin: 0 !important; }
.tr-table th { background: #f8fafc; text-align: left; font-weight: 700; color: #334155; padding: 8px 10px;
  border-bottom: 1px solid var(--tr-line); position: sticky; top: 0; }
.tr-table td { padding: 8px 10px; border-bottom: 1px solid #eef2f7; vertical-align: top; color: var(--tr-ink); }
.tr-table tbody tr { cursor: pointer; } .tr-table tbody tr:hover { background: #fff7f7; }
.tr-table .num { text-align: right; white-space: nowrap; } .tr-table .nowrap { white-space: nowrap; }
.tr-row-num { font-weight: 700; } .tr-row-title { color: var(--tr-muted); font-size: .83rem; margin-top: 2px; }
.tr-muted { color: #94a3b8; }
.tr-tag { font-size: .7rem; background: #e0f2fe; color: #075985; border-radius: 4px; padding: 1px 5px;
  margin-left: 4px; }
.tr-role { display: inline-block; font-size: .78rem; font-weight: 600; padding: 1px 8px; border-radius: 999px;
  background: #fef3c7; color: #92400e; white-space: nowrap; }
.tr-empty-table { padding: 18px; color: var(--tr-muted); border: 1px dashed var(--tr-line); border-radius: 10px; }
/* status lines */
.tr-status { display: flex; gap: 8px; align-items: flex-start; border-radius: 8px; padding: 8px 10px;
  font-size: .88rem; }
.tr-status-ok { background: #ecfdf5; color: #065f46; border: 1px solid #a7f3d0; }
.tr-status-bad { background: #fef2f2; color: #991b1b; border: 1px solid #fecaca; }
.tr-status-info { background: #f1f5f9; color: #334155; border: 1px solid var(--tr-line); }
.tr-table th, .tr-table td { border: none !important; border-bottom: 1px solid #eef2f7 !important; }
.tr-docs td:first-child { min-width: 260px; } .tr-docs { font-size: .88rem; }
.tr-row-sources { font-size: .8rem; color: var(--tr-muted); margin-top: 4px; }
.tr-row-sources ul { margin: 2px 0 0 16px; padding: 0; }
.tr-panel { background: var(--tr-card); border: 1px solid var(--tr-line); border-radius: 12px;
  padding: 14px !important;
  gap: 10px !important; }
table.tr-table, .tr-table tr, .tr-table thead, .tr-table tbody { border: none !important; }
.tr-duties th:nth-child(1) { width: 44px; } .tr-duties th:nth-child(2) { width: 104px; }
.tr-duties th:nth-child(4) { width: 110px; } .tr-duties th:nth-child(5) { width: 190px; }
.tr-duties th:nth-child(6) { width: 200px; } #tr-duties { margin-bottom: 8px; }
.tr-duty-bar { align-items: center !important; } .tr-duty-bar button { max-height: 40px;
  } .tr-duties td:nth-child(5), .tr-duties td:nth-child(6) { font-size: .82rem;
  color: #475569; }
.tr-welcome { max-width: 560px; margin: 0 auto; padding: 8px 4px; color: #334155; text-align: left; }
.tr-welcome-title { font-size: 1.2rem; font-weight: 700; color: var(--tr-red); margin-bottom: 6px; }
.tr-welcome p { margin: 0 0 8px !important; line-height: 1.55; }
.tr-nearest-box summary { cursor: pointer; text-transform: none; font-size: .86rem; padding: 4px 0; }
.tr-nearest-box[open] summary { margin-bottom: 6px; }
.tr-duty-sum { padding: 8px 12px; background: #fff; border: 1px solid var(--tr-line); border-radius: 8px;
  font-size: .92rem; color: var(--tr-ink); }
/* phone and small tablet (Gradio's side panel covers the whole page up to 768 px) */
.tr-filters-btn, .tr-filters-done, .tr-back { display: none; }
@media (max-width: 768px) {
  #tr-head .html-container { padding: 0 !important; }
  .tr-header { padding: 8px 10px; border-radius: 10px; gap: 4px 8px; flex-wrap: wrap; }
  .tr-header p, .tr-mode-global { display: none; }
  .tr-header h1 { font-size: 1.02rem !important; line-height: 1.25; }
  .tr-brand { gap: 8px; flex: 1 1 0; min-width: 0; }
  .tr-emblem { width: 30px; height: 30px; font-size: 17px; }
  .tr-header-side { display: contents; }
  .tr-stat { order: 3; flex-basis: 100%; background: none; padding: 0 0 0 38px; font-size: .76rem; color: #fde8e8; }
  .tr-filters-btn { display: inline-flex; align-items: center; gap: 4px; min-height: 40px; padding: 6px 14px;
    border-radius: 999px; border: 1px solid rgba(255,255,255,.6); background: rgba(255,255,255,.16); color: #fff;
    font-weight: 700; font-size: .9rem; cursor: pointer; white-space: nowrap; }
  .tr-filters-done { display: block; width: 100%; min-height: 46px; border: none; border-radius: 10px;
    background: var(--tr-red); color: #fff; font-weight: 700; font-size: 1rem; cursor: pointer; }
  #tr-sidebar:not(.open) .toggle-button { display: none !important; }
  #tr-tabs button[role=tab] { font-size: .92rem; padding-left: 8px !important; padding-right: 8px !important; }
  #tr-chat { height: calc(100dvh - 250px) !important; min-height: 280px; }
  #tr-ask-row { position: fixed; left: 0; right: 0; bottom: 0; z-index: 20; margin: 0 !important;
    background: var(--body-background-fill, #f4f5f7); border-top: 1px solid var(--tr-line);
    padding: 8px 8px calc(8px + env(safe-area-inset-bottom)) !important; flex-wrap: nowrap !important;
    gap: 6px !important; box-shadow: 0 -2px 10px rgba(15,23,42,.08); }
  #tr-tabs .tabitem:has(#tr-ask-row) { padding-bottom: 72px; }
  #tr-ask-row > * { min-width: 0 !important; }
  #tr-question textarea { font-size: 16px !important; min-height: 46px; }
  #tr-send { min-width: 64px !important; min-height: 46px; flex: none !important; }
  #tr-new { min-width: 46px !important; max-width: 46px; min-height: 46px; flex: none !important;
    font-size: 0 !important; padding: 0 !important; }
  #tr-new::before { content: "↺"; font-size: 1.3rem; }
  .tr-card { padding: 10px 12px; } .tr-open { padding-top: 4px; }
  a.tr-ref { display: inline-block; min-width: 28px; padding: 4px 2px; text-align: center; }
  .tr-viewer-box.tr-sheet { position: fixed !important; inset: 0; z-index: 1200; margin: 0 !important;
    padding: 0 !important; background: var(--tr-card); overflow: hidden; }
  .tr-sheet .tr-viewer { height: 100dvh; border: none; border-radius: 0; }
  .tr-sheet .tr-vbody { flex: 1; min-height: 0; } .tr-sheet .tr-text { max-height: none; flex: 1; }
  .tr-sheet .tr-vhead { position: sticky; top: 0; z-index: 1; }
  .tr-sheet .tr-orig-box { max-height: 36dvh; }
  .tr-sheet .tr-back { display: inline-flex; align-items: center; min-height: 44px; padding: 0 14px 0 4px;
    margin: -4px 0 6px -4px; border: none; background: none; color: var(--tr-red); font-weight: 700;
    font-size: 1rem; cursor: pointer; }
  html.tr-sheet-open, html.tr-sheet-open body { overflow: hidden; }
  .tr-wide .tr-vbody { flex-direction: column; } .tr-wide .tr-outline { width: auto; border-right: none;
    border-bottom: 1px solid var(--tr-line); }
  .tr-table-wrap { max-width: 100%; -webkit-overflow-scrolling: touch; }
  .tr-docs td:first-child { min-width: 200px; }
  .tr-duty-bar { flex-wrap: wrap !important; gap: 6px !important; }
  .tr-duty-bar > #tr-duty-summary { flex: 1 1 100% !important; min-width: 100% !important; }
  .tr-duty-bar > button { flex: 1 1 auto !important; min-height: 44px; }
}
@media (max-width: 600px) {  /* the documents and duties tables reflow into one card per row */
  .tr-table thead { display: none; }
  table.tr-table, .tr-table tbody, .tr-table tr, .tr-table td { display: block; width: auto !important; }
  .tr-table tr { padding: 10px 12px; border-bottom: 1px solid var(--tr-line) !important; }
  .tr-table td { padding: 2px 0 !important; border: none !important; min-width: 0 !important;
    text-align: left !important; white-space: normal !important; }
  .tr-table td[data-label]::before { content: attr(data-label) ": "; color: var(--tr-muted); font-size: .78rem;
    font-weight: 600; }
  .tr-duties td.num { display: inline-block; margin-right: 8px; font-weight: 700; }
  .tr-duties td:nth-child(2) { display: inline-block; } .tr-duties td.tr-task { margin: 4px 0; }
}
.dark .tr-card, .dark .tr-viewer, .dark .tr-table-wrap { background: #111827; }
.dark .tr-answer, .dark .tr-doc, .dark .tr-text, .dark .tr-table td, .dark .tr-vtitle { color: #e5e7eb; }
.dark .tr-vhead, .dark .tr-table th { background: #1f2937; color: #e5e7eb; }
"""

# Gradio scopes ``CSS`` to the app's content; the page's own padding is set from the page head instead.
HEAD_STYLE = ("<style>@media (max-width: 768px) { .gradio-container .main.fillable.app "
              "{ padding: 8px 8px 0 !important; } }</style>")
