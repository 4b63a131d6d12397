/* The relationship map: one vis-network for the whole app, with modes (relationships, shared scenes, everything),
 * a part filter and an ego view, a legend, filters, a find box and a side panel. Shapes and dashes carry meaning
 * as well as colours. */
"use strict";

(() => {
  const { payload, visibleAt, h, link } = NLMG;
  const style = payload.meta.style;
  const MODES = { relationships: "Relationships", scenes: "Shared scenes", everything: "Everything" };
  const typeIndex = [...new Set(payload.edges.filter((e) => e.kind === "relationship").map((e) => e.versions[0].type))].sort();
  const typeColour = (type) => style.palette[typeIndex.indexOf(type) % style.palette.length];
  let network = null;
  let container = null;
  let nodeSet = null;
  let edgeSet = null;
  const filters = { hiddenKinds: new Set(["theme"]), hiddenTypes: new Set() };
  const timing = { started: performance.now(), drawn: null, stabilized: null };
  window.nlmgTiming = timing;

  const inPart = (chapters, part) => !part || (chapters || []).some((c) => c >= part[0] && c <= part[1]);

  function coPresence(chapter, part) {
    const present = new Map();
    for (const edge of payload.edges) {
      if (edge.kind !== "participant") continue;
      const s = visibleAt(edge, chapter);
      if (!s || s.role === "mentioned") continue;
      const event = visibleAt(NLMG.node(edge.from), chapter);
      const person = NLMG.node(edge.to);
      if (!event || !visibleAt(person, chapter) || person.kind !== "character" || !inPart(event.chapters, part)) continue;
      if (!present.has(edge.from)) present.set(edge.from, new Set());
      present.get(edge.from).add(edge.to);
    }
    const pairs = new Map();
    for (const [event, people] of present) {
      const list = [...people].sort();
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const id = `${list[i]}|${list[j]}|co`;
          if (!pairs.has(id)) pairs.set(id, { id, from: list[i], to: list[j], kind: "co-participation", events: [] });
          pairs.get(id).events.push(event);
        }
      }
    }
    return [...pairs.values()];
  }

  /** The nodes and edges the map shows at `chapter` in a mode: only what visibleAt shows. */
  function visibleGraph(chapter, params) {
    const mode = MODES[params.mode] ? params.mode : "relationships";
    const part = params.part ? payload.meta.parts[params.part] : null;
    const nodes = new Map();
    for (const n of payload.nodes) {
      const s = visibleAt(n, chapter);
      if (!s) continue;
      if (mode !== "everything" && n.kind !== "character") continue;
      if (mode === "everything" && filters.hiddenKinds.has(n.kind)) continue;
      if (mode === "everything" && (n.kind === "event" || n.kind === "belief") && !inPart(s.chapters, part)) continue;
      nodes.set(n.id, { item: n, state: s });
    }
    let edges = [];
    if (mode === "scenes") {
      edges = coPresence(chapter, part).map((e) => ({ item: e, state: { weight: e.events.length } }));
    } else {
      for (const e of payload.edges) {
        const s = visibleAt(e, chapter);
        if (!s || !nodes.has(e.from) || !nodes.has(e.to)) continue;
        if (mode === "relationships" && e.kind !== "relationship") continue;
        if (e.kind === "relationship" && (filters.hiddenTypes.has(s.type) || !inPart(s.chapters, part))) continue;
        edges.push({ item: e, state: s });
      }
    }
    if (params.ego && nodes.has(params.ego)) {  // as graph.queries.ego_network: one step away, with the ties among them
      const keep = new Set([params.ego]);
      edges.forEach((e) => { if (e.item.from === params.ego) keep.add(e.item.to); if (e.item.to === params.ego) keep.add(e.item.from); });
      edges = edges.filter((e) => keep.has(e.item.from) && keep.has(e.item.to));
      for (const id of [...nodes.keys()]) if (!keep.has(id)) nodes.delete(id);
    }
    return { mode, nodes, edges };
  }

  function tooltip(n, s) {
    return h("div", { class: "tip" }, h("b", {}, s.label), ` (${n.kind})`, s.alt_labels && s.alt_labels.length ? h("div", {}, `also: ${s.alt_labels.join(", ")}`) : null,
      s.groups && s.groups.length ? h("div", {}, s.groups.join(", ")) : null, s.description ? h("div", { class: "desc" }, s.description) : null);
  }

  function edgeTooltip(e, s, from, to) {
    if (e.kind === "relationship") {
      return h("div", { class: "tip" }, h("b", {}, `${from} → ${s.type_label} → ${to}`), h("div", {}, `chapters ${s.chapters.join(", ")}`),
        h("div", {}, `status: ${s.status || "stated"}`), s.description ? h("div", { class: "desc" }, s.description) : null);
    }
    if (e.kind === "co-participation") return h("div", { class: "tip" }, h("b", {}, `${from} and ${to}`), h("div", {}, `${s.weight} shared event(s)`));
    return h("div", { class: "tip" }, `${from} — ${style.links[e.kind] || e.kind}${s.role ? ` (${s.role})` : ""} — ${to}`);
  }

  function degreeSizes(graph) {
    const degree = new Map();
    graph.edges.forEach((e) => { for (const id of [e.item.from, e.item.to]) degree.set(id, (degree.get(id) || 0) + 1); });
    return degree;
  }

  function visNode(entry, degree) {
    const { item: n, state: s } = entry;
    const kindStyle = style.kinds[n.kind];
    const colour = n.kind === "character" && s.groups && s.groups.length ? style.groups[s.groups[0]] || kindStyle.colour : kindStyle.colour;
    const size = n.kind === "character" ? 10 + 4 * Math.sqrt(degree.get(n.id) || 0) : 9;
    const linked = (degree.get(n.id) || 0) > 0;  // a node with no link shown keeps its seeded place in the row beneath
    return { id: n.id, ...n.vis, physics: linked && n.vis.physics, label: s.label, title: tooltip(n, s), color: colour, size };
  }

  function visEdge(entry, graph) {
    const { item: e, state: s } = entry;
    const from = graph.nodes.get(e.from).state.label;
    const to = graph.nodes.get(e.to).state.label;
    const base = { id: e.id, from: e.from, to: e.to, ...(e.vis || {}), title: edgeTooltip(e, s, from, to) };
    if (e.kind === "relationship") {
      return { ...base, label: s.type_label, color: typeColour(s.type), dashes: style.uncertain.includes(s.status) };
    }
    if (e.kind === "co-participation") return { ...base, width: 1 + Math.min(s.weight, 12) * 0.6, color: "#7a8088", arrows: "" };
    return { ...base, color: "#9aa0a6", dashes: e.kind === "held_by" || e.kind === "about" };
  }

  function sync(set, items) {
    const wanted = new Set(items.map((i) => i.id));
    set.remove(set.getIds().filter((id) => !wanted.has(id)));
    set.update(items);
  }

  function draw(graph, mode) {
    const degree = degreeSizes(graph);
    const nodes = [...graph.nodes.values()].map((entry) => visNode(entry, degree));
    const edges = graph.edges.map((entry) => visEdge(entry, graph));
    if (!network) {
      container = h("div", { id: "network", role: "img", "aria-label": "Relationship map: use the lists beside it to explore with the keyboard" });
      nodeSet = new vis.DataSet(nodes);
      edgeSet = new vis.DataSet(edges);
      network = new vis.Network(container, { nodes: nodeSet, edges: edgeSet }, payload.options[mode === "everything" ? "crowded" : "default"]);
      network.once("stabilizationIterationsDone", () => {
        network.setOptions({ physics: false });
        timing.stabilized = performance.now();
        document.body.dataset.stabilized = "true";
      });
      network.on("click", (p) => { if (p.nodes.length) NLMG.navigate("map", { ...NLMG.state.params, focus: p.nodes[0] }); });
      network.currentMode = mode;
      return;
    }
    if (network.currentMode !== mode) {
      network.setOptions({ ...payload.options[mode === "everything" ? "crowded" : "default"], physics: { enabled: true } });
      network.currentMode = mode;
      network.once("stabilizationIterationsDone", () => network.setOptions({ physics: false }));
    }
    sync(nodeSet, nodes);
    sync(edgeSet, edges);
  }

  function select(labelText, name, options, value, onChange) {
    const id = `map-${name}`;
    return h("div", { class: "field" }, h("label", { for: id }, labelText),
      h("select", { id, onchange: (e) => onChange(e.target.value) }, options.map(([v, text]) => h("option", { value: v, selected: v === value }, text))));
  }

  function controls(ctx, graph) {
    const params = ctx.params;
    const go = (change) => NLMG.navigate("map", Object.fromEntries(Object.entries({ ...params, ...change }).filter(([, v]) => v)));
    const characters = payload.nodes.filter((n) => n.kind === "character" && visibleAt(n)).map((n) => [n.id, visibleAt(n).label]).sort((a, b) => a[1].localeCompare(b[1]));
    const parts = Object.entries(payload.meta.parts).filter(([, range]) => range[0] <= ctx.chapter);
    const types = new Map();
    payload.edges.forEach((e) => { const s = e.kind === "relationship" && visibleAt(e); if (s) types.set(s.type, s.type_label); });
    const box = h("div", { class: "map-controls" },
      select("Show", "mode", Object.entries(MODES), graph.mode, (v) => go({ mode: v })),
      select("Part", "part", [["", "the whole book so far"], ...parts.map(([n, r]) => [n, `Part ${n} (chapters ${r[0]}–${Math.min(r[1], ctx.chapter)})`])], params.part || "", (v) => go({ part: v })),
      select("Around", "ego", [["", "everyone"], ...characters], params.ego || "", (v) => go({ ego: v })));
    if (graph.mode === "everything") {
      box.append(h("fieldset", {}, h("legend", {}, "Kinds"), Object.keys(style.kinds).map((kind) => h("label", { class: "check" },
        h("input", { type: "checkbox", checked: !filters.hiddenKinds.has(kind), onchange: (e) => { e.target.checked ? filters.hiddenKinds.delete(kind) : filters.hiddenKinds.add(kind); go({}); } }),
        h("span", { class: `shape shape-${style.kinds[kind].shape}`, style: `background:${style.kinds[kind].colour}` }), kind))));
    }
    if (graph.mode !== "scenes" && types.size) {
      box.append(h("fieldset", {}, h("legend", {}, "Relationship types"), [...types].sort((a, b) => a[1].localeCompare(b[1])).map(([type, text]) => h("label", { class: "check" },
        h("input", { type: "checkbox", checked: !filters.hiddenTypes.has(type), onchange: (e) => { e.target.checked ? filters.hiddenTypes.delete(type) : filters.hiddenTypes.add(type); go({}); } }),
        h("span", { class: "line", style: `border-color:${typeColour(type)}` }), text))));
    }
    return box;
  }

  function legend(graph) {
    const groups = new Set();
    graph.nodes.forEach((e) => { if (e.item.kind === "character" && e.state.groups && e.state.groups[0]) groups.add(e.state.groups[0]); });
    const kinds = new Set([...graph.nodes.values()].map((e) => e.item.kind));
    return h("div", { class: "legend", "aria-label": "Legend" }, h("b", {}, "Legend"),
      [...kinds].map((k) => h("span", {}, h("span", { class: `shape shape-${style.kinds[k].shape}`, style: `background:${style.kinds[k].colour}` }), `${k} (${style.kinds[k].shape})`)),
      [...groups].sort().map((g) => h("span", {}, h("span", { class: "shape shape-dot", style: `background:${style.groups[g] || style.kinds.character.colour}` }), g)),
      h("span", {}, h("span", { class: "line dashed" }), "dashed: rumour, disputed or shown false"),
      h("span", {}, "arrow: one-way; no arrow: mutual; label: the relationship type"));
  }

  function panel(ctx, graph) {
    const id = ctx.params.focus;
    const entry = id && graph.nodes.get(id);
    if (!entry) return h("aside", { class: "panel", "aria-label": "Details" }, h("p", { class: "muted" }, "Choose a name in the list or click a node to see who it is."));
    const s = entry.state;
    const links = graph.edges.filter((e) => e.item.from === id || e.item.to === id).map((e) => {
      const other = e.item.from === id ? e.item.to : e.item.from;
      const how = e.item.kind === "relationship" ? e.state.type_label : e.item.kind === "co-participation" ? `${e.state.weight} shared event(s)` : style.links[e.item.kind] || e.item.kind;
      return h("li", {}, `${how}: `, link(other));
    });
    return h("aside", { class: "panel", "aria-label": "Details" }, h("h2", {}, s.label), h("p", { class: "muted" }, entry.item.kind, s.groups && s.groups.length ? ` · ${s.groups.join(", ")}` : ""),
      s.description ? h("p", {}, s.description) : null, h("p", {}, link(id, `Open the card of ${s.label}`)),
      h("h3", {}, `Links shown (${links.length})`), links.length ? h("ul", {}, links) : h("p", { class: "muted" }, "none"));
  }

  function render(root, ctx) {
    const graph = visibleGraph(ctx.chapter, ctx.params);
    draw(graph, graph.mode);
    const names = [...graph.nodes.values()].sort((a, b) => a.state.label.localeCompare(b.state.label));
    const list = h("ul", { class: "node-list" }, names.map((e) => h("li", {}, h("a", { href: NLMG.route("map", { ...ctx.params, focus: e.item.id }) }, e.state.label))));
    const status = h("p", { class: "muted", id: "map-status" }, `${graph.nodes.size} shown, ${graph.edges.length} links`);
    root.append(h("div", { class: "map-layout" },
      h("div", { class: "map-side" }, h("h2", {}, "The map"), controls(ctx, graph), status, h("details", {}, h("summary", {}, "Everyone on the map, as a list"), list)),
      h("div", { class: "map-main" }, container, legend(graph)), panel(ctx, graph)));
    if (ctx.params.focus && graph.nodes.has(ctx.params.focus)) { network.selectNodes([ctx.params.focus]); } else network.unselectAll();
    if (!timing.drawn) timing.drawn = performance.now();
    window.nlmg = { network, nodeSet, edgeSet, visibleGraph, timing };
  }

  NLMG.registerView({ id: "map", title: "Map", order: 10, render });
})();
