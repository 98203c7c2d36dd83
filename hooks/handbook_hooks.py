"""MkDocs hooks of the handbook site.

* Before each build, forget the imported ``handbook`` modules, so that
  ``mkdocs serve`` runs the pages' code against the package as it is now.
* Before each page is rendered, tell the plotting helpers the page's language,
  so that a figure drawn at build time by markdown-exec carries labels in the
  language of the page, from code that is identical in both languages.
"""

from __future__ import annotations

import os
import sys

from mkdocs.plugins import event_priority


def on_pre_build(config, **kwargs) -> None:
    for name in [m for m in sys.modules if m == "handbook" or m.startswith("handbook.")]:
        del sys.modules[name]


@event_priority(-200)  # after mkdocs-static-i18n has assigned each file its locale
def on_page_markdown(markdown: str, page, config, files) -> str:
    language = getattr(page.file, "locale", None) or "en"
    os.environ["HANDBOOK_LANG"] = language
    import handbook.plot

    handbook.plot.set_language(language)
    return markdown
