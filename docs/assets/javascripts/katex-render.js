// Render the formulas with the KaTeX files served by the site itself (no CDN), loaded
// only on pages that have math (formulas from arithmatex, or a lab's Markdown cells):
// a page without math does not pay for KaTeX's script, styles and fonts. Material's
// instant navigation swaps page content without a reload, so render on its document$
// observable rather than on DOMContentLoaded.
(() => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const root = new URL(config.base, location); // the site's root
  let ready = null;

  function script(path) {
    return new Promise((resolve, reject) => {
      const element = document.createElement("script");
      element.src = new URL(path, root).href;
      element.onload = resolve;
      element.onerror = reject;
      document.head.append(element);
    });
  }

  function load() {
    ready ??= (() => {
      const style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = new URL("assets/katex/katex.min.css", root).href;
      document.head.append(style);
      return script("assets/katex/katex.min.js").then(() =>
        script("assets/katex/contrib/auto-render.min.js"),
      );
    })();
    return ready;
  }

  document$.subscribe(async ({ body }) => {
    if (!body.querySelector(".arithmatex, .jp-MarkdownCell")) return;
    await load();
    renderMathInElement(body, {
      delimiters: [
        { left: "$$", right: "$$", display: true },
        { left: "$", right: "$", display: false },
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
      throwOnError: false,
    });
  });
})();
