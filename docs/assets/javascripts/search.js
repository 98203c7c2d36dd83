// The handbook's search: Pagefind's index, queried from a dialog opened by the header's
// magnifier (or "/" and "s"). Pagefind keeps one index per language and loads the one
// of the page's <html lang>, so results are in the language being read. Nothing loads
// before the first search: then Pagefind's script, and only the index fragments a
// query needs.
//
// A technique's own page comes first for its name: hooks/search.py writes
// pagefind/handbook-terms.json from the glossary (each term, its other rendering and
// its aliases, such as 批归一化 and BN, mapped to its page in each language), and a
// query that is one of those names puts that page first.
(() => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const root = new URL(config.base, location); // the site's root
  const bundle = new URL("pagefind/", root);
  const language = document.documentElement.lang === "zh" ? "zh" : "en";
  let engine = null;

  function normalized(query) {
    return query.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function load() {
    engine ??= (async () => {
      const pagefind = await import(new URL("pagefind.js", bundle).href);
      await pagefind.options({ baseUrl: root.pathname });
      await pagefind.init();
      const terms = await fetch(new URL("handbook-terms.json", bundle)).then((r) => r.json());
      return { pagefind, terms: terms[language] };
    })();
    return engine;
  }

  // The results for a query, best first: [{url, title, excerpt}], at most `count`.
  async function rank(query, count = 8) {
    const { pagefind, terms } = await load();
    const search = await pagefind.search(query);
    const found = await Promise.all(search.results.slice(0, 30).map((r) => r.data()));
    let results = found.map((data) => ({
      url: data.url,
      title: data.meta?.title ?? data.url,
      excerpt: data.excerpt,
    }));
    const own = terms[normalized(query)];
    if (own) {
      const url = new URL(own.url, root).pathname;
      const hit = results.find((r) => r.url === url) ?? { url, title: own.title, excerpt: "" };
      results = [hit, ...results.filter((r) => r !== hit)];
    }
    return results.slice(0, count);
  }
  window.handbookSearch = { rank };

  function dialog() {
    return document.getElementById("handbook-search");
  }

  // `query` is kept on the list, so a reader (or a test) typing fast can tell the
  // answer to the whole query from the answer to its first characters
  function show(results, query) {
    const list = dialog().querySelector(".handbook-search__results");
    list.dataset.query = query;
    list.replaceChildren(
      ...results.map((result) => {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = result.url;
        const title = document.createElement("span");
        title.className = "handbook-search__title";
        title.textContent = result.title;
        const excerpt = document.createElement("span");
        excerpt.className = "handbook-search__excerpt";
        // Pagefind's text of our own pages, with <mark>; it joins a page's blocks with
        // ". ", which after Chinese text reads as a stray Latin full stop
        excerpt.innerHTML = result.excerpt.replace(/([\u4e00-\u9fff\uff09])\. /g, "$1。");
        link.append(title, excerpt);
        item.append(link);
        return item;
      }),
    );
    dialog().querySelector(".handbook-search__status").textContent = results.length
      ? ""
      : dialog().dataset.none;
  }

  let latest = 0;
  async function update(query) {
    const asked = ++latest;
    const results = normalized(query) ? await rank(query) : [];
    if (asked === latest) show(results, query); // an older query's answer arrives late
  }

  async function open() {
    const element = dialog();
    if (!element || element.open) return;
    element.showModal();
    element.querySelector("input").focus();
    load();
  }

  document.addEventListener("click", (event) => {
    if (event.target.closest(".handbook-search-open")) open();
    else if (event.target.closest(".handbook-search-close")) dialog()?.close();
    else if (event.target === dialog()) dialog().close(); // a click on the backdrop
    else if (event.target.closest("#handbook-search a")) dialog()?.close(); // a result
  });
  document.addEventListener("input", (event) => {
    if (event.target.matches(".handbook-search__input")) update(event.target.value);
  });
  document.addEventListener("keydown", (event) => {
    if (event.target.matches?.(".handbook-search__input") && event.key === "Enter") {
      event.preventDefault();
      dialog().querySelector(".handbook-search__results a")?.click();
      return;
    }
    const typing = event.target.closest?.("input, textarea, select, [contenteditable]");
    if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && ["/", "s"].includes(event.key)) {
      event.preventDefault();
      open();
    }
  });
})();
