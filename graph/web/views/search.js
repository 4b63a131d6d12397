/* Search names, nicknames, places, events and objects, within what the reader may see. */
"use strict";

(() => {
  const { payload, visibleAt, h, link } = NLMG;
  const normal = (s) => String(s).toLowerCase().normalize("NFKD").replace(/[^\p{L}\p{N}\s]/gu, " ").replace(/\s+/g, " ").trim();

  /** Visible nodes whose label or other names contain `text`, exact matches first. */
  function search(text, chapter) {
    const wanted = normal(text);
    if (!wanted) return [];
    const hits = [];
    for (const n of payload.nodes) {
      const s = visibleAt(n, chapter);
      if (!s) continue;
      const names = [s.label, ...(s.alt_labels || [])].map(normal);
      const exact = names.includes(wanted);
      if (exact || names.some((name) => name.includes(wanted))) hits.push({ id: n.id, kind: n.kind, label: s.label, exact });
    }
    return hits.sort((a, b) => b.exact - a.exact || a.label.localeCompare(b.label));
  }

  function render(root, ctx) {
    const text = ctx.params.q || "";
    const hits = search(text, ctx.chapter);
    document.getElementById("search").value = text;
    root.append(h("section", { "aria-labelledby": "search-title" }, h("h2", { id: "search-title" }, text ? `Search: “${text}”` : "Search"),
      h("p", { id: "search-count" }, text ? `${hits.length} found in chapters 1 to ${ctx.chapter}` : "Type a name in the search box at the top."),
      h("ul", { class: "hits" }, hits.map((hit) => h("li", {}, link(hit.id), h("span", { class: "muted" }, ` (${hit.kind})`), " ",
        h("a", { href: NLMG.route("map", { focus: hit.id, ...(hit.kind === "character" ? {} : { mode: "everything" }) }), class: "on-map", "aria-label": `${hit.label} on the map` }, "on the map"))))));
  }

  document.getElementById("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    NLMG.navigate("search", { q: document.getElementById("search").value });
  });
  NLMG.search = search;
  NLMG.registerView({ id: "search", title: "Search", order: 60, render });
})();
