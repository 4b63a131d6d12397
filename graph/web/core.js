/* The companion's core: the payload, the reader's chapter, visibleAt, the view registry and the router.
 * Every view registers with NLMG.registerView and draws only what NLMG.visibleAt shows at the reader's chapter. */
"use strict";

const NLMG = (() => {
  const payload = JSON.parse(document.getElementById("nlmg-data").textContent);
  const maxChapter = payload.meta.max_chapter;
  const views = [];
  const nodesById = new Map(payload.nodes.map((n) => [n.id, n]));
  const listeners = [];
  const state = { chapter: null, view: null, params: {} };
  const memo = new Map();

  /** What the reader knows of an item (node, edge, recap entry...) after `chapter`: its versions merged, or null. */
  function visibleAt(item, chapter = state.chapter) {
    if (!item || (item.visible_from || 1) > chapter) return null;
    let byChapter = memo.get(item);
    if (!byChapter) { byChapter = new Map(); memo.set(item, byChapter); }
    if (byChapter.has(chapter)) return byChapter.get(chapter);
    const merged = {};
    for (const version of item.versions || []) {
      if (version.visible_from <= chapter) Object.assign(merged, version);
    }
    delete merged.visible_from;
    byChapter.set(chapter, merged);
    return merged;
  }

  /** A DOM element: h("a", {href: "#x"}, "text", child). Strings always become text, never markup. */
  function h(tag, attrs = {}, ...children) {
    const element = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
      else if (key === "dataset") Object.assign(element.dataset, value);
      else element.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
  }

  const node = (id) => nodesById.get(id);
  const label = (id, chapter = state.chapter) => { const s = visibleAt(node(id), chapter); return s ? s.label : null; };

  /** The hash of a route: #chapter=N&view=V&key=value. */
  function route(view, params = {}, chapter = state.chapter) {
    const query = new URLSearchParams({ chapter: String(chapter), view, ...params });
    return "#" + query.toString();
  }

  /** A link to an entity's card (or plain text if the reader may not see it yet). */
  function link(id, text) {
    const s = visibleAt(node(id));
    if (!s) return document.createTextNode(text || "");
    return h("a", { href: route("cards", { id }), class: "entity", dataset: { id } }, text || s.label);
  }

  function chapterLink(chapter, text) {
    return h("a", { href: route("changes", { of: chapter }), class: "chapter-link" }, text || `ch. ${chapter}`);
  }

  function registerView(view) {
    views.push(view);
    views.sort((a, b) => a.order - b.order);
  }

  function readHash() {
    const query = new URLSearchParams(location.hash.slice(1));
    const params = Object.fromEntries(query.entries());
    const chapter = Number(params.chapter);
    delete params.chapter;
    const view = params.view;
    delete params.view;
    return { chapter: Number.isInteger(chapter) && chapter >= 1 && chapter <= maxChapter ? chapter : null, view, params };
  }

  function stored() {
    try { const n = Number(localStorage.getItem("nlmg.chapter")); return n >= 1 && n <= maxChapter ? n : null; } catch { return null; }
  }

  function setChapter(chapter) {
    state.chapter = Math.max(1, Math.min(maxChapter, Number(chapter)));
    try { localStorage.setItem("nlmg.chapter", String(state.chapter)); } catch { /* private browsing */ }
    navigate(state.view || views[0].id, state.params);
  }

  function navigate(view, params = {}) {
    const target = route(view, params);
    if (location.hash !== target) history.replaceState(null, "", target);
    show();
  }

  function show() {
    const { chapter, view, params } = readHash();
    if (chapter) state.chapter = chapter;
    if (!state.chapter) state.chapter = stored() || maxChapter;
    state.view = views.some((v) => v.id === view) ? view : views[0].id;
    state.params = params;
    document.getElementById("chapter").value = String(state.chapter);
    for (const tab of document.querySelectorAll("#tabs a")) {
      tab.href = route(tab.dataset.view, {});
      if (tab.dataset.view === state.view) tab.setAttribute("aria-current", "page"); else tab.removeAttribute("aria-current");
    }
    const root = document.getElementById("view");
    const current = views.find((v) => v.id === state.view);
    root.dataset.view = current.id;
    root.replaceChildren();
    current.render(root, context());
    document.title = `${current.title} · chapter ${state.chapter} · Never Let Me Go companion`;
    listeners.forEach((f) => f(state));
  }

  function context() {
    return { chapter: state.chapter, params: state.params, payload, visibleAt, h, link, chapterLink, route, label, node, navigate, announce };
  }

  function announce(text) { document.getElementById("announce").textContent = text; }

  function chapterOptions(select) {
    select.replaceChildren(...Array.from({ length: maxChapter }, (_, i) => h("option", { value: i + 1 }, `${i + 1}`)));
  }

  function start() {
    const select = document.getElementById("chapter");
    chapterOptions(select);
    select.addEventListener("change", () => { setChapter(select.value); announce(`Showing what a reader knows after chapter ${state.chapter}.`); });
    document.getElementById("tabs").replaceChildren(...views.map((v) => h("a", { href: route(v.id), dataset: { view: v.id } }, v.title)));
    window.addEventListener("hashchange", show);
    const { chapter } = readHash();
    if (!chapter && !stored()) askPlace();
    show();
  }

  function askPlace() {
    const dialog = document.getElementById("ask-place");
    const select = document.getElementById("ask-chapter");
    chapterOptions(select);
    select.value = "1";
    state.chapter = 1;
    dialog.addEventListener("close", () => setChapter(select.value), { once: true });
    if (dialog.showModal) dialog.showModal();
  }

  return { payload, state, visibleAt, h, link, chapterLink, route, label, node, registerView, setChapter, navigate, start, onShow: (f) => listeners.push(f), announce };
})();
window.NLMG = NLMG;
