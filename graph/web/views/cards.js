/* Character cards (and a card for every other entity): names, group, first chapter, what the reader knows at their
 * chapter, relationships in story order, events in telling and in story order, and their fate once it is told. */
"use strict";

(() => {
  const { payload, visibleAt, h, link, chapterLink } = NLMG;
  const byPhase = (a, b) => (a.phase_rank ?? 99) - (b.phase_rank ?? 99) || (a.chapter ?? 0) - (b.chapter ?? 0);

  function relationships(id, chapter) {
    return payload.edges.filter((e) => e.kind === "relationship" && (e.from === id || e.to === id)).map((e) => ({ e, s: visibleAt(e, chapter) }))
      .filter(({ e, s }) => s && visibleAt(NLMG.node(e.from), chapter) && visibleAt(NLMG.node(e.to), chapter))
      .map(({ e, s }) => ({ ...s, other: e.from === id ? e.to : e.from, outgoing: e.from === id, chapter: s.first_chapter }))
      .sort(byPhase);
  }

  function events(id, chapter) {
    return payload.edges.filter((e) => e.kind === "participant" && e.to === id).map((e) => ({ e, s: visibleAt(e, chapter), ev: visibleAt(NLMG.node(e.from), chapter) }))
      .filter(({ s, ev }) => s && ev).map(({ e, s, ev }) => ({ id: e.from, role: s.role, label: ev.label, chapter: ev.first_chapter, position: ev.position, phase_rank: ev.phase_rank, type: ev.event_type }));
  }

  function linked(id, chapter) {
    return payload.edges.filter((e) => e.kind !== "relationship" && e.kind !== "participant" && (e.from === id || e.to === id))
      .filter((e) => visibleAt(e, chapter) && visibleAt(NLMG.node(e.from), chapter) && visibleAt(NLMG.node(e.to), chapter))
      .map((e) => ({ other: e.from === id ? e.to : e.from, kind: e.kind }));
  }

  function relationshipItem(r) {
    const arrow = r.symmetric ? "with" : r.outgoing ? "→" : "←";
    return h("li", {}, h("b", {}, r.type_label), ` ${arrow} `, link(r.other), " ", h("span", { class: "muted" }, "since "), chapterLink(r.chapter),
      r.status && r.status !== "stated" ? h("span", { class: "badge" }, r.status) : null, r.description ? h("div", { class: "desc" }, r.description) : null);
  }

  function card(id, ctx) {
    const n = NLMG.node(id);
    const s = visibleAt(n);
    if (!s) return h("p", {}, "Nothing on this page by that name yet.");
    const parts = [h("h2", { id: "card-title" }, s.label)];
    const facts = h("dl", { class: "facts" }, h("dt", {}, "Kind"), h("dd", {}, n.kind));
    if (s.alt_labels && s.alt_labels.length) facts.append(h("dt", {}, "Also called"), h("dd", {}, s.alt_labels.join(", ")));
    if (s.groups && s.groups.length) facts.append(h("dt", {}, "Group"), h("dd", {}, s.groups.join(", ")));
    if (s.first_chapter) facts.append(h("dt", {}, "First met"), h("dd", {}, chapterLink(s.first_chapter, `chapter ${s.first_chapter}`)));
    if (s.status) facts.append(h("dt", {}, "Status"), h("dd", {}, s.status + (s.overturned_in ? `, overturned in chapter ${s.overturned_in}` : "")));
    parts.push(facts, s.description ? h("p", { class: "description" }, s.description) : h("p", { class: "muted" }, "No description yet."));
    if (n.kind === "character") {
      const rels = relationships(id, ctx.chapter);
      parts.push(h("h3", {}, `Relationships, in story order (${rels.length})`), rels.length ? h("ul", { class: "relationships" }, rels.map(relationshipItem)) : h("p", { class: "muted" }, "None yet."));
      const evs = events(id, ctx.chapter);
      const order = ctx.params.order === "story" ? "story" : "discourse";
      const sorted = [...evs].sort(order === "story" ? (a, b) => byPhase(a, b) || a.position - b.position : (a, b) => a.chapter - b.chapter || a.position - b.position);
      parts.push(h("h3", {}, `Events (${evs.length})`), h("p", {}, "Order: ",
        h("a", { href: NLMG.route("cards", { id, order: "discourse" }), "aria-current": order === "discourse" ? "true" : null }, "as told"), " · ",
        h("a", { href: NLMG.route("cards", { id, order: "story" }), "aria-current": order === "story" ? "true" : null }, "as lived")),
      evs.length ? h("ol", { class: "events" }, sorted.map((e) => h("li", {}, link(e.id, e.label), " ", h("span", { class: "muted" }, e.role ? `(${e.role}) ` : ""), chapterLink(e.chapter)))) : h("p", { class: "muted" }, "None yet."));
      const fate = evs.find((e) => e.type === "completion" && e.role === "subject");
      if (fate) parts.push(h("h3", {}, "Fate"), h("p", {}, link(fate.id, fate.label), " ", chapterLink(fate.chapter)));
    } else {
      const others = linked(id, ctx.chapter);
      const people = n.kind === "event" ? payload.edges.filter((e) => e.kind === "participant" && e.from === id && visibleAt(e) && visibleAt(NLMG.node(e.to))) : [];
      if (people.length) parts.push(h("h3", {}, "Who"), h("ul", {}, people.map((e) => h("li", {}, link(e.to), ` (${visibleAt(e).role || "present"})`))));
      if (others.length) parts.push(h("h3", {}, `Linked (${others.length})`), h("ul", {}, others.map((o) => h("li", {}, `${payload.meta.style.links[o.kind] || o.kind}: `, link(o.other)))));
    }
    return h("article", { class: "card", "aria-labelledby": "card-title" }, parts);
  }

  function render(root, ctx) {
    const characters = payload.nodes.filter((n) => n.kind === "character" && visibleAt(n)).map((n) => ({ id: n.id, s: visibleAt(n) }))
      .sort((a, b) => a.s.label.localeCompare(b.s.label));
    const current = ctx.params.id && visibleAt(NLMG.node(ctx.params.id)) ? ctx.params.id : null;
    root.append(h("div", { class: "two-columns" },
      h("nav", { class: "index", "aria-label": "Characters" }, h("h2", {}, `Characters (${characters.length})`),
        h("ul", {}, characters.map((c) => h("li", {}, h("a", { href: NLMG.route("cards", { id: c.id }), "aria-current": c.id === current ? "true" : null }, c.s.label))))),
      current ? card(current, ctx) : h("p", { class: "muted" }, "Choose a character.")));
  }

  NLMG.registerView({ id: "cards", title: "Characters", order: 20, render });
})();
