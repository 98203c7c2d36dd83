"""Every public name of the package documents its interface, as the reference shows it.

The reference (mkdocstrings, Google style) renders a docstring's Args, Returns and Raises
sections; griffe, the parser it uses, reads them here the same way. A public function or
method documents each of its parameters under Args, what it returns under Returns (a
``-> None`` function and a property need none), and the exceptions it raises itself
under Raises. A class documents its constructor's parameters (in the class docstring
or in ``__init__``'s: the reference merges the two).
"""

from __future__ import annotations

import ast
import textwrap

import griffe
import pytest

from hooks.api_links import MODULES


def package() -> griffe.Module:
    return griffe.load("handbook", search_paths=["."], docstring_parser="google")


def sections(obj) -> dict[str, list]:
    """The parsed sections of a docstring, by kind ("parameters", "returns", "raises")."""
    if obj.docstring is None:
        return {}
    found: dict[str, list] = {}
    for section in obj.docstring.parse("google"):
        found.setdefault(section.kind.value, []).extend(
            section.value if isinstance(section.value, list) else [section.value])
    return found


def parameters(function) -> list[str]:
    return [p.name for p in function.parameters
            if p.name not in ("self", "cls") and not p.name.startswith("_")]


def raises_itself(function) -> bool:
    """Whether the function's own body has a ``raise`` with an exception (not a bare re-raise)."""
    tree = ast.parse(textwrap.dedent(function.source))
    if not tree.body:
        return False
    body = tree.body[0]
    nested = {id(n) for n in ast.walk(body) if n is not body and isinstance(
        n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))}
    inner = {id(m) for n in ast.walk(body) if id(n) in nested for m in ast.walk(n)}
    return any(isinstance(n, ast.Raise) and n.exc is not None and id(n) not in inner
               for n in ast.walk(body))


def returns_something(function) -> bool:
    annotation = str(function.returns) if function.returns is not None else ""
    if annotation in ("None", "NoReturn", "Iterator[None]"):
        return False
    if "property" in function.labels:
        return False
    tree = ast.parse(textwrap.dedent(function.source))
    if not tree.body:
        return bool(annotation)
    body = tree.body[0]
    return any(isinstance(n, (ast.Return, ast.Yield, ast.YieldFrom))
               and getattr(n, "value", None) is not None for n in ast.walk(body)) or bool(
        annotation)


def inherited(cls, method):
    """The method whose docstring the reference shows: its own, else (when it has none) that
    of the nearest base class defining it (griffe-inherited-docstrings)."""
    if method.docstring is not None:
        return method
    for base in cls.mro():
        member = base.members.get(method.name)
        if member is not None and not member.is_alias and member.docstring is not None:
            return member
    return method


def problems_of(function, where: str, documented_params: set[str] | None = None,
                signature=None) -> list[str]:
    """What ``function``'s docstring leaves out of ``signature``'s interface (default: its own)."""
    signature = signature or function
    found = sections(function)
    documented = {p.name for kind in ("parameters", "attributes") for p in found.get(kind, [])}
    documented |= documented_params or set()
    problems = [f"{where}: parameter {name!r} is not under Args"
                for name in parameters(signature) if name not in documented]
    if signature.name != "__init__" and returns_something(signature) \
            and not found.get("returns") and not found.get("yields"):
        problems.append(f"{where}: no Returns section")
    if raises_itself(signature) and not found.get("raises"):
        problems.append(f"{where}: raises, but no Raises section")
    return problems


def public(members: dict) -> list:
    return [m for name, m in members.items() if not name.startswith("_") and not m.is_alias]


@pytest.mark.parametrize("short", MODULES)
def test_every_public_function_and_class_documents_its_interface(
        short: str, caplog: pytest.LogCaptureFixture) -> None:
    """Also: griffe warns of nothing (an Args entry naming no parameter, a section it
    cannot read); the strict build would fail on the same warnings."""
    module = package()[short]
    problems: list[str] = []
    caplog.set_level("WARNING", logger="griffe")
    for obj in public(module.members):
        where = f"handbook.{short}.{obj.name}"
        if obj.is_function:
            problems += problems_of(obj, where)
        elif obj.is_class:
            init = obj.members.get("__init__")
            if init is not None and init.is_function:
                from_class = {p.name for kind in ("parameters", "attributes")
                              for p in sections(obj).get(kind, [])}
                problems += problems_of(init, where, from_class)
            for method in public(obj.members):
                if method.is_function:
                    problems += problems_of(inherited(obj, method), f"{where}.{method.name}",
                                            signature=method)
    problems += [f"griffe: {record.getMessage()}" for record in caplog.records
                 if record.name.startswith("griffe")]
    assert problems == [], f"{len(problems)} gaps:\n" + "\n".join(problems)
