/* Rumours and revelations: the belief ledger at the reader's chapter, each belief with who holds it, since when,
 * its status and, once the reader has reached it, the chapter and event that overturn it. */
"use strict";

(() => {
  const { payload, visibleAt, h, link, chapterLink } = NLMG;

  function ledger(chapter) {
    return payload.nodes.filter((n) => n.kind === "belief" && visibleAt(n, chapter)).map((n) => {
      const s = visibleAt(n, chapter);
      const holders = payload.edges.filter((e) => e.kind === "held_by" && e.from === n.id && visibleAt(e, chapter) && visibleAt(NLMG.node(e.to), chapter)).map((e) => e.to);
      const about = payload.edges.filter((e) => e.kind === "about" && e.from === n.id && visibleAt(e, chapter) && visibleAt(NLMG.node(e.to), chapter)).map((e) => e.to);
      const overturn = payload.overturns.find((o) => o.belief === n.id && o.visible_from <= chapter && visibleAt(NLMG.node(o.event), chapter));
      return { id: n.id, s, holders, about, overturn };
    }).sort((a, b) => a.s.first_chapter - b.s.first_chapter || a.s.label.localeCompare(b.s.label));
  }

  function render(root, ctx) {
    const rows = ledger(ctx.chapter);
    root.append(h("section", { "aria-labelledby": "beliefs-title" }, h("h2", { id: "beliefs-title" }, `Rumours and revelations (${rows.length})`),
      h("p", { class: "muted" }, "What the characters believe or pass on, as the book has told it so far."),
      h("table", { class: "ledger" }, h("caption", { class: "visually-hidden" }, "Beliefs"),
        h("thead", {}, h("tr", {}, ["Belief", "Held by", "Since", "Status", "Overturned"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, rows.map((r) => h("tr", { dataset: { belief: r.id } },
          h("td", {}, link(r.id, r.s.label), r.s.description ? h("div", { class: "desc" }, r.s.description) : null, r.about.length ? h("div", { class: "muted" }, "about ", r.about.map((a, i) => [i ? ", " : "", link(a)])) : null),
          h("td", {}, r.holders.map((p, i) => [i ? ", " : "", link(p)])),
          h("td", {}, chapterLink(r.s.first_chapter)),
          h("td", {}, r.s.overturned_in ? "overturned" : r.s.status || "stated"),
          h("td", {}, r.s.overturned_in ? [chapterLink(r.s.overturned_in, `chapter ${r.s.overturned_in}`), r.overturn ? [": ", link(r.overturn.event)] : null] : "not yet")))))));
  }

  NLMG.registerView({ id: "beliefs", title: "Rumours", order: 40, render });
})();
