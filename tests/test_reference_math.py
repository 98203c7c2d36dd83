r"""The API reference typesets the formulas of the docstrings (issue 18).

mkdocstrings renders a docstring with the site's Markdown extensions, so a formula
written between single dollars, ``$v_t = \beta v_{t-1} + (1 - \beta)\,\theta_t$``,
becomes arithmatex math (``<span class="arithmatex">\(...\)</span>``) that KaTeX draws
in the browser; written as plain text, ``v_t = beta v_{t-1} + ...``, it stays plain
text. The checks of the docstrings themselves need no site: a docstring with a
backslash is a raw string (in a plain string ``\b`` is a backspace), its math is
well formed and its prose holds no plain-text formula. The checks of the built
reference (the ``site`` fixture of ``tests/conftest.py``) look at its pages in both
languages: the formulas are there as math, and the prose around them has none left
as plain text.
"""

from __future__ import annotations

import ast
import functools
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hooks.api_links import MODULES, separate_pages
from hooks.pages import ROOT

PACKAGE = ROOT / "handbook"
LANGUAGES = ("", "zh/")  # the English reference, and the Chinese one

# Formulas written as plain text, as the docstrings had them before they were math:
# each pattern finds one kind, and none matches the prose that is meant (parameter
# names, shapes such as (batch, n_in), ranges such as [0, 1), code names).
PLAIN_FORMULA = {
    "a subscript in braces (v_{t-1})": r"\b[A-Za-z]_\{",
    "a one-letter subscript (v_t, p_k, t_ik)": r"\b[a-z]_(?:[a-z0-9]|ik)\b",
    "a Greek letter with a subscript (theta_1)": r"\b(?:theta|beta|sigma|alpha|lambd)_\w",
    "theta, which names no argument (J(theta + eps), sin(k theta))": r"\btheta\b",
    "a power (g^2, e^-z, beta^t, W^[l], X^{t})": r"\^(?:\d|-|\{|\[|[a-z]\b)",
    "a power in Python (10**r, base ** epoch)": r"\*\* ?[a-z]",
    "a norm (||dW||)": r"\|\|",
    "an absolute value (|z|)": r"\|[a-z]\|",
    "a square root (sqrt(6 / n_in))": r"\bsqrt\(",
    "a sum (sum_i, sum(e^z))": r"\bsum(?:_[a-z]|\()",
    "a logarithm (log K, log 2, log softmax, log(p))": r"\blog(?: [A-Z0-9]\b| softmax|\()",
    "a function of the math (Var(W), N(0, .), U(-r, r), KL(p || q))": r"\b(?:Var|KL|N|U)\(",
    "an elementary function (sigma(z), tanh(z), max(0, z), min(.), floor(.), sin(.))":
        r"\b(?:sigma|tanh|max|min|floor|sin)\(",
    "a derivative (dJ/dy, dJ/d(output))": r"\bd[A-Za-z]/d",
    "a product with a Greek letter or the rate (beta v, alpha z, lr g)":
        r"\b(?:beta|alpha|lr|lambd) (?:[a-z]|d[a-z])\b",
    "one minus a Greek letter (1 - beta, 1 - eps, 1 - tanh^2)": r"\b1 - (?:beta|eps|sigma|tanh)\b",
    "an update written as an assignment (w = w - lr g, cache = cache + g^2)": r"\b(?P<lhs>\w+) = (?P=lhs) [-+]",
    "an update in place (J += ...)": r"\b\w+ \+= ",
    "a learning rate's formula (lr = lr0 / ..., lr_t = ...)": r"\blr(?:_t)? = ",
    "a definition of a standardized value (x_norm = ..., x' = ...)": r"\bx_norm\b|\b[a-z]' = ",
    "the mean of a squared error or a cross-entropy ((1/m), (1/2m))": r"\(1/\d?m\)",
    "a penalty's factor (lambd / m)": r"\blambd / ",
    "a share of the smoothing (eps / (K - 1))": r"\beps / ",
    "a multiple of the initial rate (k * lr0)": r"\b[a-z] \* lr0\b",
    "a linear map (Z = X W + b)": r"\b[A-Z] = [A-Z] ?[A-Z] \+ ",
    "a one-letter symbol compared with 0 (z > 0, z <= 0)": r"\b[a-z] [<>]=? 0\b",
    "a bound on the step (t <= k)": r"\bt <= ",
    "a reciprocal of a code name (1 / keep_prob)": r"\b1 / [a-z]+_[a-z_]+\b",
    "numbered coordinates (x1 + x2)": r"\bx\d\b",
    "pi written out (2 pi)": r"\bpi\b",
    "a sequence (t = 1, 2, ...)": r"\b[a-z] = 1, 2, ",
    "a product of code names compared (share * m >= 1)": r"\b\w+ \* \w+ [<>]=",
}
PLAIN = re.compile("|".join(f"(?:{p})" for p in PLAIN_FORMULA.values()))

# Math the reference must typeset, in a few places where a page teaches the formula:
# the TeX source of each, as the docstring has it (and as arithmatex keeps it).
NAMED = {
    ("optim", "handbook.optim.ewma"): [
        r"v_t = \beta v_{t-1} + (1 - \beta)\,\theta_t",
        r"\hat v_t = v_t / (1 - \beta^t)",
        r"1 / (1 - \beta)",
        r"\theta_1, \theta_2, \dots",
    ],
    ("optim", "handbook.optim.RMSprop"): [
        r"S \leftarrow \beta S + (1 - \beta)\, g^2",
        r"W \leftarrow W - \alpha\, g / (\sqrt{S} + \epsilon)",
    ],
    ("optim", "handbook.optim.Adam"): [r"g^2"],
    ("optim", "handbook.optim.AdamW"): [
        r"W \leftarrow W - \alpha \cdot \text{weight\_decay} \cdot W",
    ],
    ("init", "handbook.init.he_normal"): [r"\operatorname{Var}(W) = 2 / n_\text{in}"],
    ("init", "handbook.init.xavier_normal"): [
        r"\operatorname{Var}(W) = 2 / (n_\text{in} + n_\text{out})",
    ],
    ("losses", "handbook.losses.SoftmaxCrossEntropy"): [
        r"J = -\frac{1}{m} \sum_i \sum_k t_{ik} \log \operatorname{softmax}(z_i)_k",
        r"1 - \epsilon",
        r"\epsilon / (K - 1)",
    ],
    ("losses", "handbook.losses.MeanSquaredError"): [
        r"J = \frac{1}{2m} \sum_i \lVert \hat y_i - y_i \rVert^2",
    ],
    ("layers", "handbook.layers.Sigmoid"): [
        r"\sigma(z) = 1 / (1 + e^{-z})",
        r"\sigma' = \sigma (1 - \sigma)",
    ],
    ("regularization", "handbook.regularization.L2"): [
        r"J \leftarrow J + \frac{\lambda}{2m} \sum_l \lVert W^{[l]} \rVert_F^2",
    ],
    ("schedules", "handbook.schedules.inverse_time"): [
        r"\alpha = \alpha_0 / (1 + \text{decay\_rate} \cdot \text{epoch})",
    ],
}

MATH = re.compile(r"\$([^$\n]*)\$")
CODE_SPAN = re.compile(r"``.*?``|`[^`\n]*`")
SECTION = re.compile(r"^(?:Args|Arguments|Attributes|Returns|Yields|Raises):$")
ENTRY = re.compile(r"^\s*(?:\*{0,2}\w+(?: \([^)]*\))?|\w+(?:\.\w+)*):(?= |$)")


# --- the docstrings, as the package holds them ---------------------------------------


@functools.cache
def docstrings(shown_only: bool = False) -> list[tuple[str, ast.Constant, str]]:
    """Every docstring of the package: (where, its node, its source text). With
    ``shown_only``, those the reference shows: of modules, and of their public
    classes, functions and methods (``__init__`` is merged into its class)."""
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        source = path.read_text(encoding="utf-8")

        def visit(node: ast.AST, where: str, source: str = source) -> None:
            body = getattr(node, "body", [])
            if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str)):
                found.append((where, body[0].value, ast.get_source_segment(source, body[0].value)))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and shown_only:
                return  # functions inside functions are not in the reference
            for child in body:
                if isinstance(child, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                    name = child.name
                    if shown_only and name.startswith("_") and name != "__init__":
                        continue
                    visit(child, f"{where}.{name}")

        visit(ast.parse(source), f"handbook.{path.stem}")
    return found


def prose(doc: str) -> str:
    """A docstring's text as the reference shows it outside code and math: without its
    code spans and formulas, and without the names that start an Args or Raises entry
    (the reference shows those in code)."""
    lines = []
    in_section = False
    for line in doc.splitlines():
        if SECTION.match(line.strip()):
            in_section = True
            continue
        if in_section and line.strip():
            line = ENTRY.sub("", line, count=1)
        lines.append(line)
    text = " ".join(lines)
    return MATH.sub(" ", CODE_SPAN.sub(" ", text))


def test_a_docstring_with_a_backslash_is_a_raw_string() -> None:
    r"""In a string that is not raw, Python reads the ``\b`` of ``\beta`` as a backspace:
    the formula would lose its backslash, and the import warns of invalid escapes such
    as ``\l``."""
    not_raw = []
    for where, _node, segment in docstrings():
        prefix = segment[: segment.index(segment.lstrip("rRbBuUfF")[0])]
        if "\\" in segment and "r" not in prefix.lower():
            not_raw.append(where)
    assert not_raw == [], "docstrings with a backslash that are not r-strings:\n" + "\n".join(not_raw)


def test_the_math_of_the_docstrings_is_well_formed() -> None:
    """Inline math only, one formula within one line, no space just inside the dollars
    (arithmatex reads ``$ x$`` as text), and no lone dollar that would pair with the
    next one."""
    problems = []
    for where, node, _segment in docstrings():
        for number, line in enumerate(node.value.splitlines(), start=node.lineno):
            if "$$" in line:
                problems.append(f"{where} (line {number}): display math: {line.strip()}")
            elif line.count("$") % 2:
                problems.append(f"{where} (line {number}): an unpaired $: {line.strip()}")
            for tex in MATH.findall(line):
                if not tex or tex != tex.strip():
                    problems.append(f"{where} (line {number}): space inside the dollars: ${tex}$")
    assert problems == [], "\n".join(problems)


def test_the_docstrings_hold_no_formula_as_plain_text() -> None:
    """The same check as the built reference's below, on the docstrings themselves."""
    found = [f"{where}: {match.group(0)!r} in {text[max(0, match.start() - 30): match.end() + 30]!r}"
             for where, node, _segment in docstrings(shown_only=True)
             for text in [prose(node.value)]
             for match in PLAIN.finditer(text)]
    assert found == [], "plain-text formulas (write them as $...$ math):\n" + "\n".join(found)


# --- the built reference ---------------------------------------------------------------


class ReferencePage(HTMLParser):
    """The article of a reference page: its math (the TeX of each arithmatex element) and
    its prose outside code, pre and math, each under the id of the object (the heading
    ``handbook.module.name``) whose documentation it is part of."""

    BLOCKS = {"p", "li", "td", "th", "dd", "dt", "div", "h1", "h2", "h3", "h4", "h5", "h6",
              "table", "tr", "ul", "ol", "details", "summary", "blockquote"}
    SKIPPED = {"code", "pre", "script", "style"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.math: dict[str, list[str]] = {}
        self.prose: list[tuple[str, str]] = []
        self.where = "the page"
        self.article = 0  # depth inside <article>
        self.stack: list[str] = []  # open tags inside the article
        self.skip_at: int | None = None  # the depth of the code, pre or math being skipped
        self.math_at: int | None = None
        self.tex: list[str] = []
        self.text: list[str] = []

    def flush(self) -> None:
        text = " ".join("".join(self.text).split())
        if text:
            self.prose.append((self.where, text))
        self.text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "article":
            self.article += 1
        if not self.article:
            return
        if tag in {"br", "hr", "img", "input", "meta", "link", "wbr"}:
            return
        self.stack.append(tag)
        classes = (attributes.get("class") or "").split()
        if re.fullmatch(r"h[2-6]", tag) and (attributes.get("id") or "").startswith("handbook."):
            self.flush()
            self.where = attributes["id"]
        if self.skip_at is None and "arithmatex" in classes:
            self.skip_at = self.math_at = len(self.stack)
            self.tex = []
            self.text.append(" ")  # a formula separates the words around it
        elif self.skip_at is None and tag in self.SKIPPED:
            self.skip_at = len(self.stack)
            self.text.append(" ")
        elif self.skip_at is None and tag in self.BLOCKS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if not self.article:
            return
        if tag == "article":
            self.flush()
            self.article -= 1
            return
        if tag not in self.stack:
            return
        while self.stack:  # close what the end tag closes (and anything left open in it)
            depth = len(self.stack)
            closed = self.stack.pop()
            if self.skip_at == depth:
                if self.math_at == depth:
                    tex = "".join(self.tex).strip()
                    if tex.startswith(r"\(") and tex.endswith(r"\)"):
                        tex = tex[2:-2]
                    self.math.setdefault(self.where, []).append(tex)
                    self.math_at = None
                self.skip_at = None
            if closed == tag:
                break
        if self.skip_at is None and tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.article:
            return
        if self.math_at is not None:
            self.tex.append(data)
        elif self.skip_at is None:
            self.text.append(data)


@functools.cache
def reference_page(site: Path, language: str, module: str) -> ReferencePage:
    path = site / language / "reference" / module / "index.html"
    assert path.exists(), f"no reference page {path.relative_to(site)}"
    page = ReferencePage()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def math_under(page: ReferencePage, name: str) -> list[str]:
    """The formulas of an object's documentation and of its members'."""
    return [tex for where, formulas in page.math.items()
            if where == name or where.startswith(name + ".") for tex in formulas]


@pytest.mark.parametrize("language", LANGUAGES, ids=["en", "zh"])
@pytest.mark.parametrize(("module", "name"), list(NAMED), ids=[name for _, name in NAMED])
def test_the_reference_typesets_the_formulas_a_page_teaches(
        site: Path, language: str, module: str, name: str) -> None:
    page = reference_page(site, language, module)
    shown = math_under(page, name)
    missing = [tex for tex in NAMED[module, name] if tex not in shown]
    assert missing == [], f"{language}reference/{module}: {name} shows no math {missing}; it has {shown}"


@pytest.mark.parametrize("language", LANGUAGES, ids=["en", "zh"])
@pytest.mark.parametrize("module", MODULES)
def test_every_formula_of_a_docstring_is_math_in_the_reference(
        site: Path, language: str, module: str) -> None:
    """Each ``$...$`` of a docstring the reference shows is an arithmatex element of
    its page, under the object it documents, with its TeX as written."""
    missing = []
    for where, node, _segment in docstrings(shown_only=True):
        if where != f"handbook.{module}" and not where.startswith(f"handbook.{module}."):
            continue
        owner = where.removesuffix(".__init__")
        top = owner.split(".")[2] if owner.count(".") >= 2 else ""
        page = reference_page(site, language, separate_pages().get((module, top), module))
        if owner == f"handbook.{module}":
            shown = [tex for formulas in page.math.values() for tex in formulas]
        else:
            shown = math_under(page, owner)
        missing += [f"{where}: ${tex}$" for tex in MATH.findall(node.value) if tex not in shown]
    assert missing == [], f"{language}reference/{module}: not typeset as math:\n" + "\n".join(missing)


@pytest.mark.parametrize("language", LANGUAGES, ids=["en", "zh"])
def test_no_formula_is_left_as_plain_text_in_the_reference(site: Path, language: str) -> None:
    found = []
    for module in (*MODULES, *sorted(set(separate_pages().values()))):
        for where, text in reference_page(site, language, module).prose:
            for match in PLAIN.finditer(text):
                context = text[max(0, match.start() - 30): match.end() + 30]
                found.append(f"{language}reference/{module}: {where}: {match.group(0)!r} in {context!r}")
    assert found == [], "plain-text formulas (write them as $...$ math):\n" + "\n".join(found)
