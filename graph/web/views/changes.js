/* What this chapter changed: who and what is new, which relationships begin or are shown false, which beliefs are
 * overturned, who is renamed or seen anew, whose story ends. Any chapter up to the reader's. */
"use strict";

(() => {
  const { payload, visibleAt, h, link, chapterLink } = NLMG;
  const KINDS = ["character", "place", "object", "motif", "belief", "theme"];

  function changes(of) {
    const fresh = payload.nodes.filter((n) => n.visible_from === of);
    const began = payload.edges.filter((e) => e.kind === "relationship" && e.visible_from === of);
    const falsified = payload.edges.filter((e) => e.kind === "relationship" && visibleAt(e, of) && visibleAt(e, of).overturned_in === of);
    const overturned = payload.nodes.filter((n) => n.kind === "belief" && visibleAt(n, of) && visibleAt(n, of).overturned_in === of);
    const reframed = [];
    for (const n of payload.nodes) {
      if (n.visible_from >= of || n.kind === "event") continue;
      const version = (n.versions || []).find((v) => v.visible_from === of);
      if (!version) continue;
      const before = visibleAt(n, of - 1);
      const now = visibleAt(n, of);
      const names = (now.alt_labels || []).filter((a) => !(before.alt_labels || []).includes(a));
      if (now.label !== before.label || names.length || now.description !== before.description) reframed.push({ id: n.id, names, renamed: now.label !== before.label ? before.label : null, description: now.description !== before.description });
    }
    const endings = fresh.filter((n) => n.kind === "event" && visibleAt(n, of).event_type === "completion");
    return { fresh, began, falsified, overturned, reframed, endings };
  }

  function render(root, ctx) {
    const of = Math.min(Math.max(Number(ctx.params.of) || ctx.chapter, 1), ctx.chapter);
    const c = changes(of);
    const section = (title, items) => items.length ? h("section", {}, h("h3", {}, `${title} (${items.length})`), h("ul", {}, items)) : null;
    const picker = h("div", { class: "toolbar" }, h("div", { class: "field" }, h("label", { for: "changes-of" }, "Chapter"),
      h("select", { id: "changes-of", onchange: (e) => NLMG.navigate("changes", { of: e.target.value }) },
        Array.from({ length: ctx.chapter }, (_, i) => h("option", { value: i + 1, selected: i + 1 === of }, `${i + 1}`)))));
    const events = c.fresh.filter((n) => n.kind === "event").length;
    const newcomers = KINDS.map((kind) => section(`New ${kind === "motif" ? "motifs" : `${kind}s`}`, c.fresh.filter((n) => n.kind === kind).map((n) => h("li", {}, link(n.id)))));
    root.append(h("section", { "aria-labelledby": "changes-title" }, h("h2", { id: "changes-title" }, `What chapter ${of} changed`), picker,
      h("p", {}, `${events} events are first told here: `, h("a", { href: NLMG.route("recap", { from: of }, ctx.chapter) }, "read them in the story so far"), "."),
      newcomers,
      section("Relationships that begin", c.began.map((e) => { const s = visibleAt(e, of); return h("li", {}, link(e.from), ` ${s.type_label} `, link(e.to)); })),
      section("Relationships shown false", c.falsified.map((e) => { const s = visibleAt(e, of); return h("li", {}, link(e.from), ` ${s.type_label} `, link(e.to)); })),
      section("Beliefs overturned", c.overturned.map((n) => { const o = payload.overturns.find((x) => x.belief === n.id && x.visible_from <= of); return h("li", {}, link(n.id), o ? [" by ", link(o.event)] : null); })),
      section("Renamed or seen anew", c.reframed.map((r) => h("li", {}, link(r.id), r.renamed ? ` (was ${r.renamed})` : "", r.names.length ? `: now also called ${r.names.join(", ")}` : "", r.description ? " (more is told of them)" : ""))),
      section("Endings", c.endings.map((n) => h("li", {}, link(n.id)))),
      of > 1 ? h("p", {}, chapterLink(of - 1, `What chapter ${of - 1} changed`)) : null));
  }

  NLMG.changes = changes;
  NLMG.registerView({ id: "changes", title: "This chapter", order: 50, render });
})();
