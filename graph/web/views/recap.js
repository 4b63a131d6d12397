/* The story so far: the recap sentences made by graph/recap.py (the same text as `nlmg recap`), chosen and ordered
 * here exactly as graph.recap.recap does: chapters M to N, one character, in the order told or lived. */
"use strict";

(() => {
  const { payload, visibleAt, h, link, chapterLink } = NLMG;
  const phaseLabel = Object.fromEntries(payload.meta.phases.map((p) => [p.id, p.label]));
  const compare = (a, b) => { for (let i = 0; i < a.length; i++) { if (a[i] < b[i]) return -1; if (a[i] > b[i]) return 1; } return 0; };

  /** Rows of the recap after `chapter`: [{chapter, phase, text, event}], as graph.recap.recap gives them. */
  function recap(chapter, start = 1, character = null, order = "discourse") {
    const rows = [];
    for (const entry of payload.recap) {
      const s = visibleAt(entry, chapter);
      if (!s || s.chapter < start || s.chapter > chapter || (character && !s.people.includes(character))) continue;
      const key = order === "story" ? [s.phase_rank || 0, s.chapter, s.position] : [s.chapter, s.position];
      rows.push({ chapter: s.chapter, phase: phaseLabel[s.phase] ?? s.phase, text: s.text, event: entry.event, people: s.people, key });
    }
    rows.sort((a, b) => compare([...a.key, a.event], [...b.key, b.event]));
    return rows;
  }

  /** The sentence with each person's name a link to their card (the text itself is unchanged). */
  function linked(text, people, chapter) {
    const names = people.map((id) => [NLMG.label(id, chapter), id]).filter(([name]) => name).sort((a, b) => b[0].length - a[0].length);
    const parts = [];
    let rest = text;
    while (rest) {
      let best = null;
      for (const [name, id] of names) {
        const at = rest.indexOf(name);
        if (at >= 0 && (!best || at < best.at)) best = { at, name, id };
      }
      if (!best) { parts.push(rest); break; }
      parts.push(rest.slice(0, best.at), link(best.id, best.name));
      rest = rest.slice(best.at + best.name.length);
    }
    return parts;
  }

  function render(root, ctx) {
    const chapter = ctx.chapter;
    const start = Math.min(Math.max(Number(ctx.params.from) || 1, 1), chapter);
    const order = ctx.params.order === "story" ? "story" : "discourse";
    const group = (ctx.params.group || (order === "story" ? "phase" : "chapter")) === "phase" ? "phase" : "chapter";
    const character = ctx.params.character && visibleAt(NLMG.node(ctx.params.character)) ? ctx.params.character : null;
    const rows = recap(chapter, start, character, order);
    const go = (change) => NLMG.navigate("recap", Object.fromEntries(Object.entries({ ...ctx.params, ...change }).filter(([, v]) => v)));
    const characters = payload.nodes.filter((n) => n.kind === "character" && visibleAt(n)).map((n) => [n.id, visibleAt(n).label]).sort((a, b) => a[1].localeCompare(b[1]));
    const field = (id, text, options, value, name) => h("div", { class: "field" }, h("label", { for: id }, text),
      h("select", { id, onchange: (e) => go({ [name]: e.target.value }) }, options.map(([v, t]) => h("option", { value: v, selected: String(v) === String(value) }, t))));
    const form = h("div", { class: "toolbar" },
      field("recap-from", "From chapter", Array.from({ length: chapter }, (_, i) => [i + 1, `${i + 1}`]), start, "from"),
      field("recap-character", "Only", [["", "everyone"], ...characters], character || "", "character"),
      field("recap-order", "Order", [["discourse", "as told"], ["story", "as lived"]], order, "order"),
      field("recap-group", "Group by", [["chapter", "chapter"], ["phase", "story phase"]], group, "group"));
    const groups = new Map();
    for (const row of rows) {
      const key = group === "phase" ? row.phase || "no phase" : `Chapter ${row.chapter}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(row);
    }
    const heading = start === chapter ? `Chapter ${chapter}` : `Chapters ${start} to ${chapter}`;
    root.append(h("section", { class: "recap", "aria-labelledby": "recap-title" },
      h("h2", { id: "recap-title" }, `The story so far: ${heading}${character ? `, ${visibleAt(NLMG.node(character)).label}` : ""}`), form,
      h("p", { class: "muted", id: "recap-count" }, `${rows.length} events`),
      [...groups].map(([title, items]) => h("section", {}, h("h3", {}, title),
        h("ol", { class: "sentences" }, items.map((r) => h("li", { dataset: { event: r.event } }, linked(r.text, r.people, chapter), " ", chapterLink(r.chapter, `(chapter ${r.chapter})`), " ", link(r.event, "more"))))))));
  }

  NLMG.recap = recap;
  NLMG.registerView({ id: "recap", title: "Story so far", order: 30, render });
})();
