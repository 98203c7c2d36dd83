"""Collect every page of the handbook, in both languages, as pytest tests (see hooks/pages.py)."""

import os

import pytest

from hooks.blas import kernels, pin_kernels

pin_kernels()  # before anything imports NumPy: the pages' digits depend on OpenBLAS's kernels

from hypothesis import settings  # noqa: E402

from hooks.pages import covered_by_twin, make_sybil  # noqa: E402
from sybil.integration.pytest import SybilFile  # noqa: E402

pytest_plugins = ["pytester", "hooks.require_torch"]

# Property tests draw the same examples on every run: a failure is reproducible, never a fluke.
settings.register_profile("handbook", derandomize=True, deadline=None)
settings.load_profile("handbook")

SYBIL = make_sybil()


def pytest_collect_file(file_path, parent):
    """Every page and every lab, each a file of tests of its own (so that parallel runs,
    ``--dist loadfile``, hand each to one worker whole). Not collected: a Chinese page
    whose run would only repeat its English twin's (no figures, the same blocks and
    outputs: ``covered_by_twin``). With HANDBOOK_PAGES=en or zh, only that language's
    pages and labs (``dev.py test`` runs each under its own kernels)."""
    chinese = file_path.name.endswith((".zh.md", ".zh.py"))
    language = os.environ.get("HANDBOOK_PAGES")
    if language not in (None, "", "en", "zh"):
        raise pytest.UsageError(f"HANDBOOK_PAGES must be en or zh, not {language!r}")
    if language and chinese != (language == "zh") and is_page_or_lab(file_path):
        return None
    if file_path.suffix == ".py" and file_path.parent.name == "labs":
        return LabFile.from_parent(parent, path=file_path)
    if file_path.suffix != ".md" or not SYBIL.should_parse(file_path):
        return None
    run = not (chinese and covered_by_twin(file_path))
    return PageFile.from_parent(parent, path=file_path, sybils=[SYBIL] if run else [])


def is_page_or_lab(path) -> bool:
    return path.suffix == ".md" or (path.suffix == ".py" and path.parent.name == "labs")


class PageFile(SybilFile):
    """A page: each of its blocks, in order (Sybil), then the check that every number
    its prose states is printed by its code (``hooks/prose.py``). The check comes last
    in the same file, so it runs on the worker that ran the page, after it."""

    def collect(self):
        yield from super().collect()
        if "reference" not in self.path.relative_to(self.config.rootpath / "docs").parts:
            yield ProseItem.from_parent(self, name="every number in the prose is printed")


class ProseItem(pytest.Item):
    def runtest(self) -> None:
        from hooks.pages import cached_outputs, exec_fences
        from hooks.prose import unbacked

        outputs: list[str] | None = []
        if exec_fences(self.path.read_text(encoding="utf-8")):
            outputs = cached_outputs(self.path, partial=False)  # what this run printed
            if outputs is None:
                pytest.skip("the page's blocks did not all run and pass")
        missing = unbacked(self.path, outputs)
        where = self.path.relative_to(self.config.rootpath)
        assert not missing, "\n".join(
            f"{where}:{n.line}: {n.text!r} is printed nowhere on the page" for n in missing)

    def reportinfo(self):
        return self.path, 0, f"prose numbers of {self.path.name}"


class LabFile(pytest.File):
    """A lab (``docs/labs/*.py``): every cell runs in a Jupyter kernel, then every
    number its text states is printed by a cell."""

    def collect(self):
        yield LabItem.from_parent(self, name="every cell runs")
        yield LabProseItem.from_parent(self, name="every number in the text is printed")


class LabProseItem(pytest.Item):
    def runtest(self) -> None:
        from hooks.labs import executed_path
        from hooks.prose import lab_text_and_outputs, lab_unbacked

        executed = executed_path(self.path)
        if not executed.exists():
            pytest.skip("the lab did not run")
        missing = lab_unbacked(*lab_text_and_outputs(executed, self.path))
        where = self.path.relative_to(self.config.rootpath)
        assert not missing, "\n".join(f"{where}: {n.text!r} is printed by no cell" for n in missing)

    def reportinfo(self):
        return self.path, 0, f"numbers of lab {self.path.name}"


class LabItem(pytest.Item):
    def runtest(self) -> None:
        import nbformat

        from hooks.labs import execute

        notebook = nbformat.read(execute(self.path), as_version=4)
        cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
        errors = [f"{output.ename}: {output.evalue}" for cell in cells
                  for output in cell.get("outputs", []) if output.output_type == "error"]
        assert not errors, errors
        unrun = [cell.source[:60] for cell in cells if not cell.get("execution_count")]
        assert not unrun, f"cells not executed: {unrun}"

    def reportinfo(self):
        return self.path, 0, f"lab {self.path.name}"


def pytest_report_header() -> str:
    return f"OpenBLAS kernels: {kernels()}"
