"""Importing a student's files the way they were handed in, without running their training.

A file whose module level trains (`main()`, a loop over epochs), downloads MNIST or
imports a package this machine lacks (torchvision, matplotlib, tqdm, …) is imported
with its **definitions only**: its imports, functions, classes and simple assignments
(constants, `Linear = nn.Linear`, `criterion = nn.BCELoss()`), each top-level statement
on its own. Every other statement is skipped and named in the report, and a missing
package is replaced by a stub that accepts any use. A file with nothing of that sort is
imported whole, as Python would. Several files (or a folder of them, or a notebook)
become one namespace; they can import one another by name.

This module never imports torch: the tool's own process reads it too.
"""

from __future__ import annotations

import ast
import importlib.abc
import importlib.machinery
import importlib.util
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Iterable

# What a skipped statement looks like when it is training, data loading or plotting: any
# of these in its source means the file is imported with its definitions only.
TRAINING_SIGNS = re.compile(
    r"\b(main|train\w*|fit|run_\w+|plot\w*|show|download\w*|evaluate|interpolat\w*)\s*\(|epoch|dataloader|"
    r"datasets\.|torchvision|\.backward\s*\(|\.step\s*\(|savefig|plt\.|mnist|get_ipython|tqdm|"
    r"sys\.argv|parse_args", re.IGNORECASE)

# Calls a kept assignment may make: constructors and helpers of these packages build
# values (a loss, a device, a layer) without training or reading data.
SAFE_CALL_ROOTS = {"torch", "nn", "F", "math", "np", "numpy", "functools", "collections", "dataclasses",
                   "typing", "int", "float", "str", "tuple", "list", "dict", "set", "frozenset", "range",
                   "len", "abs", "min", "max", "sum", "round", "bool", "type", "object", "partial",
                   "namedtuple", "os"}
NOTEBOOK_LINE = re.compile(r"^\s*[!%]")
MAX_SOURCE_SNIPPET = 60


@dataclass
class ImportReport:
    """What the import did to each file, for the summary and the answers file."""
    notes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)      # statements not run, with their lines
    stubbed: list[str] = field(default_factory=list)      # missing packages replaced by stubs
    files: list[str] = field(default_factory=list)
    defined_in: dict[str, str] = field(default_factory=dict)  # name → file it came from

    def lines(self) -> list[str]:
        out = list(self.notes)
        if self.stubbed:
            out.append("not installed here, replaced by a stub: " + ", ".join(sorted(set(self.stubbed))))
        by_file: dict[str, list[str]] = {}
        for text in self.skipped:
            name, _, rest = text.partition(" ")
            by_file.setdefault(name, []).append(rest)
        for name, statements in by_file.items():
            shown = "; ".join(statements[:3]) + (f"; and {len(statements) - 3} more" if len(statements) > 3 else "")
            out.append(f"{name}: not run on import: {shown}")
        return out


# ----------------------------------------------------------------------------------------
# Stubs for packages that are not installed
# ----------------------------------------------------------------------------------------

class Stub:
    """Anything a training script does with a missing package's objects at definition
    time: attributes, calls, subscripts, iteration (empty), and use as a base class."""

    def __init__(self, name: str):
        self.__dict__["_stub_name"] = name

    def __getattr__(self, attribute: str) -> Stub:
        if attribute.startswith("__") and attribute.endswith("__"):
            raise AttributeError(attribute)
        return Stub(f"{self._stub_name}.{attribute}")

    def __call__(self, *args: Any, **kwargs: Any) -> Stub:
        return Stub(f"{self._stub_name}(…)")

    def __getitem__(self, key: Any) -> Stub:
        return Stub(f"{self._stub_name}[…]")

    def __iter__(self):
        return iter(())

    def __bool__(self) -> bool:
        return False

    def __mro_entries__(self, bases: tuple) -> tuple:
        return (object,)

    def __repr__(self) -> str:
        return f"<stub {self._stub_name}: the package is not installed where the grader runs>"


class StubModule(ModuleType):
    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__") and attribute.endswith("__"):
            raise AttributeError(attribute)
        return Stub(f"{self.__name__}.{attribute}")


class StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Last on sys.meta_path: a module under one of `roots` that nothing else finds is a
    StubModule (so `import torchvision.transforms as T` works too)."""

    def __init__(self, roots: Iterable[str]):
        self.roots = set(roots)

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name.partition(".")[0] in self.roots:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec: Any) -> ModuleType:
        module = StubModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module: ModuleType) -> None:
        pass


def install_stubs(roots: Iterable[str]) -> None:
    roots = set(roots)
    for finder in sys.meta_path:
        if isinstance(finder, StubFinder):
            finder.roots |= roots
            return
    sys.meta_path.append(StubFinder(roots))


# ----------------------------------------------------------------------------------------
# Reading the files
# ----------------------------------------------------------------------------------------

def source_files(paths: Iterable[Path]) -> list[Path]:
    """The files to import: each file given, and every `*.py` / `*.ipynb` in a folder
    given (sorted, not recursive), without duplicates."""
    found: list[Path] = []
    for path in paths:
        candidates = sorted(p for p in path.iterdir() if p.suffix in (".py", ".ipynb") and p.is_file()) \
            if path.is_dir() else [path]
        for candidate in candidates:
            if candidate not in found:
                found.append(candidate)
    return found


def notebook_source(text: str) -> str:
    """A notebook's code cells as one Python file; `!pip …` and `%magic` lines become
    comments, as they mean nothing outside Jupyter."""
    cells = json.loads(text).get("cells", [])
    parts = []
    for number, cell in enumerate(cells, 1):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        lines = ("".join(source) if isinstance(source, list) else str(source)).splitlines()
        parts.append(f"# In[{number}]:\n" + "\n".join("# " + l if NOTEBOOK_LINE.match(l) else l for l in lines))
    return "\n\n".join(parts) + "\n"


def read_source(path: Path) -> tuple[str, str | None]:
    """The file's Python source, and a note when it had to be changed to parse: a
    notebook's cells, or a notebook exported to `.py` with its `!pip` / `%magic` lines."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        return notebook_source(text), None
    try:
        ast.parse(text, str(path))
        return text, None
    except SyntaxError:
        lines = text.splitlines()
        cleaned = "\n".join("# " + l if NOTEBOOK_LINE.match(l) else l for l in lines) + "\n"
        shell = [str(k) for k, l in enumerate(lines, 1) if NOTEBOOK_LINE.match(l)]
        if not shell:
            return text, None
        return cleaned, f"{path.name}: its notebook lines (`!…` / `%…`, lines {', '.join(shell[:8])}) were left out"


# ----------------------------------------------------------------------------------------
# Deciding what runs
# ----------------------------------------------------------------------------------------

def dotted_root(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def is_simple(node: ast.AST | None, defined: set[str]) -> bool:
    """A value that builds something without doing work: constants, names, containers,
    arithmetic, and calls into torch/math/numpy or to the file's own classes (`Linear =
    MyLinear`), never to the file's own functions (`model = train()`)."""
    if node is None:
        return True
    if isinstance(node, ast.Call):
        root = dotted_root(node.func)
        if root not in SAFE_CALL_ROOTS or (isinstance(node.func, ast.Name) and node.func.id in defined):
            return False
        return all(is_simple(a, defined) for a in node.args) and all(is_simple(k.value, defined)
                                                                     for k in node.keywords)
    if isinstance(node, (ast.Lambda, ast.Constant, ast.Name)):
        return True
    if isinstance(node, (ast.GeneratorExp, ast.ListComp, ast.SetComp, ast.DictComp, ast.Await, ast.Yield,
                         ast.YieldFrom, ast.NamedExpr)):
        return False
    return all(is_simple(child, defined) for child in ast.iter_child_nodes(node)
               if isinstance(child, ast.expr))


def is_main_guard(node: ast.stmt) -> bool:
    return (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)
            and isinstance(node.test.left, ast.Name) and node.test.left.id == "__name__")


def keeps(node: ast.stmt, defined: set[str]) -> bool:
    """Whether a top-level statement belongs to the file's definitions."""
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                         ast.Pass, ast.Global)):
        return True
    if isinstance(node, ast.Expr):
        return isinstance(node.value, ast.Constant)  # a docstring
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        return is_simple(node.value, defined)
    if isinstance(node, ast.If) and not is_main_guard(node):
        return is_simple(node.test, defined) and all(keeps(s, defined) for s in node.body + node.orelse)
    if isinstance(node, ast.Try):
        return all(keeps(s, defined) for s in node.body + node.orelse + node.finalbody) and all(
            keeps(s, defined) for h in node.handlers for s in h.body)
    return False


def snippet(source: str, node: ast.stmt) -> str:
    text = (ast.get_source_segment(source, node) or "").strip().splitlines()
    first = text[0] if text else type(node).__name__
    if len(first) > MAX_SOURCE_SNIPPET:
        first = first[:MAX_SOURCE_SNIPPET] + "…"
    lines = f"line {node.lineno}" + (f"–{node.end_lineno}" if node.end_lineno and node.end_lineno > node.lineno
                                     else "")
    return f"{lines} `{first}`" + (" …" if len(text) > 1 else "")


def imported_roots(tree: ast.Module, guarded: bool = False) -> list[str]:
    """The top-level packages the module level imports, outside `try` blocks (a `try:
    import tqdm / except ImportError:` handles a missing package itself)."""
    roots: list[str] = []

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.Import):
                roots.extend(a.name.partition(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots.append(node.module.partition(".")[0])
            elif isinstance(node, ast.If) and not is_main_guard(node):
                visit(node.body + node.orelse)
    visit(tree.body)
    return roots


def missing_packages(tree: ast.Module, own: set[str]) -> list[str]:
    missing = []
    for root in imported_roots(tree):
        if root in own or root in missing or root in sys.modules:
            continue
        try:
            found = importlib.util.find_spec(root) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(root)
    return missing


@dataclass
class Plan:
    """How one file is imported: whole, or its definitions only (and why)."""
    tree: ast.Module
    source: str
    skipped: list[ast.stmt]
    missing: list[str]
    signs: list[str]

    @property
    def definitions_only(self) -> bool:
        return bool(self.missing or self.signs)


def plan(source: str, filename: str, own: set[str]) -> Plan:
    """Raises SyntaxError as the import would."""
    tree = ast.parse(source, filename)
    defined = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    skipped = [n for n in tree.body if not keeps(n, defined) and not is_main_guard(n)]
    signs = [snippet(source, n) for n in skipped if TRAINING_SIGNS.search(ast.get_source_segment(source, n) or "")]
    return Plan(tree, source, skipped, missing_packages(tree, own), signs)


# ----------------------------------------------------------------------------------------
# Running the plan
# ----------------------------------------------------------------------------------------

def run_definitions(plan_: Plan, module: ModuleType, filename: str, report: ImportReport) -> None:
    """Each kept top-level statement on its own, so one that fails (a constant read from
    a missing file) costs only itself; it is named in the report."""
    skipped = set(map(id, plan_.skipped))
    defined = {n.name for n in plan_.tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for node in plan_.tree.body:
        if is_main_guard(node):
            continue
        if id(node) in skipped:
            report.skipped.append(f"{Path(filename).name} {snippet(plan_.source, node)}")
            continue
        code = compile(ast.Module(body=[node], type_ignores=[]), filename, "exec")
        try:
            exec(code, module.__dict__)
        except Exception as error:  # the statement is lost, the rest goes on
            if not keeps(node, defined):
                raise
            report.skipped.append(f"{Path(filename).name} {snippet(plan_.source, node)} "
                                  f"(it raised {type(error).__name__}: {str(error)[:200]})")


class StudentLoader(importlib.abc.Loader):
    """Loads one of the student's files under its own name (so `from lstm import LSTM`
    in another of them works), whole or with its definitions only."""

    def __init__(self, path: Path, files: StudentFiles):
        self.path, self.files = path, files

    def create_module(self, spec: Any) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        self.files.execute(self.path, module)


class StudentFiles(importlib.abc.MetaPathFinder):
    """The student's files as importable modules, first on sys.meta_path while they load."""

    def __init__(self, paths: list[Path], definitions_only: bool | None):
        self.paths = {p.stem: p for p in paths}
        self.force = definitions_only is True
        self.whole = definitions_only is False
        self.report = ImportReport(files=[p.name for p in paths])
        self.whole_errors: list[tuple[str, BaseException, str]] = []

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name in self.paths:
            return importlib.util.spec_from_loader(name, StudentLoader(self.paths[name], self),
                                                   origin=str(self.paths[name]))
        return None

    def execute(self, path: Path, module: ModuleType) -> None:
        module.__file__ = str(path)
        source, changed = read_source(path)
        if changed:
            self.report.notes.append(changed)
        p = plan(source, str(path), set(self.paths))
        if p.missing:
            install_stubs(p.missing)
            self.report.stubbed += p.missing
        if self.whole:
            exec(compile(p.tree, str(path), "exec"), module.__dict__)
            return
        if not (self.force or p.definitions_only):
            try:
                exec(compile(p.tree, str(path), "exec"), module.__dict__)
                return
            except Exception as error:
                # A module level that fails (data it cannot find, a package it needs at
                # import): its definitions may still be gradable.
                import traceback
                self.whole_errors.append((path.name, error, traceback.format_exc()))
                module.__dict__.clear()
                module.__dict__.update(__name__=module.__name__, __file__=str(path))
                self.report.notes.append(f"{path.name}: importing it whole raised {type(error).__name__}: "
                                         f"{str(error)[:200]}; imported its definitions only")
        elif p.signs and not self.force:
            self.report.notes.append(f"{path.name}: its module level trains or loads data "
                                     f"({p.signs[0]}); imported its definitions only")
        elif self.force:
            self.report.notes.append(f"{path.name}: importing it whole did not finish in time; "
                                     "imported its definitions only")
        run_definitions(p, module, str(path), self.report)


def import_files(paths: list[Path], definitions_only: bool | None = None) -> tuple[ModuleType, ImportReport]:
    """Imports every file and merges their names into one fresh module (the first file
    to define a name keeps it). `definitions_only`: None decides per file (see `plan`),
    True skips every module-level statement that is not a definition, False imports
    whole and raises what that raises. A whole import that failed and fell back to the
    definitions is listed in the module's `__learn_whole_errors__`."""
    files = StudentFiles(paths, definitions_only)
    for stem in files.paths:
        sys.modules.pop(stem, None)
    for folder in {str(p.parent) for p in paths}:
        if folder not in sys.path:
            sys.path.insert(0, folder)
    sys.meta_path.insert(0, files)
    merged = ModuleType(f"learn_student_{time.monotonic_ns()}")
    argv = sys.argv
    sys.argv = [str(paths[0])]  # argparse in a file reads its defaults, not the tool's arguments
    try:
        for stem, path in files.paths.items():
            module = importlib.import_module(stem)
            for name, value in vars(module).items():
                if name.startswith("__"):
                    continue
                if name in merged.__dict__ and merged.__dict__[name] is not value and len(paths) > 1:
                    if not isinstance(value, ModuleType) and getattr(value, "__module__", stem) == stem:
                        files.report.notes.append(f"{name} is defined in {files.report.defined_in[name]} and in "
                                                  f"{path.name}: the one in {files.report.defined_in[name]} is used")
                    continue
                merged.__dict__[name] = value
                files.report.defined_in.setdefault(name, path.name)
    finally:
        sys.argv = argv
        sys.meta_path.remove(files)
    merged.__dict__["__learn_student_modules__"] = set(files.paths)
    merged.__dict__["__learn_whole_errors__"] = files.whole_errors
    return merged, files.report
