// Keep the language switcher pointing at the twin of the page being shown.
// With instant navigation the header is not reloaded, so the links rendered for the
// first page would stay. The twin of <root>/<path>#section is <root>/zh/<path>#section and back.
// A change of language is a full page load (target="_self" tells Material's instant
// navigation to leave the link alone), so the header follows the language too.
(() => {
  const languages = ["zh"]; // every language but the default one, which lives at the root
  const config = JSON.parse(document.getElementById("__config").textContent);
  const root = new URL(config.base, location); // the site's root, resolved once at load

  document$.subscribe(() => {
    let path = location.pathname.slice(root.pathname.length);
    for (const language of languages) {
      if (path.startsWith(`${language}/`)) path = path.slice(language.length + 1);
    }
    for (const link of document.querySelectorAll("a.md-select__link[hreflang]")) {
      const language = link.getAttribute("hreflang");
      const prefix = languages.includes(language) ? `${language}/` : "";
      link.href = new URL(prefix + path, root).href;
      link.target = "_self";
      // Twin headings share their ids (hooks/anchors.py), and navigation.tracking keeps
      // the section being read in the address: the twin opens at the same section.
      link.onclick = () => {
        link.href = new URL(prefix + path + location.hash, root).href;
      };
    }
  });
})();
