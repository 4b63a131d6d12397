/* The board of places: the places as a hierarchy (real or fictional), where everyone is after the reader's chapter
 * (the place of their latest event, as told or as lived) with the trail before it, each place's events in order, and
 * the number of events per place per part. Derived from payload.timespace.places exactly as graph/places.py derives them. */
"use strict";

(() => {
  const { payload, visibleAt, h } = NLMG;
  const compare = (a, b) => { for (let i = 0; i < a.length; i++) { if (a[i] < b[i]) return -1; if (a[i] > b[i]) return 1; } return 0; };
  const data = () => payload.timespace?.places || { parts: [], places: [], parents: [], events: [] };

  /** Place -> its parent after `chapter` (the latest entry told by then). */
  function parentsAt(chapter) {
    const parents = new Map();
    for (const entry of data().parents) if (visibleAt(entry, chapter)) parents.set(entry.place, entry.parent);
    return parents;
  }

  function ancestors(place, parents) {
    const chain = [place];
    while (parents.get(chain[chain.length - 1]) && !chain.includes(parents.get(chain[chain.length - 1]))) chain.push(parents.get(chain[chain.length - 1]));
    return chain;
  }

  /** The placed events a reader has been told after `chapter`, in `order` (as graph.queries orders them). */
  function eventsAt(chapter, order = "discourse") {
    const key = (e) => (order === "story" ? [e.rank ?? 99, e.visible_from, e.position] : [e.visible_from, e.position]);
    return data().events.filter((e) => visibleAt(e, chapter)).sort((a, b) => compare([...key(a), a.id], [...key(b), b.id]));
  }

  /** Where everyone is after `chapter` (graph.places.whereabouts): character -> {place, event, chapter, trail}. */
  function whereabouts(chapter, order = "discourse") {
    const trails = new Map();
    for (const event of eventsAt(chapter, order)) {
      for (const person of event.people) {
        if (!trails.has(person)) trails.set(person, []);
        const trail = trails.get(person);
        const step = { place: event.place, event: event.id, chapter: event.visible_from };
        if (trail.length && trail[trail.length - 1].place === event.place) trail[trail.length - 1] = step; else trail.push(step);
      }
    }
    const result = new Map();
    for (const [person, trail] of trails) {
      if (!visibleAt(NLMG.node(person), chapter)) continue;
      const last = trail[trail.length - 1];
      result.set(person, { ...last, trail: trail.map((s) => s.place) });
    }
    return result;
  }

  /** Place -> [events in part 1, 2, 3] after `chapter`, rolled up into the places holding it (graph.places.counts_by_part). */
  function counts(chapter) {
    const parents = parentsAt(chapter);
    const result = new Map();
    for (const event of eventsAt(chapter)) {
      const part = data().parts.findIndex(([first, last]) => event.visible_from >= first && event.visible_from <= last);
      if (part < 0) continue;
      for (const holder of ancestors(event.place, parents)) {
        if (!result.has(holder)) result.set(holder, data().parts.map(() => 0));
        result.get(holder)[part] += 1;
      }
    }
    return result;
  }

  function tree(ctx, chapter, selected, here, choose) {
    const parents = parentsAt(chapter);
    const places = data().places.filter((p) => visibleAt(p, chapter) && NLMG.label(p.id));
    const children = new Map();
    for (const place of places) {
      const parent = parents.get(place.id) ?? null;
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(place);
    }
    const list = (parent) => {
      const items = (children.get(parent) || []).sort((a, b) => NLMG.label(a.id).toLowerCase().localeCompare(NLMG.label(b.id).toLowerCase()));
      if (!items.length) return null;
      return h("ul", {}, items.map((place) => h("li", { dataset: { place: place.id } },
        h("button", { type: "button", "aria-pressed": place.id === selected ? "true" : "false", onclick: () => choose(place.id) }, NLMG.label(place.id)),
        h("span", { class: "kind" }, place.real ? "(real place)" : "(fictional)"),
        here.has(place.id) ? h("div", { class: "people" }, "here now: ", here.get(place.id).map((p, i) => [i ? ", " : "", ctx.link(p)])) : null,
        list(place.id))));
    };
    const root = list(null);
    if (root) root.classList.add("place-tree");
    return root;
  }

  function countsTable(chapter, counted) {
    const parents = parentsAt(chapter);
    const parts = data().parts.map((range, i) => ({ range, i })).filter(({ range }) => range[0] <= chapter);
    const rows = [...counted].filter(([place]) => visibleAt(data().places.find((p) => p.id === place), chapter) && NLMG.label(place))
      .filter(([place]) => ancestors(place, parents).length <= 2)
      .sort((a, b) => b[1].reduce((x, y) => x + y, 0) - a[1].reduce((x, y) => x + y, 0) || NLMG.label(a[0]).localeCompare(NLMG.label(b[0])));
    const most = Math.max(1, ...rows.flatMap(([, c]) => c));
    return h("table", { class: "where counts" }, h("caption", { class: "visually-hidden" }, "Events per place per part"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Place"), parts.map(({ i }) => h("th", { scope: "col" }, `Part ${i + 1}`)))),
      h("tbody", {}, rows.map(([place, c]) => h("tr", { dataset: { place } }, h("th", { scope: "row" }, NLMG.label(place)),
        parts.map(({ i }) => h("td", { dataset: { part: i + 1 } },
          h("span", { class: "bar", style: `display:inline-block;height:10px;margin-right:4px;background:#5a7fa8;width:${Math.round((60 * c[i]) / most)}px` }), String(c[i])))))));
  }

  function render(root, ctx) {
    const chapter = ctx.chapter;
    const order = ctx.params.order === "story" ? "story" : "discourse";
    const go = (change) => NLMG.navigate("places", Object.fromEntries(Object.entries({ ...ctx.params, ...change }).filter(([, v]) => v)));
    const where = whereabouts(chapter, order);
    const here = new Map();
    for (const [person, at] of where) {
      if (!here.has(at.place)) here.set(at.place, []);
      here.get(at.place).push(person);
    }
    for (const people of here.values()) people.sort((a, b) => NLMG.label(a).localeCompare(NLMG.label(b)));
    const selected = ctx.params.place && visibleAt(data().places.find((p) => p.id === ctx.params.place), chapter) ? ctx.params.place : null;
    const section = h("section", { class: "places", "aria-labelledby": "places-title" }, h("h2", { id: "places-title" }, "Places: where everyone is"),
      h("div", { class: "toolbar" }, h("div", { class: "field" }, h("label", { for: "places-order" }, "Latest event"),
        h("select", { id: "places-order", onchange: (e) => go({ order: e.target.value }) },
          h("option", { value: "discourse", selected: order === "discourse" }, "as told (the last one told)"),
          h("option", { value: "story", selected: order === "story" }, "as lived (the last one in story time)")))));
    const parents = parentsAt(chapter);
    const detail = [];
    if (selected) {
      const events = eventsAt(chapter).filter((e) => e.place === selected);
      detail.push(h("section", { "aria-labelledby": "place-detail", class: "place-detail" }, h("h3", { id: "place-detail" }, ctx.link(selected)),
        h("p", {}, data().places.find((p) => p.id === selected).real ? "A real place" : "A fictional place", parents.get(selected) ? [", in ", ancestors(selected, parents).slice(1).map((p, i) => [i ? ", " : "", ctx.link(p)])] : null, "."),
        h("p", {}, "Here now: ", here.has(selected) ? here.get(selected).map((p, i) => [i ? ", " : "", ctx.link(p)]) : "nobody"),
        h("h3", {}, `Events here, in the order told (${events.length})`),
        h("ol", { class: "events" }, events.map((e) => h("li", { dataset: { event: e.id } }, ctx.link(e.id), " ", ctx.chapterLink(e.visible_from, `(chapter ${e.visible_from})`), " · ",
          h("a", { href: ctx.route("recap", { from: String(e.visible_from) }) }, "story so far"), " · ", e.people.filter((p) => visibleAt(NLMG.node(p))).map((p, i) => [i ? ", " : "", ctx.link(p)]))))));
    }
    const people = [...where].sort((a, b) => compare([ancestors(a[1].place, parents).reverse().map((p) => NLMG.label(p)).join(">"), NLMG.label(a[0])], [ancestors(b[1].place, parents).reverse().map((p) => NLMG.label(p)).join(">"), NLMG.label(b[0])]));
    const table = h("table", { class: "where", id: "where-table" }, h("caption", { class: "visually-hidden" }, "Where everyone is"),
      h("thead", {}, h("tr", {}, ["Who", "Where", "Since", "Trail (latest last)"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, people.map(([person, at]) => h("tr", { dataset: { character: person, place: at.place, within: ancestors(at.place, parents).join(" ") } },
        h("td", {}, ctx.link(person)),
        h("td", {}, ancestors(at.place, parents).map((p, i) => [i ? ", " : "", NLMG.label(p)])),
        h("td", {}, ctx.chapterLink(at.chapter, `chapter ${at.chapter}`), " ", ctx.link(at.event, "(event)")),
        h("td", { class: "trail" }, at.trail.length > 6 ? "… → " : "", at.trail.slice(-6).map((p, i) => [i ? " → " : "", NLMG.label(p)]))))));
    section.append(h("div", { class: "places-layout" },
      h("div", {}, h("h3", {}, "The places"), tree(ctx, chapter, selected, here, (id) => go({ place: id }))),
      h("div", {}, detail, h("h3", {}, "Where everyone is"), h("div", { class: "table-scroll" }, table),
        h("h3", {}, "Events per place per part"), h("div", { class: "table-scroll" }, countsTable(chapter, counts(chapter))))));
    root.append(section);
  }

  NLMG.places = { whereabouts, counts, eventsAt, parentsAt };
  NLMG.registerView({ id: "places", title: "Places", order: 45, render });
})();
