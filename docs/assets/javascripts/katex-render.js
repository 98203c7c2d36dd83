// Render every formula with the KaTeX files served by the site itself (no CDN).
// Material's instant navigation swaps page content without a reload, so render
// on its document$ observable rather than on DOMContentLoaded.
document$.subscribe(({ body }) => {
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
