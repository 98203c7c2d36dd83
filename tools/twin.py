#!/usr/bin/env python3
"""Fill a Chinese page draft with the code blocks of its English twin, in order.

    python3 tools/twin.py docs/setting-up/splits.md draft.zh.md docs/setting-up/splits.zh.md

The draft holds a line ``<<CODE>>`` wherever the next code block goes, so the two
languages cannot drift apart in their code (tests/test_parity.py checks it anyway).
"""

import re
import sys
from pathlib import Path

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[^\n]*\n.*?^(?P=indent)(?P=fence)[ \t]*$",
                   re.MULTILINE | re.DOTALL)


def main(english: str, draft: str) -> str:
    blocks = [m.group(0) for m in FENCE.finditer(Path(english).read_text(encoding="utf-8"))]
    parts = Path(draft).read_text(encoding="utf-8").split("<<CODE>>")
    if len(parts) - 1 != len(blocks):
        sys.exit(f"{draft}: {len(parts) - 1} <<CODE>> markers for {len(blocks)} code blocks in {english}")
    return "".join(p + b for p, b in zip(parts, blocks)) + parts[-1]


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    text = main(sys.argv[1], sys.argv[2])  # exits on a mismatch before anything is written
    Path(sys.argv[3]).write_text(text, encoding="utf-8")
