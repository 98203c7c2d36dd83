"""Link the package names that pages quote as inline code to the API reference.

`` `hb.fit` ``, `` `hb.optim.AdamW` ``, `` `handbook.layers.Dense` `` or
`` `hb.diagnose.checkup(model, ...)` `` on a page becomes a link to that object's
entry in the reference (``reference/<module>/#handbook.<module>.<name>``), in the
page's language; so does ``hb.optim.SGD(...)`` in a code block (the link changes no
character of the code, so the copy button copies the same). Inline code that is
already a link or in a heading is left alone; a name the package does not define is
not linked.
"""

from __future__ import annotations

import importlib
import inspect
import posixpath
import pkgutil
import re
from functools import lru_cache

import handbook

# Every public module of the package, found in the package itself: the one list (the
# reference pages, the nav and the reference index are tested against it).
MODULES = tuple(sorted(m.name for m in pkgutil.iter_modules(handbook.__path__)
                       if not m.name.startswith("_")))
INLINE_NAME = re.compile(r"<code>((?:hb|handbook)\.[A-Za-z_][\w.]*)(\([^<]*\))?</code>")
PROTECTED = re.compile(r"<a\b.*?</a>|<h[1-6]\b.*?</h[1-6]>|<pre\b.*?</pre>", re.DOTALL)


# A module's reference is one page, reference/<module>.md (``::: handbook.<module>``),
# unless it would be too long: then some of its objects are shown on a page of their
# own, one ``::: handbook.<module>.<Name>`` each (reference/layers-normalization.md),
# and left out of the module's page by its ``filters``.
OBJECT_DIRECTIVE = re.compile(r"^::: handbook\.(\w+)\.(\w+)\s*$", re.MULTILINE)


@lru_cache(maxsize=1)
def separate_pages() -> dict[tuple[str, str], str]:
    """(module, name) of each object shown apart from its module's page, mapped to the
    name of its page in docs/reference/."""
    from hooks.pages import ROOT

    found = {}
    for source in sorted((ROOT / "docs" / "reference").glob("*.md")):
        if source.name.endswith(".zh.md"):
            continue
        for short, name in OBJECT_DIRECTIVE.findall(source.read_text(encoding="utf-8")):
            found[(short, name)] = source.stem
    return found


@lru_cache(maxsize=1)
def targets() -> dict[str, str]:
    """Every public dotted name, as written on a page, mapped to its place in the reference."""
    found: dict[str, str] = {}
    for short in MODULES:
        module = importlib.import_module(f"handbook.{short}")
        module_page = f"reference/{short}/"
        for prefix in ("hb", "handbook"):
            found[f"{prefix}.{short}"] = module_page
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            page = f"reference/{separate_pages().get((short, name), short)}/"
            anchor = f"{page}#handbook.{short}.{name}"
            for prefix in ("hb", "handbook"):
                found[f"{prefix}.{short}.{name}"] = anchor
            if inspect.isclass(obj):
                for member in vars(obj):
                    if not member.startswith("_"):
                        for prefix in ("hb", "handbook"):
                            found[f"{prefix}.{short}.{name}.{member}"] = f"{anchor}.{member}"
    top = importlib.import_module("handbook")
    for name in top.__all__:
        obj = getattr(top, name)
        home = getattr(obj, "__module__", "") if not inspect.ismodule(obj) else obj.__name__
        short = home.removeprefix("handbook.")
        for dotted, target in list(found.items()):
            if dotted == f"hb.{short}.{name}" or dotted.startswith(f"hb.{short}.{name}."):
                found["hb." + dotted.removeprefix(f"hb.{short}.")] = target
    return found


# In a highlighted code block, hb.optim.SGD is the tokens hb . optim . SGD, each a span.
CODE_NAME = re.compile(
    r'<span class="n">(hb|handbook)</span>'
    r'((?:<span class="o">\.</span><span class="n[a-z]?">[A-Za-z_]\w*</span>)+)'
)
CODE_PART = re.compile(r'<span class="o">\.</span><span class="n[a-z]?">([A-Za-z_]\w*)</span>')


def link_api_names(html: str, page_url: str, language_prefix: str = "") -> str:
    """Wrap every known package name in inline code, and in code blocks, with a link
    relative to ``page_url``."""
    names = targets()
    here = posixpath.dirname("/" + page_url.rstrip("/") + "/index.html")

    def href(target: str) -> str:
        path, _, anchor = target.partition("#")
        relative = posixpath.relpath("/" + language_prefix + path, here) + "/"
        return relative + ("#" + anchor if anchor else "")

    def link(match: re.Match) -> str:
        target = names.get(match.group(1))
        if target is None:
            return match.group(0)
        return f'<a href="{href(target)}">{match.group(0)}</a>'

    def link_in_code(match: re.Match) -> str:
        """The longest known name the tokens spell (hb.optim.SGD of hb.optim.SGD.step)."""
        parts = list(CODE_PART.finditer(match.group(2)))
        for count in range(len(parts), 0, -1):
            target = names.get(".".join([match.group(1), *(p.group(1) for p in parts[:count])]))
            if target:
                end = match.start(2) - match.start() + parts[count - 1].end()
                linked, rest = match.group(0)[:end], match.group(0)[end:]
                return f'<a class="handbook-code-link" href="{href(target)}">{linked}</a>{rest}'
        return match.group(0)

    pieces, position = [], 0
    for protected in PROTECTED.finditer(html):
        pieces.append(INLINE_NAME.sub(link, html[position:protected.start()]))
        block = protected.group(0)
        pieces.append(CODE_NAME.sub(link_in_code, block) if block.startswith("<pre") else block)
        position = protected.end()
    pieces.append(INLINE_NAME.sub(link, html[position:]))
    return "".join(pieces)
