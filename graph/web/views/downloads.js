/* The other outputs of the build: exports and rendered notebooks (listed by the build, never hidden files). */
"use strict";

(() => {
  const { payload, h } = NLMG;

  function render(root) {
    const files = payload.files || { exports: [], notebooks: [] };
    const list = (folder, names) => names.length ? h("ul", {}, names.map((name) => h("li", {}, h("a", { href: `${folder}/${name}` }, name)))) : h("p", { class: "muted" }, "none in this build");
    root.append(h("section", { "aria-labelledby": "files-title" }, h("h2", { id: "files-title" }, "Downloads"),
      payload.meta.max_chapter < payload.meta.chapters ? h("p", {}, `This build holds nothing told after chapter ${payload.meta.max_chapter}.`) : null,
      h("h3", {}, "The graph, as files"), list("exports", files.exports), h("h3", {}, "Notebooks"), list("notebooks", files.notebooks)));
  }

  NLMG.registerView({ id: "downloads", title: "Downloads", order: 90, render });
})();
