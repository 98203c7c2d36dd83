"""The numbers a page's prose quotes, and whether the page's own code printed them.

A page may state a result only if its code prints it. This module finds the numbers
in a page's prose (outside code, math, links' targets, headings, HTML comments and the
further-reading section) and the numbers its code prints (doctest outputs in the page
text, and what its ``exec="on"`` blocks print, figures left out), and pairs them.

A prose number is backed when some printed number, rounded to the prose number's
precision, reads the same: the prose may say 0.23 or 23 % for a printed 0.231, but
not 0.24. Constants that define a setting (a rate of $0.1$, $20$ epochs) belong in
math or code, where they are not read as results; single-digit integers, years and
numbers glued to a name (float32, L2, CIFAR-10) are not read as results either, nor
is the number of a display formula the prose refers to ("equation (12)", "式 (12)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path

from hooks.fences import blank_fences, fences

FURTHER_READING = re.compile(r"^##[ \t]+(Further reading|延伸阅读)[ \t]*$.*", re.MULTILINE | re.DOTALL)
HIDDEN = [
    re.compile(r"\A---\n.*?\n---[ \t]*\n", re.DOTALL),             # front matter
    re.compile(r"<(\w+)\b[^>]*\blang=\"en\"[^>]*>.*?</\1>", re.DOTALL),  # English on purpose
    re.compile(r"\{[ \t]*[.#][^}\n]*\}"),                          # attribute lists
    re.compile(r"^///[ \t]*(?:\w+(?:[ \t]*\|.*)?)?$", re.MULTILINE),  # /// caption, /// solution | …
    re.compile(r"<!--.*?-->", re.DOTALL),                       # comments (skip directives)
    re.compile(r"\$\$.*?\$\$", re.DOTALL),                      # display math
    re.compile(r"(?<![\\$])\$(?!\s)[^$\n]+?(?<![\s\\])\$(?!\d)"),  # inline math
    re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL),        # inline code
    re.compile(r"\]\([^)]*\)"),                                 # link targets
    re.compile(r"\]\[[^\]]*\]"),                                # reference links
    re.compile(r"^[ \t]*\[[^\]]+\]:.*$", re.MULTILINE),         # link definitions
    re.compile(r"^#{1,6}[ \t].*$", re.MULTILINE),               # headings
    # mkdocstrings directives, with their indented options
    re.compile(r"^:::[ \t].*$(?:\n[ \t]+.*$)*", re.MULTILINE),
    re.compile(r"<[^>\n]+>"),                                   # HTML tags
    re.compile(r'^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+\w+(?:[ \t]+"[^"]*")?', re.MULTILINE),  # admonition titles
    re.compile(r"\b(?:Python|NumPy|PyTorch|MkDocs|OpenBLAS)[ \t]+\d+(?:\.\d+)+"),  # versions
    # references to a numbered display formula (\tag{n}): "equation (2)",
    # "equations (1) and (2)", "式 (2)"; the number names a formula, it is no result
    re.compile(r"\b[Ee]quations?\s+\(\d+\)(?:(?:\s*,\s*|\s+(?:and|or|to)\s+)\(\d+\))*"),
    re.compile(r"式\s*[(（]\d+[)）]"),
]
NUMBER = re.compile(
    r"(?<![A-Za-z0-9_.\-/^])"
    r"(?P<sign>[-−])?"
    r"(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<fraction>\.\d+)?"
    r"(?P<exponent>[eE][-+−]?\d+)?"
    r"(?P<unit>[ \t\u00a0\u202f]?%)?"
    r"(?![A-Za-z0-9_]|\.\d|[-/^]\d|,\d{3})"
)
PRINTED = re.compile(r"[-−]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class ProseNumber:
    text: str        # as written, e.g. "56 %"
    value: Decimal   # as a fraction where written as a percentage: 56 % -> 0.56
    places: int      # decimal places of ``value`` as written (56 % -> 2, 0.231 -> 3)
    line: int


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace("−", "-").replace(",", ""))


def prose_text(page_text: str) -> str:
    """The page with code, math, link targets, headings, comments and further reading blanked.

    Blanked text keeps its newlines, so line numbers stay those of the page.
    """
    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    text = blank_fences(page_text)
    text = FURTHER_READING.sub(blank, text)
    for pattern in HIDDEN:
        text = pattern.sub(blank, text)
    return text


def prose_numbers(page_text: str) -> list[ProseNumber]:
    """The numbers of the prose that state a result."""
    found = []
    text = prose_text(page_text)
    for match in NUMBER.finditer(text):
        digits, fraction, exponent = match["digits"], match["fraction"] or "", match["exponent"] or ""
        if not fraction and not exponent and not match["unit"]:
            whole = int(digits.replace(",", ""))
            if whole < 10 or (1900 <= whole <= 2099 and "," not in digits):
                continue
        try:
            value = _decimal((match["sign"] or "") + digits + fraction + exponent)
        except InvalidOperation:
            continue
        places = -int(value.as_tuple().exponent)
        if match["unit"]:
            value, places = value / 100, places + 2
        line = page_text.count("\n", 0, match.start()) + 1
        found.append(ProseNumber(match.group(0).strip(), value, places, line))
    return found


def doctest_outputs(page_text: str) -> list[str]:
    """The expected outputs written in the page's doctest blocks."""
    outputs = []
    for fence in fences(page_text):
        body = fence.body
        if not body.lstrip().startswith(">>>"):
            continue
        outputs.extend(line for line in body.split("\n")
                       if not line.lstrip().startswith((">>>", "...")) or line.strip() == "...")
    return outputs


def printed_numbers(outputs: list[str]) -> list[Decimal]:
    """Every number in the given printed outputs, figures (inline SVG) left out."""
    numbers = []
    for output in outputs:
        for match in PRINTED.finditer(SVG.sub(" ", output)):
            try:
                numbers.append(_decimal(match.group(0).rstrip(".")))
            except InvalidOperation:
                continue
    return numbers


def backed(number: ProseNumber, printed: list[Decimal]) -> bool:
    """Whether a printed number, rounded to the prose number's precision, is the prose number."""
    quantum = Decimal(1).scaleb(-number.places)
    for candidate in printed:
        for value in (candidate, candidate / 100):
            # (a printed percentage, 56.1 %, is read by the prose as 0.561 or 56 %)
            try:
                if value.quantize(quantum, rounding=ROUND_HALF_EVEN) == number.value:
                    return True
            except InvalidOperation:
                continue
    return False


def unbacked(page: Path, exec_outputs: list[str]) -> list[ProseNumber]:
    """The prose numbers of ``page`` that nothing it prints backs."""
    text = page.read_text(encoding="utf-8")
    printed = printed_numbers(doctest_outputs(text) + exec_outputs)
    return [number for number in prose_numbers(text) if not backed(number, printed)]


def lab_unbacked(markdown: str, outputs: list[str]) -> list[ProseNumber]:
    """The numbers of a lab's text cells that none of its executed cells' outputs backs."""
    printed = printed_numbers(outputs)
    return [number for number in prose_numbers(markdown) if not backed(number, printed)]


def lab_text_and_outputs(executed: Path, lab: Path) -> tuple[str, list[str]]:
    """A lab's text cells, and what the cells of its executed notebook printed."""
    import jupytext
    import nbformat

    markdown = "\n\n".join(c.source for c in jupytext.read(lab).cells if c.cell_type == "markdown")
    outputs = []
    for cell in nbformat.read(executed, as_version=4).cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                outputs.append(output["text"])
            elif "text/plain" in output.get("data", {}):
                outputs.append(output["data"]["text/plain"])
    return markdown, outputs
