"""Link the package names that pages quote as inline code to the API reference.

`` `hb.fit` ``, `` `hb.optim.AdamW` ``, `` `handbook.layers.Dense` `` or
`` `hb.diagnose.checkup(model, ...)` `` on a page becomes a link to that object's
entry in the reference (``reference/<module>/#handbook.<module>.<name>``), in the
page's language. Inline code that is already a link, in a heading or in a code block
is left alone; a name the package does not define is not linked.
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


@lru_cache(maxsize=1)
def targets() -> dict[str, str]:
    """Every public dotted name, as written on a page, mapped to its place in the reference."""
    found: dict[str, str] = {}
    for short in MODULES:
        module = importlib.import_module(f"handbook.{short}")
        page = f"reference/{short}/"
        for prefix in ("hb", "handbook"):
            found[f"{prefix}.{short}"] = page
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
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


def link_api_names(html: str, page_url: str, language_prefix: str = "") -> str:
    """Wrap every known package name in inline code with a link relative to ``page_url``."""
    names = targets()
    here = posixpath.dirname("/" + page_url.rstrip("/") + "/index.html")

    def link(match: re.Match) -> str:
        target = names.get(match.group(1))
        if target is None:
            return match.group(0)
        path, _, anchor = target.partition("#")
        relative = posixpath.relpath("/" + language_prefix + path, here) + "/"
        return f'<a href="{relative}{"#" + anchor if anchor else ""}">{match.group(0)}</a>'

    pieces, position = [], 0
    for protected in PROTECTED.finditer(html):
        pieces.append(INLINE_NAME.sub(link, html[position:protected.start()]))
        pieces.append(protected.group(0))
        position = protected.end()
    pieces.append(INLINE_NAME.sub(link, html[position:]))
    return "".join(pieces)
