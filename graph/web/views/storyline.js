/* The storyline: each main character a line from left to right, lines together while their characters share an event
 * or a place, on two time axes (as told: chapters; as lived: story phases). The layouts are computed at build time by
 * graph/storyline.py, one per chapter and axis (payload.timespace.storyline); this view only draws the one for the reader's
 * chapter, so nothing after it can appear. Others are drawn on request as lanes of marks below the chart. */
"use strict";

(() => {
  const { payload, visibleAt, h } = NLMG;
  const SVG = "http://www.w3.org/2000/svg";
  const data = () => payload.timespace?.storyline || { width: 0, events: [], layouts: [] };
  const LANE = 20;

  /** An SVG element (attributes only; text goes through textContent, never markup). */
  function s(tag, attrs = {}, text = null) {
    const element = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs)) if (value !== null && value !== undefined) element.setAttribute(key, String(value));
    if (text !== null) element.textContent = text;
    return element;
  }

  /** The layout a reader at `chapter` may see, on `order`'s axis (null in a build that stops earlier). */
  function layoutAt(chapter, order) {
    return data().layouts.find((l) => l.visible_from === chapter && l.order === order) || null;
  }

  /** A line's points at every slice it spans, from its runs [slice, y, slice, y...] (as storyline_svg.line_points). */
  function points(layout, line) {
    const result = [];
    let k = 0;
    for (let i = line.runs[0]; i <= line.last; i++) {
      while (k + 2 < line.runs.length && line.runs[k + 2] <= i) k += 2;
      result.push([layout.xs[i], line.runs[k + 1]]);
    }
    return result;
  }

  /** The SVG path through `pts`: flat runs as H, changes as a cubic curve (as storyline_svg._path). */
  function path(pts) {
    const parts = [`M${pts[0][0]},${pts[0][1]}`];
    for (let i = 1; i < pts.length; i++) {
      const [x0, y0] = pts[i - 1];
      const [x1, y1] = pts[i];
      const middle = Math.floor((x0 + x1) / 2);
      parts.push(y0 === y1 ? `H${x1}` : `C${middle},${y0} ${middle},${y1} ${x1},${y1}`);
    }
    return parts.join("");
  }

  const eventId = (ref) => data().events[ref].id;
  const eventsOf = (slice) => slice.slice(3).map(eventId);

  /** Kathy's jumps back in the telling, so far: the slices marked in the strip, with their first event. */
  function jumps(layout) {
    return layout.slices.map((slice, i) => ({ i, slice })).filter(({ slice }) => slice[2] === 1).map(({ i, slice }) => {
      const event = eventsOf(slice)[0];
      return { i, event, chapter: visibleAt(NLMG.node(event)).first_chapter };
    });
  }

  function details(ctx, layout, index) {
    const slice = layout.slices[index];
    const items = eventsOf(slice).map((id) => {
      const state = visibleAt(NLMG.node(id), ctx.chapter);
      if (!state) return null;
      return h("li", { dataset: { event: id } }, ctx.link(id, state.label), " ", ctx.chapterLink(state.first_chapter, `(chapter ${state.first_chapter})`),
        state.description ? h("div", { class: "desc" }, state.description) : null,
        h("div", { class: "muted" }, h("a", { href: ctx.route("recap", { from: String(state.first_chapter) }) }, "in the story so far")));
    });
    const jump = slice[2] === 1 ? h("p", { class: "badge jump-note" }, "a jump back in time") : null;
    return [h("h3", {}, `Event ${index + 1} of ${layout.slices.length}`), jump, h("ul", { class: "events" }, items)].filter(Boolean);
  }

  function chart(ctx, layout, others, show) {
    const shown = layout.others.filter((o) => others.has(o.id) && visibleAt(NLMG.node(o.id)));
    const height = layout.height + (shown.length ? shown.length * LANE + 24 : 0);
    const svg = s("svg", { viewBox: `0 0 ${data().width} ${height}`, width: data().width, height, role: "group", "aria-labelledby": "storyline-svg-title", class: "storyline-chart" });
    svg.append(s("title", { id: "storyline-svg-title" }, layout.title));
    const axis = s("g", { class: "axis" });
    axis.append(s("text", { x: 8, y: 18, "font-weight": "bold" }, layout.order === "discourse" ? "chapter →" : "story phase →"));
    for (const tick of layout.axis) {
      axis.append(s("line", { x1: tick.x - 6, x2: tick.x - 6, y1: 38, y2: height - 24, stroke: "#e6e6e6" }));
      axis.append(s("text", { x: tick.anchor === "start" ? tick.x - 3 : data().width - 2, y: 18 + 13 * tick.row, "text-anchor": tick.anchor }, tick.text));
    }
    svg.append(axis);
    if (layout.order === "discourse") {
      const strip = s("g", { class: "jumps" });
      strip.append(s("text", { x: 8, y: 54 }, "jumps back"));
      for (const jump of jumps(layout)) {
        const mark = s("rect", { x: layout.xs[jump.i] - 3, y: 44, width: 6, height: 14, fill: "#333", "data-chapter": jump.chapter, "data-event": jump.event });
        mark.append(s("title", {}, `Jump back in time, chapter ${jump.chapter}: ${visibleAt(NLMG.node(jump.event)).label}`));
        strip.append(mark);
      }
      svg.append(strip);
    }
    const marks = s("g", { class: "events" });
    layout.slices.forEach((slice, i) => {
      const labels = eventsOf(slice).map((id) => { const st = visibleAt(NLMG.node(id)); return `${st.label} (chapter ${st.first_chapter})`; });
      const mark = s("rect", { x: layout.xs[i] - 4, y: slice[0], width: 8, height: slice[1] - slice[0], rx: 4, class: "slice", tabindex: -1, role: "button", "aria-label": labels.join("; "), "data-index": i, "data-events": eventsOf(slice).join(" ") });
      mark.append(s("title", {}, labels.join("\n")));
      mark.addEventListener("mouseenter", () => show(i, false));
      mark.addEventListener("focus", () => show(i, false));
      mark.addEventListener("click", () => show(i, true));
      marks.append(mark);
    });
    svg.append(marks);
    const lines = s("g", { class: "lines" });
    const labels = s("g", { class: "labels" });
    for (const line of layout.lines) {
      const label = NLMG.label(line.id) || line.id;
      const pts = points(layout, line);
      const stroke = s("path", { d: path(pts), stroke: line.colour, "data-character": line.id });
      stroke.append(s("title", {}, label));
      stroke.addEventListener("click", () => NLMG.navigate("cards", { id: line.id }));
      lines.append(stroke);
      if (line.completed) {
        const [x, y] = pts[pts.length - 1];
        const cross = s("path", { d: `M${x - 4},${y - 4}L${x + 4},${y + 4}M${x - 4},${y + 4}L${x + 4},${y - 4}`, stroke: "#222", "stroke-width": 2, class: "completion" });
        cross.append(s("title", {}, `${label}: completed`));
        lines.append(cross);
      }
      const anchor = s("a", { href: ctx.route("cards", { id: line.id }), "data-character": line.id });
      anchor.append(s("text", { x: line.text[0], y: line.text[1], "dominant-baseline": "middle", "text-anchor": line.text[2] === "s" ? "start" : "end" }, label));
      labels.append(anchor);
    }
    svg.append(lines, labels);
    const lanes = s("g", { class: "others" });
    shown.forEach((other, k) => {
      const y = layout.height + 12 + k * LANE;
      const label = NLMG.label(other.id);
      const xs = [];
      for (let j = 0; j < other.marks.length; j += 2) xs.push([layout.xs[other.marks[j]], eventId(other.marks[j + 1])]);
      lanes.append(s("line", { x1: xs[0][0], x2: xs[xs.length - 1][0], y1: y, y2: y, stroke: "#888", "stroke-dasharray": "4 3" }));
      for (const [x, id] of xs) {
        const dot = s("circle", { cx: x, cy: y, r: 4, fill: "#888", "data-event": id });
        dot.append(s("title", {}, `${label}: ${visibleAt(NLMG.node(id)).label}`));
        lanes.append(dot);
      }
      const anchor = s("a", { href: ctx.route("cards", { id: other.id }), "data-character": other.id });
      anchor.append(s("text", { x: xs[0][0] - 8, y, "dominant-baseline": "middle", "text-anchor": "end" }, label));
      lanes.append(anchor);
    });
    svg.append(lanes);
    return svg;
  }

  function render(root, ctx) {
    const order = ctx.params.order === "story" ? "story" : "discourse";
    const layout = layoutAt(ctx.chapter, order);
    const go = (change) => NLMG.navigate("storyline", Object.fromEntries(Object.entries({ ...ctx.params, ...change }).filter(([, v]) => v)));
    const section = h("section", { class: "storyline", "aria-labelledby": "storyline-title" }, h("h2", { id: "storyline-title" }, "Storyline: who is with whom"));
    root.append(section);
    if (!layout) { section.append(h("p", {}, "No storyline in this build.")); return; }
    const available = layout.others.filter((o) => visibleAt(NLMG.node(o.id))).map((o) => [o.id, NLMG.label(o.id)]).sort((a, b) => a[1].localeCompare(b[1]));
    const wanted = ctx.params.others === "all" ? new Set(available.map(([id]) => id)) : new Set((ctx.params.others || "").split(",").filter(Boolean));
    const toolbar = h("div", { class: "toolbar" },
      h("div", { class: "field" }, h("label", { for: "storyline-order" }, "Time axis"),
        h("select", { id: "storyline-order", onchange: (e) => go({ order: e.target.value }) },
          h("option", { value: "discourse", selected: order === "discourse" }, "as told (chapters)"),
          h("option", { value: "story", selected: order === "story" }, "as lived (story phases)"))),
      h("div", { class: "field" }, h("label", { for: "storyline-others" }, "Also show"),
        h("select", { id: "storyline-others", onchange: (e) => go({ others: e.target.value }) },
          h("option", { value: "" }, "the main characters only"),
          h("option", { value: "all", selected: ctx.params.others === "all" }, `everyone else too (${available.length})`),
          available.map(([id, text]) => h("option", { value: id, selected: ctx.params.others === id }, text)))));
    const told = jumps(layout);
    const summary = order === "discourse"
      ? h("p", { class: "muted", id: "storyline-jumps" }, told.length ? `Kathy's telling jumps back in time ${told.length} times so far, first in chapter ${told[0].chapter}; each jump is a dark mark in the strip under the chapters.` : "No jump back in time so far.")
      : h("p", { class: "muted", id: "storyline-jumps" }, "Events in the order they happened: by story phase, then as told.");
    const panel = h("aside", { class: "panel storyline-details", "aria-live": "polite" }, h("p", { class: "muted" }, "Hover over an event mark, or move along them with the arrow keys, for what happens; click a name for the character's card."));
    let current = 0;
    const show = (i, focus) => {
      current = i;
      panel.replaceChildren(...details(ctx, layout, i));
      for (const mark of svg.querySelectorAll(".slice")) mark.setAttribute("tabindex", Number(mark.dataset.index) === i ? "0" : "-1");
      if (focus) svg.querySelector(`.slice[data-index="${i}"]`).focus();
    };
    const svg = chart(ctx, layout, wanted, show);
    svg.querySelector(".slice")?.setAttribute("tabindex", "0");
    svg.addEventListener("keydown", (e) => {
      if (!e.target.classList?.contains("slice")) return;
      const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: -Infinity, End: Infinity }[e.key];
      if (step === undefined) return;
      e.preventDefault();
      show(Math.max(0, Math.min(layout.slices.length - 1, current + step)), true);
    });
    section.append(toolbar, summary, h("div", { class: "storyline-scroll" }, svg), panel);
  }

  NLMG.storyline = { layoutAt, points, jumps };
  NLMG.registerView({ id: "storyline", title: "Storyline", order: 35, render });
})();
