#!/usr/bin/env python3
"""Run a student's PyTorch code on Learn's reference cases and write an answers file.

    python3 Scripts/pytorch/learn_answers.py STUDENT.py|FILES…|FOLDER [--assignment 2|3] [--cases DIR]
        [--hidden DIR] [--declare FILE] [--forbidden answer|refuse] --out answers.json

Only the cases of the assignment's kinds are run (`--assignment`, 3 unless told 2, as
`Fixtures/generate.py`'s ASSIGNMENT_KINDS says), so a student of Assignment 2 needs no
LSTM or GAN and one of Assignment 3 no MLP.

Two processes. This one reads the cases, keeps their expected outputs and gradients to
itself (only names and shapes survive the reading), and writes the answers file. The
student's code runs in a child process (`--serve`, in a sandbox when this one runs as
root): it gets a private copy of the student's file and, case by case, the inputs,
parameters, buffers, options and the names and shapes to produce, and sends back the
outputs, the gradients of the case's objective by autograd, and a finite-difference
check of those gradients. Every answer is validated here before it is written. See
README.md next to this file.

Exit status: 0 when the answers file was written, 2 for bad arguments, a case file that
cannot be read, a sandbox that cannot be set up, or a student file that cannot be
imported.
"""

from __future__ import annotations

import argparse
import ctypes
import dataclasses
import importlib.util
import json
import math
import os
import random
import re
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterable, Iterator

# torch is imported only where the student's code runs (the child, or a test importing
# this file): the tool's own process never needs it.
torch: Any = None
F: Any = None
nn: Any = None
Tensor: Any = None

TORCH_HINT = "pip install torch --index-url https://download.pytorch.org/whl/cpu"


def load_torch() -> None:
    global torch, F, nn, Tensor
    if torch is None:
        import torch as _torch
        import torch.nn.functional as _functional
        torch, F, nn, Tensor = _torch, _functional, _torch.nn, _torch.Tensor


HERE = Path(__file__).resolve().parent
TOOL_FILES = ("learn_answers.py", "learn_import.py", "learn_adapt.py")  # what the child gets a copy of
DECLARATION = "declaration.json"  # the instructor's declaration, next to the child's copy of the tool
DEFINITIONS_ONLY = "--definitions-only"
DEFAULT_CASES = HERE.parent.parent / "Fixtures" / "cases"
LAYOUTS = ("out_in", "in_out")

# Finite differences (see `check_gradients`).
FD_ELEMENTS = 64          # elements checked per gradient tensor, at most
FD_STEP = 1e-6            # h = FD_STEP · max(1, |θ|)
FD_BAR = 1e-6             # the error a correct gradient stays below; the noise floor is sized for it
FD_LOOK_CLOSER = 1e-7     # above this, the central difference alone is not trusted
FD_FLOOR = 1e-4           # the smallest denominator of the relative error
FD_NOISE_MULTIPLE = 32    # allowance for rounding, in units of ε·S·Σ|c_j| (see check_gradients)
EPSILON = sys.float_info.epsilon


class InterfaceError(Exception):
    """The student's code does not fit the documented interface for a case (a missing
    parameter, a shape that matches neither weight layout, a wrong return value)."""


class SetupError(Exception):
    """A problem with the command line, the cases or the sandbox, not the student's code: exit 2."""


# ----------------------------------------------------------------------------------------
# The assignments: which case kinds each grades, and its points
# ----------------------------------------------------------------------------------------

# The case kinds each assignment's checks take: a copy of Fixtures/generate.py's
# ASSIGNMENT_KINDS (which mirrors Sources/LearnCourse/Grading/GradingCatalogue.swift; a
# test keeps the two equal). generate.py imports torch, which this process never does.
ASSIGNMENT_KINDS = {
    2: {"linear", "relu", "softmaxCrossEntropy", "sgd", "mlp", "conv2d", "maxPool2d", "batchNorm2d", "adam",
        "rnnHiddenState", "prediction", "rnn", "rmsprop"},
    3: {"gate", "rnnHiddenState", "cellState", "hiddenState", "prediction", "softmaxCrossEntropy", "lstm", "rnn",
        "linear", "leakyReLU", "relu", "tanh", "sigmoid", "batchNorm", "minimaxDiscriminatorLoss",
        "minimaxGeneratorLoss", "nonSaturatingLoss", "generator", "discriminator", "sgd", "rmsprop", "adam"},
}
DEFAULT_ASSIGNMENT = 3  # as `Course verify --answers` without --assignment, in the reference solution
KIT_MANIFEST = "learn-kit.json"  # a starter kit's {"assignment": N} (StarterKit+Manifest.swift)
# The graded parts and their points (Sources/LearnCourse/Kit/Assignment.swift): of Assignment 2's
# Part II, the CNN, only the layers and Adam are graded yet (14 of its 30 points).
ASSIGNMENT_POINTS = {2: ((1, 30), (2, 30), (3, 40)), 3: ((1, 40), (2, 60))}
PART_NAMES = {1: "Part I", 2: "Part II", 3: "Part III"}


def package_assignment(root: Path) -> int | None:
    """The assignment of the starter kit at `root` (its learn-kit.json), as `Course`
    takes it when no --assignment is given; None for the reference solution (no
    manifest) or a manifest that cannot be read, which Course takes for Assignment 3."""
    try:
        value = json.loads((root / KIT_MANIFEST).read_text(encoding="utf-8"))["assignment"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return value if isinstance(value, int) and value in ASSIGNMENT_KINDS else None


def points_text(assignment: int) -> str:
    """"Assignment 2 (Part I 30 points, Part II 30, Part III 40)"."""
    parts = [f"{PART_NAMES[part]} {points}" for part, points in ASSIGNMENT_POINTS[assignment]]
    parts[0] += " points"
    return f"Assignment {assignment} ({', '.join(parts)})"


# ----------------------------------------------------------------------------------------
# Cases as the tool's process reads them: the expected values are dropped here
# ----------------------------------------------------------------------------------------

Shape = tuple[int, int]


def shape_of(spec: Any) -> Shape:
    shape = spec["shape"]
    if (not isinstance(shape, list) or len(shape) != 2
            or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape)):
        raise ValueError(f"a shape must be two counts, not {shape!r}")
    return shape[0], shape[1]


def tensor_spec(spec: Any) -> dict[str, Any]:
    """A case tensor as plain numbers, checked: {"shape": [r, c], "values": r·c floats}."""
    rows, columns = shape_of(spec)
    values = [float(v) for v in spec["values"]]  # "NaN" and "Infinity" as written read too
    if len(values) != rows * columns:
        raise ValueError(f"{len(values)} values for shape {rows}×{columns}")
    return {"shape": [rows, columns], "values": values}


@dataclass
class CaseFile:
    """One reference case as the tool's process keeps it: what the student's code is
    given, and only the names and shapes of what it must produce."""
    key: str
    kind: str
    options: dict[str, Any]
    inputs: dict[str, dict[str, Any]]
    parameters: dict[str, dict[str, Any]]
    buffers: dict[str, dict[str, Any]]
    output_shapes: dict[str, Shape]
    gradient_shapes: dict[str, Shape]
    objective: dict[str, Any]  # type, output (none for optimisers), and R (`weights`) of a weighted sum

    @classmethod
    def load(cls, path: Path, key: str) -> CaseFile:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            tensors = {group: {n: tensor_spec(t) for n, t in raw.get(group, {}).items()}
                       for group in ("inputs", "parameters", "buffers")}
            given = raw["objective"]
            objective = {"type": str(given["type"])}
            if "output" in given:
                objective["output"] = str(given["output"])
            if objective["type"] == "weightedSum":
                objective["weights"] = tensor_spec(given["weights"])
            if not isinstance(raw.get("options", {}), dict):
                raise ValueError("options must be an object")
            return cls(
                key=key, kind=str(raw["kind"]), options=raw.get("options", {}), **tensors,
                output_shapes={str(n): shape_of(t) for n, t in raw["outputs"].items()},
                gradient_shapes={str(n): shape_of(t) for n, t in sorted(raw.get("gradients", {}).items())},
                objective=objective)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise SetupError(f"cannot read case {path}: {type(error).__name__}: {error}") from error

    @property
    def gradient_names(self) -> list[str]:
        return list(self.gradient_shapes)

    def message(self) -> dict[str, Any]:
        """Everything the student's side receives for this case."""
        return {"key": self.key, "kind": self.kind, "options": self.options, "inputs": self.inputs,
                "parameters": self.parameters, "buffers": self.buffers,
                "outputs": {n: list(s) for n, s in self.output_shapes.items()},
                "gradients": {n: list(s) for n, s in self.gradient_shapes.items()},
                "objective": self.objective}


# Kinds an assignment grades that this tool has no runner for yet (none now: a kind added to
# ASSIGNMENT_KINDS before its runner goes here). Their cases are left out (and listed as
# such), as another assignment's are.
NOT_ANSWERED_YET: set[str] = set()


def of_assignment(cases: list[CaseFile], assignment: int) -> tuple[list[CaseFile], list[CaseFile]]:
    """(the cases of the assignment's kinds this tool answers, the others), each in the order given."""
    kinds = ASSIGNMENT_KINDS[assignment] - NOT_ANSWERED_YET
    return [c for c in cases if c.kind in kinds], [c for c in cases if c.kind not in kinds]


def load_cases(directory: Path, prefix: str = "") -> list[CaseFile]:
    """Every `*.json` under `directory`, keyed by its relative path without `.json`."""
    if not directory.is_dir():
        raise SetupError(f"no cases directory {directory}")
    files = sorted(directory.rglob("*.json"))
    if not files:
        raise SetupError(f"no case files (*.json) under {directory}")
    return [CaseFile.load(p, prefix + p.relative_to(directory).with_suffix("").as_posix()) for p in files]


# ----------------------------------------------------------------------------------------
# Cases as the student's side runs them: tensors
# ----------------------------------------------------------------------------------------

def load_tensor(spec: dict) -> Tensor:
    rows, columns = spec["shape"]
    return torch.tensor([float(v) for v in spec["values"]], dtype=torch.float64).reshape(rows, columns)


@dataclass
class Case:
    """One case as the student's side receives it (`CaseFile.message`), as tensors."""
    key: str
    kind: str
    options: dict[str, Any]
    inputs: dict[str, Tensor]
    parameters: dict[str, Tensor]
    buffers: dict[str, Tensor]
    output_shapes: dict[str, tuple[int, int]]
    gradient_names: list[str]
    objective: dict[str, Any]
    weights: Tensor | None  # R of a weighted-sum objective

    @classmethod
    def of(cls, message: dict[str, Any]) -> Case:
        objective = message["objective"]
        return cls(
            key=message["key"], kind=message["kind"], options=message["options"],
            **{group: {n: load_tensor(t) for n, t in message[group].items()}
               for group in ("inputs", "parameters", "buffers")},
            output_shapes={n: tuple(s) for n, s in message["outputs"].items()},
            gradient_names=sorted(message["gradients"]), objective=objective,
            weights=load_tensor(objective["weights"]) if objective["type"] == "weightedSum" else None)

    def shapes(self) -> dict[str, tuple[int, int]]:
        """The case parameters' shapes (out×in for weights)."""
        return {n: (int(t.shape[0]), int(t.shape[1])) for n, t in self.parameters.items()}

    def values(self) -> dict[str, Tensor]:
        """Fresh copies of every input, parameter and buffer, in the case's layout."""
        return {n: t.clone() for group in (self.inputs, self.parameters, self.buffers) for n, t in group.items()}


# ----------------------------------------------------------------------------------------
# The student's module
# ----------------------------------------------------------------------------------------

ENTRY_POINTS = (
    "gate", "cell_state", "hidden_state", "prediction", "softmax_cross_entropy", "rnn_hidden_state",
    "LSTM", "RNN", "Linear", "LeakyReLU", "ReLU", "Tanh", "Sigmoid", "BatchNorm1d", "Conv2d", "MaxPool2d", "BatchNorm2d",
    "discriminator_loss", "generator_loss_saturating", "generator_loss_non_saturating",
    "build_generator", "build_discriminator", "SGD", "RMSprop", "Adam", "MLP",
)


MODEL_ENTRIES = ("LSTM", "RNN", "build_generator", "build_discriminator", "MLP")
_adapt: Any = None


def adapt() -> ModuleType:
    """learn_adapt, which needs torch: loaded on the student's side only."""
    global _adapt
    if _adapt is None:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import learn_adapt
        sys.path.pop(0)
        learn_adapt.InterfaceError = InterfaceError
        _adapt = learn_adapt
    return _adapt


def learn_import() -> ModuleType:
    """learn_import, next to this file (it needs no torch: the tool's process uses it too)."""
    if str(HERE) not in sys.path:
        sys.path.append(str(HERE))
    import learn_import as module
    return module


DECLARATION_KEYS = {"class", "arguments", "parameters"}


def read_declaration(path: Path) -> dict[str, Any]:
    """The instructor's declaration: a JSON object, or a Python file whose top level
    assigns DECLARATION = {...} (read as a literal, never run). Raises SetupError."""
    import ast
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            tree = ast.parse(text, str(path))
            values = [n.value for n in tree.body if isinstance(n, ast.Assign)
                      and any(isinstance(t, ast.Name) and t.id == "DECLARATION" for t in n.targets)]
            if not values:
                raise ValueError("no DECLARATION = {...} at its top level")
            declared = ast.literal_eval(values[-1])
        else:
            declared = json.loads(text)
    except (OSError, ValueError, SyntaxError) as error:
        raise SetupError(f"cannot read the declaration {path}: {error}") from error
    if not isinstance(declared, dict):
        raise SetupError(f"the declaration {path} is not an object")
    for key, value in declared.items():
        if key == "forbidden":
            if value not in ("answer", "refuse"):
                raise SetupError(f"the declaration's forbidden is {value!r}: 'answer' or 'refuse'")
        elif key not in ENTRY_POINTS or not isinstance(value, dict) or not set(value) <= DECLARATION_KEYS:
            raise SetupError(f"the declaration's {key!r} must be an entry point ({', '.join(MODEL_ENTRIES)}, …) "
                             f"mapped to an object of {', '.join(sorted(DECLARATION_KEYS))}")
    return declared


def import_students(paths: list[Path], definitions_only: bool | None = None) -> tuple[ModuleType, Any]:
    """Imports the files into one fresh module (see learn_import): whole when their module
    level only defines things, else their definitions only. Returns (module, report)."""
    try:
        return learn_import().import_files(paths, definitions_only)
    finally:
        torch.set_default_dtype(torch.float64)  # whatever the files set: the tool runs in float64


def import_student(path: Path) -> ModuleType:
    """One file as a fresh module, its definitions at least. Raises what the import raises."""
    return import_students([path])[0]


@dataclass
class Student:
    """The imported files: which callable provides each entry point, the declared weight
    layout, the instructor's declaration, and what the report says about them."""
    module: ModuleType
    layout: str = "out_in"
    providers: dict[str, Any] = field(default_factory=dict)
    documented: set[str] = field(default_factory=set)  # entries under their documented name
    declared: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    layout_declared: bool = False   # WEIGHT_LAYOUT written in the files; else inferred per model from its shapes
    refuse_forbidden: bool = False  # torch.nn.LSTM / RNN where the assignment asks for the student's own
    plain_forward: set[str] = field(default_factory=set)  # models whose forward returns (p, h) as documented
    on_logits: set[str] = field(default_factory=set)         # losses seen to work on D's logits
    on_probabilities: set[str] = field(default_factory=set)  # losses written on D's probabilities

    @classmethod
    def of(cls, module: ModuleType, declared: dict[str, Any] | None = None) -> Student:
        layout = getattr(module, "WEIGHT_LAYOUT", "out_in")
        if layout not in LAYOUTS:
            raise InterfaceError(f"WEIGHT_LAYOUT is {layout!r}; it must be 'out_in' (W is out×in, y = x·Wᵀ + b, "
                                 "as nn.Linear) or 'in_out' (W is in×out, y = x·W + b)")
        declared = dict(declared or {})
        student = cls(module, layout, declared=declared, layout_declared=hasattr(module, "WEIGHT_LAYOUT"),
                      refuse_forbidden=declared.get("forbidden") == "refuse")
        namespace = vars(module)
        for entry in ENTRY_POINTS:
            value, note = adapt().provider(namespace, entry, student.declared)
            if note:
                student.notes.append(note)
            if value is not None:
                student.providers[entry] = value
                if namespace.get(entry) is value:
                    student.documented.add(entry)
        return student

    def has(self, entry: str) -> bool:
        return entry in self.providers

    def found(self) -> list[str]:
        return [e for e in ENTRY_POINTS if self.has(e)]

    def call(self, entry: str, *args: Any, **kwargs: Any) -> Any:
        return self.providers[entry](*args, **kwargs)

    def build(self, entry: str, *args: Any, **kwargs: Any) -> nn.Module:
        """A fresh module from a class or a factory, in float64. Built anew for every
        evaluation, so state (running statistics) never carries from one to the next."""
        return as_module(self.call(entry, *args, **kwargs), entry)

    def construct(self, entry: str, sizes: dict[str, Any]) -> tuple[nn.Module, str]:
        """A fresh module, its constructor's arguments matched by name to `sizes`."""
        made, call = adapt().construct(self.providers[entry], entry, sizes, self.declared)
        return as_module(made, entry), call

    def weight(self, w: Tensor) -> Tensor:
        """A case weight (out×in) as a function argument in the declared layout."""
        return w.T if self.layout == "in_out" else w

    def cross_entropy(self, p: Tensor, labels: Tensor) -> Tensor:
        """The models' loss: the student's own softmax_cross_entropy if there is one."""
        if self.has("softmax_cross_entropy"):
            return unpack(self.call("softmax_cross_entropy", p, labels), 2, "softmax_cross_entropy",
                          "(loss, probabilities)")[0]
        return F.cross_entropy(p, labels)


def as_module(made: Any, entry: str) -> nn.Module:
    if not isinstance(made, nn.Module):
        raise InterfaceError(f"{entry}(...) returned a {type(made).__name__}, not an nn.Module")
    return made.double()


# ----------------------------------------------------------------------------------------
# Names, layouts and shapes
# ----------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def normalised(name: str) -> str:
    """`W_gx`, `w_gx`, `Wgx`, `wgx` are one name; so are `running_mean`, `runningMean`."""
    return name.replace("_", "").lower()


# The schema's name (normalised) → other spellings PyTorch's layers use.
ALIASES = {"w": ("weight",), "b": ("bias",), "gamma": ("weight",), "beta": ("bias",),
           "runningvariance": ("runningvar",)}


@lru_cache(maxsize=None)
def split(name: str) -> tuple[str, str]:
    """`3.gamma` → (`3`, `gamma`); `wgx` → (``, `wgx`)."""
    prefix, _, leaf = name.rpartition(".")
    return prefix, leaf


def is_weight(case_name: str) -> bool:
    """Weight matrices are the schema's `w…` names; biases, γ, β and buffers are not."""
    return split(case_name)[1].startswith("w")


def find(case_name: str, candidates: Iterable[tuple[str, Any]], what: str, owner: str) -> tuple[str, Any]:
    """The one candidate whose name spells `case_name`: same layer prefix (`3.` in a
    network; any for an unprefixed name), last component equal up to case and
    underscores, or one of ALIASES."""
    prefix, leaf = split(case_name)
    wanted = {normalised(leaf), *ALIASES.get(normalised(leaf), ())}
    pool = list(candidates)
    hits = [(n, c) for n, c in pool
            if normalised(split(n)[1]) in wanted and (not prefix or split(n)[0] == prefix)]
    if len(hits) != 1:
        names = ", ".join(n for n, _ in pool) or "none"
        problem = "no" if not hits else f"{len(hits)} ({', '.join(n for n, _ in hits)})"
        raise InterfaceError(f"{owner}: {problem} {what} for the case's {case_name!r} (its {what}s: {names})")
    return hits[0]


def layout_of(owner: nn.Module, student: Student) -> str:
    """A class's own WEIGHT_LAYOUT, else out×in for torch's layers, else the module's."""
    declared = getattr(type(owner), "WEIGHT_LAYOUT", None)
    if declared is not None:
        if declared not in LAYOUTS:
            raise InterfaceError(f"{type(owner).__name__}.WEIGHT_LAYOUT is {declared!r}; use 'out_in' or 'in_out'")
        return declared
    if type(owner).__module__.startswith("torch."):
        return "out_in"
    return student.layout


def squeezed(shape: Iterable[int]) -> tuple[int, ...]:
    return tuple(d for d in shape if d != 1)


def shape_text(shape: Iterable[int]) -> str:
    return "×".join(str(d) for d in shape) or "scalar"


def conversions(case_name: str, case_shape: tuple[int, ...], student_shape: tuple[int, ...], layout: str,
                where: str) -> tuple[Callable[[Tensor], Tensor], Callable[[Tensor], Tensor]]:
    """(case value → the student's tensor, the student's gradient → the case's layout).

    A weight must be exactly out×in, or in×out under WEIGHT_LAYOUT = "in_out" (a square
    one cannot tell, so the layout is declared, never guessed); anything else may differ
    only in dimensions of 1 (a bias of shape (H,) for the case's 1×H)."""
    if is_weight(case_name):
        expected = case_shape if layout == "out_in" else case_shape[::-1]
        if student_shape != expected:
            other = "in_out" if layout == "out_in" else "out_in"
            hint = (f"; that is the {other} layout: declare WEIGHT_LAYOUT = {other!r}"
                    if student_shape == (case_shape if other == "out_in" else case_shape[::-1]) else "")
            raise InterfaceError(
                f"{where} has shape {shape_text(student_shape)}, but the case's {case_name} is "
                f"{shape_text(case_shape)} (out×in), so with WEIGHT_LAYOUT = {layout!r} it must be "
                f"{shape_text(expected)}{hint}")
        if layout == "in_out":
            return (lambda t: t.T), (lambda g: g.T)
        return (lambda t: t), (lambda g: g)
    if squeezed(student_shape) != squeezed(case_shape):
        raise InterfaceError(f"{where} has shape {shape_text(student_shape)}, "
                             f"the case's {case_name} is {shape_text(case_shape)}")
    return (lambda t: t.reshape(student_shape)), (lambda g: g.reshape(case_shape))


def conform(value: Any, shape: tuple[int, ...], what: str) -> Tensor:
    """The student's result as the case's 2-D tensor (a scalar loss becomes 1×1)."""
    if not isinstance(value, Tensor):
        raise InterfaceError(f"{what} is a {type(value).__name__}, not a tensor")
    if squeezed(value.shape) != squeezed(shape):
        raise InterfaceError(f"{what} has shape {shape_text(value.shape)}, the case expects {shape_text(shape)}")
    return value.reshape(shape).to(torch.float64)


def unpack(result: Any, count: int, what: str, form: str) -> tuple:
    if not isinstance(result, (tuple, list)) or len(result) != count:
        got = f"a {type(result).__name__}" + (f" of {len(result)}" if isinstance(result, (tuple, list)) else "")
        raise InterfaceError(f"{what} must return {form}; it returned {got}")
    return tuple(result)


def single(result: Any, what: str) -> Any:
    if isinstance(result, (tuple, list)):
        raise InterfaceError(f"{what} must return one tensor; it returned a {type(result).__name__}")
    return result


# ----------------------------------------------------------------------------------------
# Loading values into the student's modules
# ----------------------------------------------------------------------------------------

Held = "dict[str, tuple[Tensor, Callable[[Tensor], Tensor]]]"  # for annotations only


def hold(held: Held, case_name: str, value: Tensor, p: Tensor, layout: str, label: str,
         kernel: tuple[int, ...] | None = None) -> None:
    """Sets the student's parameter `p` to the case's `value` (converted to its layout)
    and keeps it, with the way back to the case's layout, for reading its gradient.
    `kernel`: the shape the case's value is a reshape of (a convolution's weight,
    C_out×C_in×K_h×K_w, which the case writes C_out × (C_in·K_h·K_w))."""
    if kernel is not None and p.dim() == len(kernel):
        if tuple(p.shape) != kernel:
            raise InterfaceError(f"{label} has shape {shape_text(p.shape)}, but the case's {case_name} is "
                                 f"{shape_text(value.shape)}, a {shape_text(kernel)} (C_out×C_in×K_h×K_w) weight "
                                 f"reshaped, so it must be {shape_text(kernel)}")
        shape = tuple(value.shape)
        to_student, to_case = (lambda t: t.reshape(kernel)), (lambda g: g.reshape(shape))
    else:
        to_student, to_case = conversions(case_name, tuple(value.shape), tuple(p.shape), layout, label)
    with torch.no_grad():
        p.copy_(to_student(value))
    p.requires_grad_(True)
    held[case_name] = (p, to_case)


def bind_parameters(module: nn.Module, owner: str, values: dict[str, Tensor], names: Iterable[str],
                    student: Student, kernels: dict[str, tuple[int, ...]] | None = None) -> Held:
    """Copies each case parameter into the module's matching nn.Parameter; returns, per
    case name, the parameter to differentiate and how its gradient maps back. Every
    parameter of the module must be set by the case. `kernels`: case names whose value
    is a reshape of a tensor of more dimensions (see `hold`)."""
    names, parameters = list(names), dict(module.named_parameters())
    held: Held = {}
    used: set[str] = set()
    for case_name in names:
        own_name, p = find(case_name, parameters.items(), "parameter", owner)
        layer = module.get_submodule(split(own_name)[0])
        hold(held, case_name, values[case_name], p, layout_of(layer, student), f"{owner} parameter {own_name}",
             (kernels or {}).get(case_name))
        used.add(own_name)
    unset = sorted(set(parameters) - used)
    if unset:
        raise InterfaceError(f"{owner} has parameters the case does not set: {', '.join(unset)} "
                             f"(the case gives {', '.join(names) or 'none'})")
    return held


def tensor_slots(module: nn.Module) -> Iterator[tuple[str, tuple[nn.Module, str, Tensor]]]:
    """Buffers and plain tensor attributes of every submodule (running statistics may be
    either), as (dotted name, (owner, attribute, tensor))."""
    for prefix, owner in module.named_modules():
        parameters = set(owner._parameters)
        for attribute, value in list(owner._buffers.items()) + list(vars(owner).items()):
            if isinstance(value, Tensor) and attribute not in parameters:
                yield (f"{prefix}.{attribute}" if prefix else attribute), (owner, attribute, value)


def set_buffers(module: nn.Module, owner: str, values: dict[str, Tensor], names: Iterable[str]) -> None:
    for case_name in names:
        _, (layer, attribute, current) = find(case_name, tensor_slots(module), "buffer", owner)
        to_student, _ = conversions(case_name, tuple(values[case_name].shape), tuple(current.shape), "out_in",
                                    f"{owner} buffer {attribute}")
        setattr(layer, attribute, to_student(values[case_name]).detach().clone().to(current.dtype))


def read_buffers(module: nn.Module, owner: str, case: Case) -> dict[str, Tensor]:
    """The running statistics after the call, for every output that is a buffer."""
    slots = list(tensor_slots(module))
    return {name: find(name, slots, "buffer", owner)[1][2].detach().clone()
            for name in case.output_shapes if name in case.buffers}


# ----------------------------------------------------------------------------------------
# One runner per kind: case values in, the student's outputs out
# ----------------------------------------------------------------------------------------

@dataclass
class Evaluation:
    outputs: dict[str, Any]
    held: Held = field(default_factory=dict)  # parameters living inside a module
    notes: list[str] = field(default_factory=list)  # how the student's code was fitted to the case, for the report


Runner = "Callable[[Student, Case, dict[str, Tensor], str], Evaluation]"
RUNNERS: dict[str, tuple[str, Runner]] = {}


def runs(entry: str, *kinds: str) -> Callable[[Runner], Runner]:
    def register(fn: Runner) -> Runner:
        for kind in kinds:
            RUNNERS[kind] = (entry, fn)
        return fn
    return register


@runs("gate", "gate")
def run_gate(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    letter = case.options["gate"]
    activation = {"tanh": torch.tanh, "sigmoid": torch.sigmoid}[case.options["activation"]]
    out = s.call(entry, v["x"], v["prevH"], s.weight(v[f"w{letter}x"]), s.weight(v[f"w{letter}h"]),
                 v[f"b{letter}"], activation)
    return Evaluation({letter: single(out, entry)})


@runs("rnn_hidden_state", "rnnHiddenState")
def run_rnn_hidden_state(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    out = s.call(entry, v["x"], v["prevH"], s.weight(v["whx"]), s.weight(v["whh"]), v["bh"])
    return Evaluation({"h": single(out, entry)})


@runs("cell_state", "cellState")
def run_cell_state(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    return Evaluation({"c": single(s.call(entry, v["g"], v["i"], v["f"], v["prevC"]), entry)})


@runs("hidden_state", "hiddenState")
def run_hidden_state(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    return Evaluation({"h": single(s.call(entry, v["c"], v["o"]), entry)})


@runs("prediction", "prediction")
def run_prediction(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    return Evaluation({"p": single(s.call(entry, v["h"], s.weight(v["wph"]), v["bp"]), entry)})


def labels_of(v: dict[str, Tensor]) -> Tensor:
    """The case's N×1 labels as PyTorch's LongTensor of shape (N,)."""
    return v["labels"].detach().reshape(-1).long()


@runs("softmax_cross_entropy", "softmaxCrossEntropy")
def run_softmax_cross_entropy(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    loss, probabilities = unpack(s.call(entry, v["p"], labels_of(v)), 2, entry, "(loss, probabilities)")
    return Evaluation({"loss": loss, "probabilities": probabilities})


def bind_model(s: Student, model: nn.Module, entry: str, case: Case, v: dict[str, Tensor]
               ) -> tuple[Held, list[str], dict[str, Tensor], dict[str, nn.Module]]:
    """Finds the case's symbols among the model's tensors (learn_adapt.map_sequence) and
    sets them: the first tensor of a symbol to the case's value, any other (a second bias
    of the gate) to 0. Returns (what to differentiate, notes, symbol → the tensor set,
    symbol → the module holding it)."""
    shapes = case.shapes()

    def owner_layout(owner: nn.Module) -> str:
        own = getattr(type(owner), "WEIGHT_LAYOUT", None)
        if own in LAYOUTS:
            return own
        if type(owner).__module__.startswith("torch."):
            return "out_in"
        return s.layout if s.layout_declared else "any"

    mapping = adapt().map_sequence(model, set(case.parameters), shapes, owner_layout, s.declared.get(entry, {}))
    notes = [f"{entry}: the maths' symbols ← the student's tensors: {mapping.describe()}"]
    for forbidden in mapping.forbidden:
        if s.refuse_forbidden:
            raise InterfaceError(f"{forbidden}; this grading refuses it (--forbidden refuse)")
        notes.append(f"FORBIDDEN: {forbidden}; answered anyway (--forbidden answer)")
    votes = {("in_out" if slot.shape == shapes[n][::-1] else "out_in")
             for n, slots in mapping.slots.items() for slot in slots[:1]
             if n.startswith("w") and not slot.torch_layer and owner_layout(slot.owner) == "any"
             and shapes[n][0] != shapes[n][1] and slot.shape in (shapes[n], shapes[n][::-1])}
    inferred = "in_out" if votes == {"in_out"} else "out_in"
    if inferred == "in_out":
        notes.append(f"{entry}: its weights are stored in×out (y = x·W), as their shapes show")
    held: Held = {}
    bound: dict[str, Tensor] = {}
    owners: dict[str, nn.Module] = {}
    for symbol in case.parameters:
        first, *others = mapping.slots[symbol]
        layout = "out_in" if first.torch_layer else owner_layout(first.owner)
        to_student, to_case = conversions(symbol, shapes[symbol], first.shape, inferred if layout == "any" else layout,
                                          f"{entry} parameter {first.name}")
        tensor = first.tensor
        with torch.no_grad():
            if first.rows is not None:
                tensor[first.rows].copy_(to_student(v[symbol]))
                rows = first.rows
                held[symbol] = (tensor.requires_grad_(True), lambda g, rows=rows, to_case=to_case: to_case(g[rows]))
            elif isinstance(tensor, nn.Parameter):
                tensor.copy_(to_student(v[symbol]))
                held[symbol] = (tensor.requires_grad_(True), to_case)
            else:  # a plain tensor attribute: replaced by a leaf to differentiate
                tensor = to_student(v[symbol]).detach().clone().to(tensor.dtype).requires_grad_(True)
                setattr(first.owner, first.attribute, tensor)
                held[symbol] = (tensor, to_case)
            for other in others:
                if other.rows is not None:
                    other.tensor[other.rows].zero_()
                elif isinstance(other.tensor, nn.Parameter):
                    other.tensor.zero_()
                else:
                    setattr(other.owner, other.attribute, torch.zeros_like(other.tensor))
        bound[symbol] = tensor
        owners[symbol] = first.owner
    set_by_case = {id(slot.tensor) for slots in mapping.slots.values() for slot in slots}
    unset = [n for n, p in model.named_parameters() if id(p) not in set_by_case]
    if unset:
        notes.append(f"{entry}: parameters the case does not set (left as the constructor made them, "
                     f"seeded): {', '.join(unset)}")
    return held, notes, bound, owners


@runs("LSTM", "lstm")
@runs("RNN", "rnn")
def run_sequence(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    steps = int(case.options["timeSteps"])
    xs = [v[f"x({t})"] for t in range(1, steps + 1)]
    hidden = case.parameters["wgh" if case.kind == "lstm" else "whh"].shape[0]
    n, k = xs[0].shape[0], case.parameters["wph"].shape[0]
    sizes = {"T": steps, "D": xs[0].shape[1], "H": hidden, "K": k, "N": n, "device": "cpu"}
    model, call = s.construct(entry, sizes)
    held, notes, bound, owners = bind_model(s, model, entry, case, v)
    notes.append(f"{entry} built as {call}")
    a = adapt()
    capture = a.Capture(bound["wph"], bound["bp"], n, hidden, k)
    x = torch.stack(xs, dim=1)
    head = owners["wph"]
    try:
        if entry in s.plain_forward:  # returns (p, h) as documented: nothing to capture (and faster)
            result = model(x)
            p, h = unpack(result, 2, f"{entry}.forward", "(p, h): the last step's scores and h(T)")
            return Evaluation({f"p({steps})": p, f"h({steps})": h, "loss": s.cross_entropy(p, labels_of(v))},
                              held, notes)
        if head is not model and a.linear_like(head):  # W_ph in a layer of its own: a hook reads p and h, cheaply
            seen: list[tuple[Tensor, Tensor]] = []
            handle = head.register_forward_hook(lambda module, inputs, output: seen.append((inputs[0], output)))
            try:
                result = model(x)
            finally:
                handle.remove()
            if seen and tuple(seen[-1][1].shape) == (n, k):
                capture.h, capture.p = seen[-1]
        else:
            with capture:
                result = model(x)
    except RuntimeError as error:
        if not capture.made:  # run again, watching which tensors the forward makes
            try:
                with capture:
                    model(x)
            except RuntimeError:
                pass
        hint = a.batch_size_hint(capture.made, n, hidden)
        if hint is None:
            raise
        raise InterfaceError(f"{hint} ({type(error).__name__}: {error})") from error
    p, h, note = a.scores_and_state(result, capture, n, hidden, k, entry)
    if note is None:
        s.plain_forward.add(entry)
    if note:
        notes.append(note)
    loss = s.cross_entropy(p, labels_of(v))
    return Evaluation({f"p({steps})": p, f"h({steps})": h, "loss": loss}, held, notes)


@runs("Linear", "linear")
def run_linear(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    layer = s.build(entry, v["x"].shape[1], v["w"].shape[0])
    held = bind_parameters(layer, entry, v, case.parameters, s)
    return Evaluation({"y": layer(v["x"])}, held)


def run_activation(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    layer = s.build(entry, case.options["slope"]) if case.kind == "leakyReLU" else s.build(entry)
    bind_parameters(layer, entry, v, (), s)
    return Evaluation({"y": layer(v["x"])})


for _kind, _entry in (("leakyReLU", "LeakyReLU"), ("relu", "ReLU"), ("tanh", "Tanh"), ("sigmoid", "Sigmoid")):
    runs(_entry, _kind)(run_activation)


@runs("BatchNorm1d", "batchNorm")
def run_batch_norm(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    o = case.options
    layer = s.build(entry, v["x"].shape[1], eps=o["epsilon"], momentum=o["momentum"])
    held = bind_parameters(layer, entry, v, case.parameters, s)
    set_buffers(layer, entry, v, case.buffers)
    layer.train(o["mode"] == "training")
    y = layer(v["x"])
    return Evaluation({"y": y, **read_buffers(layer, entry, case)}, held)


# Assignment 2's CNN layers. The case's x is N × (C·H·W), one image per row in NCHW order
# (Fixtures/generate.py); the layer gets the N×C×H×W images and its output goes back to
# rows the same way. The layers are built by `construct`, their arguments matched by name
# (`in_channels`, `kernel_size`, `stride`, `padding`, `eps`, …), so a student's own
# spelling of them works too.

def image_batch(case: Case, rows: Tensor) -> Tensor:
    """The case's rows as the N×C×H×W images they hold: a view, so x's gradient comes
    back in the case's layout."""
    o = case.options
    return rows.reshape(rows.shape[0], int(o["channels"]), int(o["height"]), int(o["width"]))


def window_output(case: Case, channels: int) -> tuple[int, int, int]:
    """(C, H₂, W₂) of a window of the case's kernel, stride and padding: H₂ = ⌊(H + 2P − K_h)/S⌋ + 1."""
    o = case.options
    stride, padding = int(o["stride"]), int(o["padding"])
    return (channels, (int(o["height"]) + 2 * padding - int(o["kernelHeight"])) // stride + 1,
            (int(o["width"]) + 2 * padding - int(o["kernelWidth"])) // stride + 1)


def window_text(case: Case) -> str:
    o = case.options
    return f"kernel {o['kernelHeight']}×{o['kernelWidth']}, stride {o['stride']}, padding {o['padding']}"


def image_rows(result: Any, images: Tensor, expected: tuple[int, ...], entry: str, why: str) -> Tensor:
    """The layer's N×C×H×W output as the case's N × (C·H·W) rows; another shape is an
    error naming both."""
    result = single(result, f"{entry}.forward")
    wanted = (int(images.shape[0]), *expected)
    if not isinstance(result, Tensor) or tuple(result.shape) != wanted:
        got = shape_text(result.shape) if isinstance(result, Tensor) else f"a {type(result).__name__}"
        raise InterfaceError(f"{entry}.forward returned {got} on the case's {shape_text(images.shape)} images "
                             f"(N×C×H×W); the case expects {shape_text(wanted)} ({why})")
    return result.reshape(wanted[0], -1)


def build_layer(s: Student, entry: str, sizes: dict[str, Any], settings: dict[str, tuple[str, ...]]
                ) -> tuple[nn.Module, list[str]]:
    """The layer built from the case's sizes and settings, and notes: how it was built,
    and, second, which of `settings` (a name in words → the symbols that give it) its
    constructor takes none of, so that the layer's own value is used. A square kernel
    goes as an int, as torch.nn takes it; a constructor that refuses it gets (K, K)."""
    try:
        layer, call = s.construct(entry, sizes)
    except TypeError:
        if not isinstance(sizes.get("kernel"), int):
            raise
        sizes = {**sizes, "kernel": (sizes["kernel"],) * 2}
        layer, call = s.construct(entry, sizes)
    notes = [f"{entry} built as {call}"]
    given = adapt().arguments(s.providers[entry], entry, sizes, s.declared).given(entry)
    missing = [name for name, symbols in settings.items() if not given & set(symbols)]
    if missing:
        notes.append(f"{entry}'s constructor takes no {', '.join(missing)}: the case's were not given to it, "
                     "the layer's own were used")
    return layer, notes


@runs("Conv2d", "conv2d")
def run_conv2d(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    """A cross-correlation with zero padding; the case's w is the C_out×C_in×K_h×K_w
    weight reshaped to C_out × (C_in·K_h·K_w), b is 1×C_out."""
    o = case.options
    c_in, c_out, kh, kw = int(o["channels"]), int(v["w"].shape[0]), int(o["kernelHeight"]), int(o["kernelWidth"])
    sizes = {"C_in": c_in, "C_out": c_out, "kernel": kh if kh == kw else (kh, kw), "KH": kh, "KW": kw,
             "stride": int(o["stride"]), "padding": int(o["padding"]), "device": "cpu"}
    layer, notes = build_layer(s, entry, sizes, {"kernel size": ("kernel", "KH"), "stride": ("stride",),
                                                 "padding": ("padding",)})
    held = bind_parameters(layer, entry, v, case.parameters, s, {"w": (c_out, c_in, kh, kw)})
    x = image_batch(case, v["x"])
    why = "; ".join([window_text(case), *notes[1:]])  # a setting it was not given is the likely cause
    return Evaluation({"y": image_rows(layer(x), x, window_output(case, c_out), entry, why)}, held, notes)


@runs("MaxPool2d", "maxPool2d")
def run_max_pool2d(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    """Each channel's windows on their own; the padding counts as −∞."""
    o = case.options
    kh, kw = int(o["kernelHeight"]), int(o["kernelWidth"])
    sizes = {"kernel": kh if kh == kw else (kh, kw), "KH": kh, "KW": kw, "stride": int(o["stride"]),
             "padding": int(o["padding"]), "device": "cpu"}
    layer, notes = build_layer(s, entry, sizes, {"kernel size": ("kernel", "KH"), "stride": ("stride",),
                                                 "padding": ("padding",)})
    bind_parameters(layer, entry, v, (), s)
    x = image_batch(case, v["x"])
    why = "; ".join([window_text(case), *notes[1:]])
    return Evaluation({"y": image_rows(layer(x), x, window_output(case, int(o["channels"])), entry, why)},
                      notes=notes)


@runs("BatchNorm2d", "batchNorm2d")
def run_batch_norm2d(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    """BatchNorm1d's case per channel, over N, H and W; γ, β and the running statistics
    are 1×C in the case."""
    o = case.options
    channels = int(o["channels"])
    layer, notes = build_layer(s, entry, {"C": channels, "eps": o["epsilon"], "momentum": o["momentum"],
                                          "device": "cpu"}, {"eps": ("eps",), "momentum": ("momentum",)})
    notes += adapt().settings_notes(entry, layer, {"eps": o["epsilon"], "momentum": o["momentum"]})
    held = bind_parameters(layer, entry, v, case.parameters, s)
    set_buffers(layer, entry, v, case.buffers)
    layer.train(o["mode"] == "training")
    x = image_batch(case, v["x"])
    y = image_rows(layer(x), x, tuple(x.shape[1:]), entry, "the input's own shape")
    return Evaluation({"y": y, **read_buffers(layer, entry, case)}, held, notes)


SATURATED_LOGIT = 36.8  # beyond it σ(ℓ) rounds to 1 in float64 (and 1 − σ(ℓ) to 0)


def loss_call(s: Student, entry: str, *logits: Tensor) -> tuple[Any, list[str]]:
    """The student's loss on D's logits, as documented; a loss written on D's
    probabilities (nn.BCELoss, torch.log(D)) is detected, since on logits it raises or
    gives NaN, and is given σ(ℓ) instead, with a note."""
    def finite(result: Any) -> bool:
        parts = result if isinstance(result, (tuple, list)) else [result]
        return all(not isinstance(t, Tensor) or bool(torch.isfinite(t).all()) for t in parts)

    if entry not in s.on_probabilities:
        try:
            result = s.call(entry, *logits)
            if finite(result) or entry in s.on_logits:
                s.on_logits.add(entry)
                return result, []
        except (RuntimeError, ValueError):
            if entry in s.on_logits:
                raise
        result = s.call(entry, *(torch.sigmoid(t) for t in logits))
        if not finite(result):
            return s.call(entry, *logits), []
        s.on_probabilities.add(entry)
    notes = [f"{entry} takes D's probabilities, not its logits (on logits it fails or gives NaN): "
             "it was given σ(logits)"]
    if any(bool((t.detach().abs() > SATURATED_LOGIT).any()) for t in logits):
        notes.append(f"{entry} on probabilities: at logits beyond ±{SATURATED_LOGIT:g}, σ rounds to 0 or 1 and a "
                     "loss on probabilities clamps its log (nn.BCELoss at −100, at logits ±100 and beyond), so its "
                     "value and gradient are wrong there; compute it from the logits (F.logsigmoid, "
                     "BCEWithLogitsLoss)")
    return s.call(entry, *(torch.sigmoid(t) for t in logits)), notes


@runs("discriminator_loss", "minimaxDiscriminatorLoss")
def run_discriminator_loss(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    result, notes = loss_call(s, entry, v["realLogits"], v["fakeLogits"])
    loss, real, fake = unpack(result, 3, entry, "(loss, real_term, fake_term)")
    if all(isinstance(t, Tensor) and t.numel() == 1 for t in (loss, real, fake)):
        total = float(real.detach()) + float(fake.detach())
        factor = float(loss.detach()) / total if total else 1.0
        if abs(total) > 1e-12 and abs(factor - 1) > 1e-9 and abs(float(loss.detach()) - factor * total) <= 1e-12 * abs(total):
            notes.append(f"{entry}'s loss is {factor:g} × (real + fake), its own two terms: L_D of (10) is their sum "
                         "(a constant factor, such as (real + fake) / 2)")
    return Evaluation({"loss": loss, "real": real, "fake": fake}, notes=notes)


@runs("generator_loss_saturating", "minimaxGeneratorLoss")
@runs("generator_loss_non_saturating", "nonSaturatingLoss")
def run_generator_loss(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    result, notes = loss_call(s, entry, v["fakeLogits"])
    return Evaluation({"loss": single(result, entry)}, notes=notes)


@runs("build_generator", "generator")
def run_generator(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    o = case.options
    sizes = {"Z": o["noiseSize"], "widths": list(o["widths"]), "P": o["imageSize"], "slope": o["slope"],
             "momentum": o["momentum"], "eps": o["epsilon"], "device": "cpu"}
    net, call = s.construct(entry, sizes)
    net, layers, notes = adapt().fit_network(net, list(case.parameters), case.shapes(),
                                             "the generator", {"eps": o["epsilon"], "momentum": o["momentum"]})
    net = net.double()
    held = bind_network(net, layers, "the generator", v, case.parameters, s)
    set_network_buffers(net, layers, "the generator", v, case.buffers)
    net.train(o["mode"] == "training")
    images, note = run_network(net, v["z"], o["imageSize"], "the generator")
    buffers = {name: network_buffer(net, layers, name, "the generator")
               for name in case.output_shapes if name in case.buffers}
    return Evaluation({"images": images, **buffers}, held, [f"the generator built as {call}", *notes,
                                                            *([note] if note else [])])


@runs("build_discriminator", "discriminator")
def run_discriminator(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    o = case.options
    sizes = {"P": o["imageSize"], "widths": list(o["widths"]), "slope": o["slope"], "device": "cpu"}
    net, call = s.construct(entry, sizes)
    net, layers, notes = adapt().fit_network(net, list(case.parameters), case.shapes(), "the discriminator")
    net = net.double()
    held = bind_network(net, layers, "the discriminator", v, case.parameters, s)
    net.eval()  # the case has no dropout: a student's dropout layer, if any, is off
    last = layers[max(layers, key=int)]
    seen, handle = adapt().last_layer_output(net, last)
    try:
        returned, note = run_network(net, v["x"], 1, "the discriminator")
    finally:
        handle.remove()
    logits = returned
    if seen and isinstance(returned, Tensor) and seen[-1] is not returned:
        if torch.allclose(returned.reshape(-1), torch.sigmoid(seen[-1]).reshape(-1), rtol=0, atol=1e-12):
            logits = seen[-1]
            notes.append(f"the discriminator ends in a sigmoid: its logits were read at its last linear layer "
                         f"({last}), before it")
    return Evaluation({"logits": logits}, held, [f"the discriminator built as {call}", *notes,
                                                 *([note] if note else [])])


@runs("MLP", "mlp")
def run_mlp(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    """Assignment 2's MLP, Linear → ReLU → … → Linear: built from the case's widths, its
    layers matched to the case's in the order forward runs them, the case's parameters
    set, and forward run on x. The scores are what forward returns; a forward that ends
    in a softmax (or log-softmax) has them read at its last linear layer, before it."""
    widths = [int(w) for w in case.options["widths"]]
    sizes = {"widths": widths, "D": widths[0], "hidden": widths[1:-1], "K": widths[-1], "device": "cpu"}
    maker = getattr(s.providers[entry], "__name__", entry)
    owner = entry if maker == entry else f"{entry} ({maker})"
    net, call = s.construct(entry, sizes)
    a = adapt()
    x, n, k = v["x"], v["x"].shape[0], widths[-1]
    net.eval()  # the case has no dropout: a student's dropout layer, if any, is off
    # A network built from the case's sizes keeps them: a layer of another size is a
    # mistake, named when its parameter is bound. One with its sizes written in
    # (`MLP()`) is rebuilt at the case's, as the GAN's networks are.
    took_sizes = not call.endswith("()")
    net, layers, notes = a.fit_network(net, list(case.parameters), case.shapes(), owner, resize=not took_sizes,
                                       order=a.forward_order(net, x.detach()))
    net = net.double()
    net.eval()
    shapes = case.shapes()

    def own_layout(layer: nn.Module) -> bool:
        return getattr(type(layer), "WEIGHT_LAYOUT", None) is None and not type(layer).__module__.startswith("torch.")

    # Weights stored in×out (y = x·W + b), seen from the shapes of the non-square ones,
    # unless the file declares WEIGHT_LAYOUT (as bind_model does for the RNN).
    votes = set()
    for prefix, path in layers.items():
        weight, wanted = a.weight_of(net.get_submodule(path)), shapes[f"{prefix}.w"]
        if own_layout(net.get_submodule(path)) and wanted[0] != wanted[1] and weight is not None:
            votes.add("in_out" if tuple(weight.shape) == wanted[::-1] else "out_in")
    inferred = "in_out" if votes == {"in_out"} and not s.layout_declared else None
    if inferred:
        notes.append(f"{owner}: its weights are stored in×out (y = x·W + b), as their shapes show")
    weights_first = sorted(case.parameters, key=lambda name: (int(split(name)[0]), not is_weight(name)))
    held = bind_network(net, layers, owner, v, weights_first, s,
                        lambda layer: inferred if inferred and own_layout(layer) else layout_of(layer, s))
    last = layers[max(layers, key=int)]
    seen, handle = a.last_layer_output(net, last)
    try:
        scores = net(x)
    except RuntimeError as error:
        raise InterfaceError(f"{owner}.forward raised {type(error).__name__} on the case's {shape_text(x.shape)} "
                             f"input x (widths {widths}): {str(error)[:200]}") from error
    finally:
        handle.remove()
    if isinstance(scores, (tuple, list)) and scores and isinstance(scores[0], Tensor):
        notes.append(f"{owner}.forward returns a {type(scores).__name__} of {len(scores)}: its first is the scores")
        scores = scores[0]
    if not isinstance(scores, Tensor) or scores.numel() != n * k:
        got = shape_text(scores.shape) if isinstance(scores, Tensor) else f"a {type(scores).__name__}"
        raise InterfaceError(f"{owner}.forward returned {got} on the case's {shape_text(x.shape)} input x; "
                             f"the case expects the class scores, {n}×{k} (widths {widths})")
    if seen and isinstance(seen[-1], Tensor) and seen[-1] is not scores and seen[-1].shape == scores.shape:
        last_output = seen[-1]
        for name, fn in (("a softmax", lambda t: torch.softmax(t, dim=1)),
                         ("a log-softmax", lambda t: torch.log_softmax(t, dim=1))):
            if torch.allclose(scores, fn(last_output), rtol=1e-12, atol=1e-12):
                notes.append(f"{owner}.forward ends in {name}: the scores were read at its last linear layer "
                             f"({last}), before it")
                scores = last_output
                break
    return Evaluation({"scores": scores}, held, [f"{owner} built as {call}", *notes])


def run_network(net: nn.Module, x: Tensor, width: int, owner: str) -> tuple[Tensor, str | None]:
    """The network's forward; when it fails or reshapes to sizes written in (an image
    of 28×28), the Sequential holding its layers instead, and a note."""
    try:
        out = net(x)
        if isinstance(out, Tensor) and out.numel() == x.shape[0] * width:
            return out, None
        problem = f"returned {shape_text(out.shape) if isinstance(out, Tensor) else type(out).__name__}"
    except RuntimeError as error:
        problem = f"raised {type(error).__name__}: {str(error)[:120]}"
    path, body = adapt().body_of(net)
    if body is net:
        raise InterfaceError(f"{owner}'s forward {problem} on the case's {shape_text(x.shape)} input")
    return body(x), f"{owner}'s forward {problem} at the case's sizes: its layers ({path}) were run directly"


def bind_network(net: nn.Module, layers: dict[str, str], owner: str, values: dict[str, Tensor],
                 names: Iterable[str], student: Student, layout: Callable[[nn.Module], str] | None = None) -> Held:
    """bind_parameters, each case layer (`3.gamma`) in the student's layer it was matched
    to; `layout` gives a layer's weight layout (else `layout_of`)."""
    held: Held = {}
    used: set[str] = set()
    for case_name in names:
        prefix, leaf = split(case_name)
        path = layers[prefix]
        layer = net.get_submodule(path)
        own, p = find(leaf, layer.named_parameters(recurse=False), "parameter", f"{owner} layer {path}")
        hold(held, case_name, values[case_name], p, (layout or (lambda m: layout_of(m, student)))(layer),
             f"{owner} parameter {path}.{own}")
        used.add(f"{path}.{own}")
    unset = sorted(set(n for n, _ in net.named_parameters()) - used)
    if unset:
        raise InterfaceError(f"{owner} has parameters the case does not set: {', '.join(unset)}")
    return held


def set_network_buffers(net: nn.Module, layers: dict[str, str], owner: str, values: dict[str, Tensor],
                        names: Iterable[str]) -> None:
    for case_name in names:
        prefix, leaf = split(case_name)
        layer = net.get_submodule(layers[prefix])
        _, (slot, attribute, current) = find(leaf, ((n, t) for n, t in tensor_slots(layer) if "." not in n),
                                             "buffer", f"{owner} layer {layers[prefix]}")
        to_student, _ = conversions(case_name, tuple(values[case_name].shape), tuple(current.shape), "out_in",
                                    f"{owner} buffer {layers[prefix]}.{attribute}")
        setattr(slot, attribute, to_student(values[case_name]).detach().clone().to(current.dtype))


def network_buffer(net: nn.Module, layers: dict[str, str], case_name: str, owner: str) -> Tensor:
    prefix, leaf = split(case_name)
    layer = net.get_submodule(layers[prefix])
    return find(leaf, ((n, t) for n, t in tensor_slots(layer) if "." not in n), "buffer",
                f"{owner} layer {layers[prefix]}")[1][2].detach().clone()


def optimizer_settings(case: Case) -> dict[str, Any]:
    o = case.options
    if case.kind == "sgd":
        return {"lr": o["learningRate"], "momentum": o["momentum"]}
    if case.kind == "rmsprop":
        return {"lr": o["learningRate"], "alpha": o["alpha"], "eps": o["epsilon"]}
    return {"lr": o["learningRate"], "betas": (o["beta1"], o["beta2"]), "eps": o["epsilon"]}


@runs("SGD", "sgd")
@runs("RMSprop", "rmsprop")
@runs("Adam", "adam")
def run_optimizer(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    """torch.optim's protocol: zero_grad, the case's gradients set as .grad, step."""
    w, b = nn.Parameter(v["w"].detach().clone()), nn.Parameter(v["b"].detach().clone())
    optimizer = s.call(entry, [w, b], **optimizer_settings(case))
    outputs = {}
    for t in range(1, int(case.options["steps"]) + 1):
        optimizer.zero_grad()
        w.grad, b.grad = v[f"dw({t})"].detach().clone(), v[f"db({t})"].detach().clone()
        with torch.no_grad():
            optimizer.step()
        outputs[f"w({t})"], outputs[f"b({t})"] = w.detach().clone(), b.detach().clone()
    return Evaluation(outputs)


# ----------------------------------------------------------------------------------------
# Evaluating a case: outputs, gradients, finite differences
# ----------------------------------------------------------------------------------------

def evaluate(student: Student, case: Case, values: dict[str, Tensor]) -> Evaluation:
    """The student's outputs for `values`, shaped as the case's. Randomness is reseeded
    every time, so repeated evaluations (finite differences) see the same numbers."""
    torch.default_generator.manual_seed(0)  # the CPU's: torch.manual_seed also seeds CUDA, slowly
    entry, run = RUNNERS[case.kind]
    evaluation = run(student, case, {n: t.clone() for n, t in values.items()}, entry)
    missing = [n for n in case.output_shapes if n not in evaluation.outputs]
    if missing:
        raise InterfaceError(f"no value for the output(s) {', '.join(missing)}")
    evaluation.outputs = {n: conform(evaluation.outputs[n], shape, f"output {n}")
                          for n, shape in case.output_shapes.items()}
    return evaluation


def objective_of(case: Case, outputs: dict[str, Tensor]) -> tuple[Tensor, float]:
    """The case's scalar objective, and S: the sum of the magnitudes it adds up (Σ|R⊙y|,
    or |loss|), the scale of its rounding error."""
    y = outputs[case.objective["output"]]
    terms = case.weights * y if case.objective["type"] == "weightedSum" else y
    return terms.sum(), float(terms.detach().abs().sum())


def gradients_of(student: Student, case: Case
                 ) -> tuple[dict[str, Tensor], dict[str, Tensor], dict[str, Tensor], list[str]]:
    """(outputs, gradients, the values they were taken at, notes on how the student's
    code was fitted to the case), by autograd through the student's forward."""
    values = case.values()
    for name in case.gradient_names:
        values[name].requires_grad_(True)
    evaluation = evaluate(student, case, values)
    if not case.gradient_names:
        return evaluation.outputs, {}, values, evaluation.notes
    objective, _ = objective_of(case, evaluation.outputs)
    if not objective.requires_grad:
        raise InterfaceError("the objective does not depend on any input or parameter through autograd "
                             "(is the computation detached, or done outside torch?)")
    held = evaluation.held
    targets = [held[n][0] if n in held else values[n] for n in case.gradient_names]
    raw = torch.autograd.grad(objective, targets, allow_unused=True)
    gradients = {}
    for name, target, g in zip(case.gradient_names, targets, raw):
        g = torch.zeros_like(target) if g is None else g
        gradients[name] = held[name][1](g) if name in held else g
    return evaluation.outputs, gradients, {n: t.detach() for n, t in values.items()}, evaluation.notes


@dataclass
class FiniteDifferences:
    """How many gradient elements were checked, and the worst relative error."""
    checked: int = 0
    worst: float = 0.0
    at: tuple[str, int, int] | None = None

    def record(self, error: float, name: str, index: int, columns: int) -> None:
        self.checked += 1
        worse = error > self.worst or (math.isnan(error) and not math.isnan(self.worst))
        if self.at is None or worse:  # a NaN, once seen, stays the worst
            self.worst, self.at = error, (name, index // columns, index % columns)

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"checked": self.checked, "worstRelativeError": self.worst}
        if self.at is not None:
            out["worstAt"] = {"tensor": self.at[0], "row": self.at[1], "column": self.at[2]}
        return out


def chosen(count: int, seed: str) -> list[int]:
    """Every element of a small tensor; a fixed sample of FD_ELEMENTS of a large one."""
    if count <= FD_ELEMENTS:
        return list(range(count))
    return sorted(random.Random(seed).sample(range(count), FD_ELEMENTS))


def relative_error(g: float, n: float, floor: float) -> float:
    return abs(g - n) / max(abs(g), abs(n), floor)


# A finite-difference estimate of f′: its value, and Σ|c_j| of its weights on the
# samples f_j, which is how much it amplifies their rounding noise.
Estimate = tuple[float, float]


def central(a: float, fa: float, b: float, fb: float) -> Estimate:
    """From f at a > 0 and b < 0."""
    return (fa - fb) / (a - b), 2 / (a - b)


def richardson(differences: list[Estimate]) -> list[Estimate]:
    """Richardson's tableau over central differences at h, h/2, h/4, …: each level
    cancels the next even power of h in the truncation error."""
    tableau, level, factor = list(differences), differences, 4
    while len(level) > 1:
        level = [((factor * near[0] - far[0]) / (factor - 1), (factor * near[1] + far[1]) / (factor - 1))
                 for far, near in zip(level, level[1:])]
        tableau += level
        factor *= 4
    return tableau


def one_sided(f0: float, a: float, fa: float, b: float, fb: float) -> Estimate:
    """f′(0) from f at 0, a, b on one side: second order, for unequal steps."""
    weights = (-(a + b) / (a * b), b / (a * (b - a)), -a / (b * (b - a)))
    return weights[0] * f0 + weights[1] * fa + weights[2] * fb, sum(map(abs, weights))


def check_gradients(student: Student, case: Case, values: dict[str, Tensor],
                    gradients: dict[str, Tensor]) -> FiniteDifferences:
    """Checks autograd's gradients against finite differences of the student's own
    objective, in float64.

    For each checked element θ, with h = FD_STEP·max(1, |θ|) (the steps as represented,
    (θ ± h) − θ), the central difference n = (f(θ+h) − f(θ−h)) / 2h and

        error = |g − n| / max(|g|, |n|, floor)

    The floor is where rounding noise would dominate. f adds up magnitudes totalling S
    (Σ|R⊙y|, or |loss|), so each evaluation is off by about ε·S, and an estimate Σ c_j f_j
    by about ε·S·Σ|c_j| (1/h for the central difference): with h = 1e-6 and S ≈ 5 that
    is 1e-9, which a floor of 1e-4 alone would turn into an error of 1e-5 on a gradient
    of 0. So

        floor = max(FD_FLOOR, FD_NOISE_MULTIPLE · ε · S · Σ|c_j| / FD_BAR)

    On every visible case and a hidden set (120 cases) the noise stays below
    0.85·ε·S·Σ|c_j|, so it costs a correct gradient at most about FD_BAR/38; below the
    floor the test is absolute.

    Where the central difference disagrees (error above FD_LOOK_CLOSER, a tenth of the
    bar, so that a correct gradient ends well below it), f is also sampled at
    θ ± h/2 and θ ± h/4 and more estimates are tried, the closest counting: Richardson's
    tableau over the three steps, for a function that bends on a scale much shorter
    than |θ| (BatchNorm on inputs offset by 1e4: h = 1e-2 there, the batch's spread is 1,
    and the central difference is off by 4e-4); and one-sided differences from each
    side (at h/2 and h), for a rectifier's kink (an input exactly 0), where either side's slope is a
    correct gradient.
    """
    def f(at: dict[str, Tensor]) -> float:
        with torch.no_grad():
            return objective_of(case, evaluate(student, case, at).outputs)[0].item()

    base = {n: t.clone() for n, t in values.items()}
    with torch.no_grad():
        objective, scale = objective_of(case, evaluate(student, case, base).outputs)
    f0, noise = objective.item(), FD_NOISE_MULTIPLE * EPSILON * scale / FD_BAR
    report = FiniteDifferences()
    for name, gradient in gradients.items():
        flat, g_flat = base[name].view(-1), gradient.detach().reshape(-1).tolist()
        columns = base[name].shape[1]
        for k in chosen(flat.numel(), f"{case.key}:{name}"):
            theta, g = float(flat[k]), g_flat[k]
            h = FD_STEP * max(1.0, abs(theta))

            def at(multiple: float) -> tuple[float, float]:
                flat[k] = theta + multiple * h
                step = float(flat[k]) - theta
                value = f(base)
                flat[k] = theta
                return step, value

            def error_of(estimate: Estimate) -> float:
                return relative_error(g, estimate[0], max(FD_FLOOR, noise * estimate[1]))

            (up, f_up), (down, f_down) = at(1), at(-1)
            error = error_of(central(up, f_up, down, f_down))
            if not error <= FD_LOOK_CLOSER:
                ups, downs = [(up, f_up), at(0.5), at(0.25)], [(down, f_down), at(-0.5), at(-0.25)]
                estimates = richardson([central(*u, *d) for u, d in zip(ups, downs)])
                estimates += [one_sided(f0, *ups[1], *ups[0]), one_sided(f0, *downs[1], *downs[0])]
                error = min(error, *map(error_of, estimates))
            report.record(error, name, k, columns)
    return report


# ----------------------------------------------------------------------------------------
# All cases
# ----------------------------------------------------------------------------------------


# ----------------------------------------------------------------------------------------
# All cases (the student's side)
# ----------------------------------------------------------------------------------------

def tensor_json(t: Tensor) -> dict[str, Any]:
    t = t.detach().to(torch.float64)
    return {"shape": [int(t.shape[0]), int(t.shape[1])], "values": [float(v) for v in t.reshape(-1).tolist()]}


def answer_case(student: Student, case: Case, *, finite_differences: bool = True,
                notes: list[str] | None = None) -> dict[str, Any]:
    """One case's entry in the answers file; what the fitting noted is added to `notes`."""
    outputs, gradients, values, fitted = gradients_of(student, case)
    if notes is not None:
        notes += fitted
    entry: dict[str, Any] = {"outputs": {n: tensor_json(t) for n, t in outputs.items()}}
    if gradients:
        entry["gradients"] = {n: tensor_json(t) for n, t in gradients.items()}
        if finite_differences:
            entry["finiteDifferences"] = check_gradients(student, case, values, gradients).json()
    return entry


def answered(student: Student, case: Case, finite_differences: bool) -> tuple[dict[str, Any], str | None, list[str]]:
    """The case's entry, the traceback when it raised (the entry is then
    `{"error": "Type: message"}`), and the notes for the report."""
    notes: list[str] = []
    try:
        return answer_case(student, case, finite_differences=finite_differences, notes=notes), None, notes
    except (Exception, SystemExit) as error:
        return {"error": f"{type(error).__name__}: {error}"}, traceback.format_exc(), notes


def skip_reason(kind: str, has: Callable[[str], bool]) -> str | None:
    """Why a case gets no answer: a kind the tool does not know, or a missing entry point."""
    if kind not in RUNNERS:
        return f"unknown kind {kind!r}"
    entry = RUNNERS[kind][0]
    return None if has(entry) else MISSING.get(entry, f"no {entry}")


MISSING = {"MLP": "no MLP: no class MLP(nn.Module), no other class whose name says MLP, and no function "
                  "build_mlp(widths)"}


def assignment_entries(assignment: int) -> list[str]:
    """The entry points the assignment's cases call, in ENTRY_POINTS' order."""
    used = {RUNNERS[kind][0] for kind in ASSIGNMENT_KINDS[assignment] if kind in RUNNERS}
    return [e for e in ENTRY_POINTS if e in used]


@dataclass
class Run:
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    skipped: dict[str, list[str]] = field(default_factory=dict)   # reason → keys
    failed: dict[str, str] = field(default_factory=dict)          # key → the error
    tracebacks: dict[str, str] = field(default_factory=dict)
    not_run: dict[str, list[str]] = field(default_factory=dict)   # reason → keys
    events: list[str] = field(default_factory=list)               # what happened to the child process
    notes: dict[str, list[str]] = field(default_factory=dict)     # a note on the student's code → keys

    def note(self, key: str, notes: Iterable[str]) -> None:
        for text in dict.fromkeys(notes):
            self.notes.setdefault(text, []).append(key)


def answer_all(student: Student, cases: Iterable[CaseFile | Case], *, finite_differences: bool = True) -> Run:
    """Every case the student has an entry point for, in this process (the child's loop,
    for tests); one that raises is written as `{"error": "Type: message"}` and the run
    goes on. A `CaseFile` goes through the same message the child receives."""
    run = Run()
    torch.set_num_threads(1)
    for case in cases:
        reason = skip_reason(case.kind, student.has)
        if reason is not None:
            run.skipped.setdefault(reason, []).append(case.key)
            continue
        if isinstance(case, CaseFile):
            case = Case.of(json.loads(json.dumps(jsonable(case.message()), allow_nan=False)))
        entry, trace, notes = answered(student, case, finite_differences)
        run.answers[case.key] = entry
        run.note(case.key, notes)
        if trace is not None:
            run.failed[case.key], run.tracebacks[case.key] = entry["error"], trace
    return run


def jsonable(value: Any) -> Any:
    """NaN and the infinities as the strings the Swift reader accepts."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


# ----------------------------------------------------------------------------------------
# The child: `--serve STUDENT.py` and `--probe`
# ----------------------------------------------------------------------------------------
#
# The protocol is one JSON object per line. The tool's process writes to the child's
# standard input, the child answers on its standard output. Before anything else the
# child moves both to private descriptors, points fd 0 at /dev/null and fd 1 at its
# standard error, so what the student's code reads or prints never touches the protocol.
#
#   child → tool: {"ready": {"found": [entry points], "layout": "out_in"}}
#                 or {"importError": {"type", "message", "traceback"}}, {"refused": text}, {"fatal": text}
#   tool → child: {"case": CaseFile.message(), "finiteDifferences": true}
#   child → tool: {"key": key, "answer": entry} or {"key": key, "error": text, "traceback": text}
#
# The child ends when its standard input ends.

class Channel:
    """The child's end of the protocol."""

    def __init__(self) -> None:
        self.out = os.dup(1)  # os.dup's copies do not survive an exec: the student's subprocesses lack them
        self.reader = os.fdopen(os.dup(0), "rb")
        os.dup2(2, 1)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        sys.stdout = sys.stderr

    def send(self, message: dict[str, Any]) -> None:
        view = memoryview((json.dumps(jsonable(message), allow_nan=False, separators=(",", ":")) + "\n").encode())
        while view:
            view = view[os.write(self.out, view):]

    def receive(self) -> dict[str, Any] | None:
        line = self.reader.readline()
        return json.loads(line) if line else None


def serve(arguments: list[str]) -> None:
    """Imports the student's files and answers cases until standard input ends.
    `arguments`: the files, and `--definitions-only` when a whole import ran out of time."""
    channel = Channel()
    os.chdir(os.environ.get("TMPDIR") or tempfile.gettempdir())  # the child's own /tmp, or its private home
    try:
        load_torch()
    except Exception as missing:  # ImportError, or a torch that cannot load its libraries
        channel.send({"fatal": f"needs PyTorch ({missing}); {TORCH_HINT}"})
        os._exit(0)
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float64)
    definitions_only = True if DEFINITIONS_ONLY in arguments else None
    paths = [Path(a) for a in arguments if a != DEFINITIONS_ONLY]
    declaration = Path(__file__).resolve().parent / DECLARATION
    try:
        module, report = import_students(paths, definitions_only)
        declared = json.loads(declaration.read_text(encoding="utf-8")) if declaration.is_file() else {}
        student = Student.of(module, declared)
        whole_errors = module.__dict__.get("__learn_whole_errors__", [])
        if whole_errors and not student.found():  # nothing to grade: the import's own error says why
            name, error, trace = whole_errors[0]
            channel.send({"importError": {"type": type(error).__name__, "message": str(error), "traceback": trace}})
            os._exit(0)
        if not student.found() and report.skipped and definitions_only is None:
            import_students(paths, definitions_only=False)  # nothing to grade: what the whole import raises says why
    except InterfaceError as error:
        channel.send({"refused": str(error)})
        os._exit(0)
    except BaseException as error:  # SystemExit and KeyboardInterrupt too: the file's main() may call exit()
        channel.send({"importError": {"type": type(error).__name__, "message": str(error),
                                      "traceback": traceback.format_exc()}})
        os._exit(0)
    torch.set_num_threads(1)  # whatever the file set
    channel.send({"ready": {"found": student.found(), "layout": student.layout,
                            "notes": report.lines() + student.notes}})
    while (message := channel.receive()) is not None:
        case = Case.of(message["case"])
        entry, trace, notes = answered(student, case, bool(message["finiteDifferences"]))
        reply = {"key": case.key, "answer": entry} if trace is None else {
            "key": case.key, "error": entry["error"], "traceback": trace}
        channel.send({**reply, "notes": notes} if notes else reply)
    os._exit(0)  # no atexit handler or leftover thread of the student's keeps the process


def torch_origin() -> str | None:
    """Where `import torch` would load it from, without loading it."""
    spec = importlib.util.find_spec("torch")
    return None if spec is None else spec.origin


def probe() -> int:
    """The sandbox's self-test, run inside it without any student code: tries what the
    request lists and reports what happened (`ok` or the exception's name)."""
    request = json.loads(sys.stdin.read())

    def attempt(action: Callable[[], Any]) -> Any:
        try:
            return action()
        except Exception as error:
            return type(error).__name__

    def read(path: str) -> str:
        with open(path, "rb") as file:
            file.read(64)
        return "ok"

    def write(folder: str) -> str:
        descriptor = os.open(os.path.join(folder, f".learn-probe-{secrets.token_hex(4)}"),
                             os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(descriptor)
        return "ok"

    def connect(host: str, port: int) -> str:
        socket.create_connection((host, port), timeout=3).close()
        return "ok"

    parent = os.getppid()
    reads = list(request["read"]) + [f"/proc/{parent}/cmdline", f"/proc/{parent}/environ"]
    status = {}
    with open("/proc/self/status", encoding="utf-8") as file:
        for line in file:
            name, _, value = line.partition(":")
            if name in ("Uid", "Gid", "Groups", "NoNewPrivs", "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
                status[name] = value.split()
    report = {
        "status": status,
        "reads": {p: attempt(lambda p=p: read(p)) for p in reads},
        "lists": {p: attempt(lambda p=p: sorted(os.listdir(p))) for p in request["list"]},
        "writes": {p: attempt(lambda p=p: write(p)) for p in request["write"]},
        "connects": {f"{h}:{port}": attempt(lambda h=h, port=port: connect(h, port)) for h, port in request["connect"]},
        "interfaces": attempt(lambda: sorted(name for _, name in socket.if_nameindex())),
        "torch": attempt(torch_origin),
    }
    print(json.dumps(report))
    return 0


# ----------------------------------------------------------------------------------------
# The tool's process: checking what the child sends
# ----------------------------------------------------------------------------------------

MAX_MESSAGE = 64 << 20     # bytes in one line from the child
MAX_ERROR = 4000           # characters of a case's error message kept
MAX_TRACEBACK = 50_000
NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


class Garbage(Exception):
    """A message from the child that breaks the protocol: the child is stopped."""


def clipped(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + f"… ({len(text) - limit} more characters)"


def printable(text: str, lines: bool = False) -> str:
    """Text from the student's side, safe for a terminal: control characters become '?'."""
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]" if lines else r"[\x00-\x1f\x7f-\x9f]", "?", text)


def described(value: Any) -> str:
    text = json.dumps(value) if isinstance(value, (str, int, float, bool, type(None))) else type(value).__name__
    return clipped(text, 60)


def parse_message(line: bytes) -> Any:
    def bare(constant: str) -> Any:
        raise ValueError(f"a bare {constant}")
    try:
        return json.loads(line.decode("utf-8"), parse_constant=bare)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise Garbage(f"a line that is not JSON ({clipped(str(error), 200)}): {printable(clipped(repr(line), 80))}")


def fields(value: Any, required: set[str], where: str, optional: frozenset[str] = frozenset()) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Garbage(f"{where} is {described(value)}, not an object")
    missing, extra = required - set(value), set(value) - required - optional
    if missing or extra:
        raise Garbage(f"{where} has " + "; ".join(
            ([f"no {', '.join(sorted(missing))}"] if missing else []) +
            ([f"unexpected {', '.join(sorted(map(str, extra)))}"] if extra else [])))
    return value


def count(value: Any, where: str, below: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or (below is not None and value >= below):
        bound = f" below {below}" if below is not None else ""
        raise Garbage(f"{where} is {described(value)}, not a count{bound}")
    return value


def number(value: Any, where: str) -> float:
    """A double as the child writes it: a JSON number, or "NaN", "Infinity", "-Infinity"."""
    if isinstance(value, str) and value in NON_FINITE:
        return NON_FINITE[value]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Garbage(f"{where} is {described(value)}, not a number")
    try:
        return float(value)
    except OverflowError:
        raise Garbage(f"{where} is an integer too large for a double") from None


def tensor_answer(value: Any, shape: Shape, where: str) -> dict[str, Any]:
    fields(value, {"shape", "values"}, where)
    if value["shape"] != list(shape):
        raise Garbage(f"{where} has shape {described(value['shape'])}, the case's is {list(shape)}")
    values = value["values"]
    if not isinstance(values, list) or len(values) != shape[0] * shape[1]:
        given = f"{len(values)} values" if isinstance(values, list) else described(values)
        raise Garbage(f"{where} has {given}, not {shape[0] * shape[1]}")
    return {"shape": list(shape), "values": [number(v, f"{where}[{k}]") for k, v in enumerate(values)]}


def tensors_answer(value: Any, shapes: dict[str, Shape], where: str) -> dict[str, Any]:
    fields(value, set(shapes), where)
    return {n: tensor_answer(value[n], s, f"{where}.{n}") for n, s in shapes.items()}


def finite_differences_answer(value: Any, case: CaseFile) -> dict[str, Any]:
    """The child's finite-difference report, checked: as many elements as the check
    takes, a worst relative error that is a number ≥ 0 (or NaN), a place inside a
    gradient. It is the student's side's own word, so it is never trusted beyond that."""
    where = "finiteDifferences"
    expected = sum(min(FD_ELEMENTS, r * c) for r, c in case.gradient_shapes.values())
    fields(value, {"checked", "worstRelativeError"} | ({"worstAt"} if expected else set()), where)
    checked = count(value["checked"], f"{where}.checked")
    if checked != expected:
        raise Garbage(f"{where}.checked is {checked}, but the check takes {expected} elements")
    worst = number(value["worstRelativeError"], f"{where}.worstRelativeError")
    if worst < 0:
        raise Garbage(f"{where}.worstRelativeError is {worst!r}: a relative error is never below 0")
    entry: dict[str, Any] = {"checked": checked, "worstRelativeError": worst}
    if expected:
        at = fields(value["worstAt"], {"tensor", "row", "column"}, f"{where}.worstAt")
        if at["tensor"] not in case.gradient_shapes:
            raise Garbage(f"{where}.worstAt.tensor is {described(at['tensor'])}, not one of the case's gradients")
        rows, columns = case.gradient_shapes[at["tensor"]]
        entry["worstAt"] = {"tensor": at["tensor"], "row": count(at["row"], f"{where}.worstAt.row", rows),
                            "column": count(at["column"], f"{where}.worstAt.column", columns)}
    return entry


def validated_entry(case: CaseFile, value: Any, finite_differences: bool = True) -> dict[str, Any]:
    """An answer from the child, checked against the case: its outputs and gradients by
    name and shape, doubles only, and the finite-difference report. Raises Garbage."""
    has_gradients = bool(case.gradient_shapes)
    fields(value, {"outputs"} | ({"gradients"} if has_gradients else set())
           | ({"finiteDifferences"} if has_gradients and finite_differences else set()), "the answer")
    entry = {"outputs": tensors_answer(value["outputs"], case.output_shapes, "outputs")}
    if has_gradients:
        entry["gradients"] = tensors_answer(value["gradients"], case.gradient_shapes, "gradients")
        if finite_differences:
            entry["finiteDifferences"] = finite_differences_answer(value["finiteDifferences"], case)
    return entry


MAX_NOTES = 40


def validated_notes(value: Any, where: str) -> list[str]:
    """Notes for the report: a short list of texts, made safe to print."""
    if not isinstance(value, list) or len(value) > MAX_NOTES or not all(isinstance(n, str) for n in value):
        raise Garbage(f"{where} are not a list of at most {MAX_NOTES} texts")
    return [printable(clipped(n, MAX_ERROR)) for n in value]


def reply_notes(reply: Any) -> list[str]:
    """A reply's notes on how the student's code was fitted to the case (validated_reply
    checks the reply first)."""
    return validated_notes(reply["notes"], "the reply's notes") if "notes" in reply else []


def validated_reply(case: CaseFile, reply: Any) -> tuple[dict[str, Any], str | None]:
    """(the case's entry, the traceback when the student's code raised)."""
    if not isinstance(reply, dict) or reply.get("key") != case.key:
        key = reply.get("key") if isinstance(reply, dict) else None
        raise Garbage(f"a reply for {described(key)} when {case.key!r} was asked")
    reply_notes(reply)
    if "answer" in reply:
        fields(reply, {"key", "answer"}, "the reply", frozenset({"notes"}))
        return validated_entry(case, reply["answer"]), None
    fields(reply, {"key", "error", "traceback"}, "the reply", frozenset({"notes"}))
    if not isinstance(reply["error"], str) or not isinstance(reply["traceback"], str):
        raise Garbage("an error reply whose error or traceback is not text")
    return {"error": clipped(reply["error"], MAX_ERROR)}, clipped(reply["traceback"], MAX_TRACEBACK)


@dataclass
class Ready:
    found: list[str]
    layout: str
    notes: list[str] = field(default_factory=list)  # what the import skipped or stubbed, which class is which


class Stop(Exception):
    """The student's file cannot be run at all (exit 2)."""

    def __init__(self, kind: str, text: str, trace: str | None = None, timed_out: bool = False):
        super().__init__(text)
        self.kind, self.text, self.trace = kind, text, trace  # kind: import, refused, fatal
        self.timed_out = timed_out  # the import ran past --import-timeout

    def line(self, student: Path) -> str:
        if self.kind == "import":
            return f"learn_answers: cannot import {student}: {self.text}"
        if self.kind == "refused":
            return f"learn_answers: {student}: {self.text}"
        return f"learn_answers: {self.text}"


def validated_ready(message: Any) -> Ready:
    """The child's first message: ready, or why the file cannot be run (raises Stop)."""
    if not isinstance(message, dict) or len(message) != 1:
        raise Garbage(f"a first message that is {described(message)}")
    (kind, body), = message.items()
    if kind == "ready":
        fields(body, {"found", "layout"}, "the ready message", frozenset({"notes"}))
        found = body["found"]
        if (not isinstance(found, list) or len(set(map(str, found))) != len(found)
                or not all(isinstance(e, str) and e in ENTRY_POINTS for e in found)):
            raise Garbage("a list of entry points that are not the tool's")
        if body["layout"] not in LAYOUTS:
            raise Garbage(f"a layout {described(body['layout'])}")
        notes = validated_notes(body["notes"], "the ready message's notes") if "notes" in body else []
        return Ready([e for e in ENTRY_POINTS if e in found], body["layout"], notes)
    if kind == "importError":
        fields(body, {"type", "message", "traceback"}, "the import error")
        if not all(isinstance(body[k], str) for k in ("type", "message", "traceback")):
            raise Garbage("an import error that is not text")
        first = body["message"].strip().splitlines()[0] if body["message"].strip() else ""
        raise Stop("import", printable(clipped(body["type"] + (f": {first}" if first else ""), MAX_ERROR)),
                   clipped(body["traceback"], MAX_TRACEBACK))
    if kind in ("refused", "fatal") and isinstance(body, str):
        raise Stop(kind, printable(clipped(body, MAX_ERROR)))
    raise Garbage(f"a first message {kind!r}")


# ----------------------------------------------------------------------------------------
# The tool's process: running the child
# ----------------------------------------------------------------------------------------

MAX_RESTARTS = 3           # after a child died or a case timed out
OUTPUT_LIMIT = 64 << 10    # bytes of the student's output shown, unless --verbose
GRACE = 10.0               # seconds for a child to end once its input has ended


class ChildDied(Exception):
    """The child ended, or closed its end of the protocol, before answering."""


class TimedOut(Exception):
    pass


class StudentOutput:
    """What the student's code prints (the child's standard error), shown on this
    process's standard error, each line marked and made safe for a terminal."""

    def __init__(self, limit: int | None):
        self.left, self.partial, self.dropped = limit, b"", 0

    def feed(self, data: bytes) -> None:
        *lines, self.partial = (self.partial + data).split(b"\n")
        if len(self.partial) > 4096:
            lines.append(self.partial)
            self.partial = b""
        for line in lines:
            self.show(line)

    def show(self, line: bytes) -> None:
        if self.left is not None:
            if self.left <= 0:
                self.dropped += len(line) + 1
                return
            self.left -= len(line) + 1
        print(f"[student] {printable(line.decode('utf-8', 'replace'))}", file=sys.stderr, flush=True)

    def finish(self) -> None:
        if self.partial:
            self.show(self.partial)
            self.partial = b""
        if self.dropped:
            print(f"[student] … {self.dropped} more bytes of output not shown (--verbose shows all)", file=sys.stderr)
            self.dropped = 0


@dataclass
class Limits:
    import_timeout: float
    case_timeout: float
    timeout: float
    memory: int  # MiB of address space

    @property
    def cpu(self) -> int:
        """CPU seconds: a backstop behind the wall-clock limits."""
        return int(math.ceil(self.timeout)) + 10


@dataclass
class Launch:
    """How to start a child: the command, its environment and folder, and for the
    unsandboxed child the limits to set before it starts."""
    argv: list[str]
    env: dict[str, str]
    cwd: str
    sandboxed: bool
    limits: Limits
    preexec: Callable[[], None] | None = None


def status_text(returncode: int, launch: Launch) -> str:
    """An exit status in words. In the sandbox, a signal that killed Python comes back
    as 128 + n from the shell that started it."""
    number = -returncode if returncode < 0 else (returncode - 128 if launch.sandboxed and 128 < returncode <= 192
                                                 else None)
    if number is None:
        return f"exit status {returncode}"
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = f"signal {number}"
    hint = {signal.SIGKILL: f"out of memory, or killed; the limit is {launch.limits.memory} MiB",
            signal.SIGSEGV: f"a crash, perhaps out of memory; the limit is {launch.limits.memory} MiB",
            signal.SIGXCPU: f"past its limit of {launch.limits.cpu} CPU seconds",
            signal.SIGXFSZ: "it wrote a file past the size limit"}.get(number)
    return f"killed by {name}" + (f": {hint}" if hint else "")


class Child:
    """The process running the student's code, spoken to through pipes, with a deadline
    on every wait; what it prints goes to StudentOutput."""

    def __init__(self, launch: Launch, output: StudentOutput):
        self.launch, self.output = launch, output
        self.process = subprocess.Popen(
            launch.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=launch.env,
            cwd=launch.cwd, preexec_fn=launch.preexec, start_new_session=True, close_fds=True)
        self.fds = {"in": self.process.stdin.fileno(), "out": self.process.stdout.fileno(),
                    "err": self.process.stderr.fileno()}
        for fd in self.fds.values():
            os.set_blocking(fd, False)
        self.open = {"in": True, "out": True, "err": True}
        self.outgoing, self.incoming = bytearray(), bytearray()

    def send(self, message: dict[str, Any]) -> None:
        self.outgoing += (json.dumps(jsonable(message), allow_nan=False, separators=(",", ":")) + "\n").encode()

    def receive(self, deadline: float) -> Any:
        """The next message, parsed; raises TimedOut, ChildDied or Garbage."""
        while True:
            newline = self.incoming.find(b"\n")
            if newline >= 0:
                line = bytes(self.incoming[:newline])
                del self.incoming[:newline + 1]
                return parse_message(line)
            if len(self.incoming) > MAX_MESSAGE:
                raise Garbage(f"a line longer than {MAX_MESSAGE >> 20} MiB")
            if not self.open["out"]:
                raise ChildDied(self.ended())
            if self.process.poll() is not None:
                self.pump(0.0, drain=True)  # what it wrote before it ended (a stray may hold the pipe open)
                if b"\n" not in self.incoming:
                    raise ChildDied(self.ended())
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimedOut()
            self.pump(min(remaining, 0.25))

    def pump(self, timeout: float, drain: bool = False) -> None:
        """One round of moving bytes: the pending request in, the answers and the
        student's output out. With `drain`, reads until nothing is left (for a second
        at most: a stray process may still be writing)."""
        end = time.monotonic() + 1.0
        while True:
            readers = [self.fds[k] for k in ("out", "err") if self.open[k]]
            writers = [self.fds["in"]] if self.outgoing and self.open["in"] else []
            if not readers and not writers:
                if timeout:
                    time.sleep(timeout)
                return
            ready_read, ready_write, _ = select.select(readers, writers, [], timeout)
            if ready_write:
                try:
                    del self.outgoing[:os.write(self.fds["in"], self.outgoing[:1 << 16])]
                except BlockingIOError:
                    pass
                except OSError:  # the child closed its input: its end shows on the output
                    self.outgoing.clear()
                    self.close_pipe("in")
            for key in ("out", "err"):
                if self.open[key] and self.fds[key] in ready_read:
                    try:
                        data = os.read(self.fds[key], 1 << 20)
                    except BlockingIOError:
                        continue
                    if not data:
                        self.close_pipe(key)
                    elif key == "out":
                        self.incoming += data
                    else:
                        self.output.feed(data)
            if not drain or not ready_read or len(self.incoming) > MAX_MESSAGE or time.monotonic() > end:
                return

    def close_pipe(self, key: str) -> None:
        if self.open[key]:
            self.open[key] = False
            {"in": self.process.stdin, "out": self.process.stdout, "err": self.process.stderr}[key].close()

    def wait(self, seconds: float) -> int | None:
        end = time.monotonic() + seconds
        while self.process.poll() is None and time.monotonic() < end:
            self.pump(min(0.1, max(0.0, end - time.monotonic())))
        return self.process.poll()

    def ended(self) -> str:
        """Why the child stopped answering, once it has ended (it is killed if it has not)."""
        returncode = self.wait(5.0)
        if returncode is None:
            self.kill()
            return "it closed its end of the protocol and was stopped"
        self.kill()
        return status_text(returncode, self.launch)

    def kill(self) -> None:
        """SIGKILL to the child: in the sandbox that is `unshare`, whose `--kill-child`
        takes the PID namespace and everything in it along; then every process that
        was reparented to this one goes too."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except OSError:
                pass
            self.process.kill()
        self.process.wait()
        self.pump(0.0, drain=True)
        for key in ("in", "out", "err"):
            self.close_pipe(key)
        reap_strays()

    def close(self) -> None:
        """The normal end: its input ends, it exits, or it is killed after GRACE seconds."""
        self.close_pipe("in")
        self.wait(GRACE)
        self.kill()


def become_subreaper() -> None:
    """Orphans of the child (a student's detached process, or the sandbox's shell once
    `unshare` is killed) are reparented to this process, so reap_strays can end them."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
        except (OSError, AttributeError):
            pass


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as file:
                    stat = file.read()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry))
    return found


def reap_strays(seconds: float = 10.0) -> None:
    """Kills and reaps every child left to this process, until there is none."""
    if not os.path.isdir("/proc/self"):
        return
    end = time.monotonic() + seconds
    while (strays := children_of(os.getpid())) and time.monotonic() < end:
        for pid in strays:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        for pid in strays:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def start(launch: Launch, limits: Limits, run_deadline: float, output: StudentOutput) -> tuple[Child, Ready, Launch]:
    """A child that has imported the student's files; raises Stop when it cannot. A whole
    import past --import-timeout (a module level that trains, unrecognised) is tried
    once more with the definitions only; the launch that worked is returned."""
    try:
        child, ready = start_once(launch, limits, run_deadline, output)
        return child, ready, launch
    except Stop as stop:
        if not stop.timed_out or DEFINITIONS_ONLY in launch.argv or time.monotonic() >= run_deadline:
            raise
        narrower = dataclasses.replace(launch, argv=[*launch.argv, DEFINITIONS_ONLY])
        try:
            child, ready = start_once(narrower, limits, run_deadline, output)
        except Stop:
            raise stop from None
        if not ready.found:
            child.close()
            raise stop from None
        ready.notes.insert(0, f"importing the files whole did not finish within {limits.import_timeout:g} s "
                              "(--import-timeout): their definitions only were imported")
        return child, ready, narrower


def start_once(launch: Launch, limits: Limits, run_deadline: float, output: StudentOutput) -> tuple[Child, Ready]:
    child = Child(launch, output)
    import_deadline = time.monotonic() + limits.import_timeout
    try:
        ready = validated_ready(child.receive(min(import_deadline, run_deadline)))
    except TimedOut:
        child.kill()
        if run_deadline < import_deadline:
            raise Stop("import", f"the run passed --timeout {limits.timeout:g} s during the import, "
                                 "so it was stopped") from None
        raise Stop("import", f"the import did not finish within {limits.import_timeout:g} s (--import-timeout), "
                             "so it was stopped: training code belongs under `if __name__ == \"__main__\":`",
                   timed_out=True) from None
    except ChildDied as died:
        raise Stop("import", f"the process importing it died ({died})") from None
    except Garbage as bad:
        child.kill()
        raise Stop("import", f"the process importing it broke the protocol: {bad}") from None
    except Stop:
        child.close()
        raise
    return child, ready


def grade(cases: list[CaseFile], launch: Launch, limits: Limits, output: StudentOutput) -> tuple[Ready, Run]:
    """Every case through one child. A child that dies, or a case past --case-timeout,
    costs that case, and a new child takes the rest (at most MAX_RESTARTS times). A
    broken protocol or the end of --timeout costs the rest."""
    run = Run()
    run_deadline = time.monotonic() + limits.timeout
    child: Child | None
    child, ready, launch = start(launch, limits, run_deadline, output)
    stopped: str | None = None  # why the remaining cases are not run
    restarts = 0

    def lost(key: str, error: str, rest: str | None = None) -> None:
        """The case's error. With `rest`, the reason every remaining case is not run;
        without, the next case starts a new child."""
        nonlocal stopped
        run.answers[key] = {"error": error}
        run.failed[key] = error
        stopped = rest

    try:
        for case in cases:
            reason = skip_reason(case.kind, ready.found.__contains__)
            if reason is not None:
                run.skipped.setdefault(reason, []).append(case.key)
                continue
            if stopped is None and child is None:
                restarts += 1
                if restarts > MAX_RESTARTS:
                    stopped = f"the process running the student's code was lost {restarts} times"
                else:
                    try:
                        child, _, launch = start(launch, limits, run_deadline, output)
                        run.events.append(f"a new process took the remaining cases from {case.key} on "
                                          f"(restart {restarts} of {MAX_RESTARTS})")
                    except Stop as stop:
                        stopped = f"a new process for the remaining cases could not import the file: {stop.text}"
                if stopped is not None:
                    run.events.append(f"{stopped}: the remaining cases are not run")
            if stopped is not None:
                run.not_run.setdefault(stopped, []).append(case.key)
                run.answers[case.key] = {"error": f"NotRun: {stopped}"}
                continue
            try:
                child.send({"case": case.message(), "finiteDifferences": True})
                reply = child.receive(min(time.monotonic() + limits.case_timeout, run_deadline))
                entry, trace = validated_reply(case, reply)
                run.note(case.key, reply_notes(reply))
            except TimedOut:
                child.kill()
                child = None
                if time.monotonic() >= run_deadline:
                    lost(case.key, f"Timeout: the run passed --timeout {limits.timeout:g} s during this case",
                         f"the run passed --timeout {limits.timeout:g} s")
                else:
                    lost(case.key, f"Timeout: the case took longer than --case-timeout {limits.case_timeout:g} s")
                continue
            except ChildDied as died:
                child = None
                lost(case.key, f"Died: the process running the student's code ended during this case ({died})")
                continue
            except Garbage as bad:
                child.kill()
                child = None
                lost(case.key, f"Rejected: the answer broke the protocol: {bad}",
                     f"the process running the student's code broke the protocol at {case.key}")
                continue
            run.answers[case.key] = entry
            if trace is not None:
                run.failed[case.key], run.tracebacks[case.key] = entry["error"], trace
    except BaseException:  # Ctrl-C, or a bug: the child goes at once
        if child is not None:
            child.kill()
        raise
    if child is not None:
        child.close()
    return ready, run


# ----------------------------------------------------------------------------------------
# The tool's process: where the child runs
# ----------------------------------------------------------------------------------------

NOBODY = 65534
TMP_MIB = 64               # the sandbox's /tmp
FILE_LIMIT = 64 << 20      # bytes in any one file the child writes
PROCESS_LIMIT = 128        # processes and threads of uid 65534
SANDBOX_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
SYSTEM_DIRECTORIES = ("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
OUTSIDE = ("1.1.1.1", 443)
PROBE_TIMEOUT = 30.0

# Runs as root, as PID 1 of a new PID namespace, in a new mount namespace. Arguments: the
# new root, the tool's private folder, the student's private folder, the size of /tmp,
# then `bind DIR` (read-only, at the same path) and `link PATH TARGET`, `--`, and the
# command to run in the new root. Paths only ever arrive as arguments.
SANDBOX_SCRIPT = r"""
set -eu
root=$1 learn=$2 student=$3 tmp_size=$4
shift 4
robind() {
    mkdir -p "$2"
    mount --bind "$1" "$2"
    mount -o remount,bind,ro,nosuid,nodev "$2"
}
mount -t tmpfs -o mode=0755,size=1m,nosuid,nodev tmpfs "$root"
mkdir "$root/tmp" "$root/proc" "$root/dev"
mount -t tmpfs -o "mode=1777,size=$tmp_size,nosuid,nodev" tmpfs "$root/tmp"
mount -t proc -o nosuid,nodev,noexec,hidepid=2 proc "$root/proc"
for name in null zero urandom random; do
    : > "$root/dev/$name"
    mount --bind "/dev/$name" "$root/dev/$name"
done
ln -s /proc/self/fd "$root/dev/fd"
while [ "$1" != -- ]; do
    case $1 in
        bind) robind "$2" "$root$2"; shift 2 ;;
        link) ln -s "$3" "$root$2"; shift 3 ;;
        *) echo "sandbox: unknown argument $1" >&2; exit 125 ;;
    esac
done
shift
robind "$learn" "$root/learn"
robind "$student" "$root/student"
mount -o remount,ro,nosuid,nodev "$root"
chroot "$root" "$@"
"""


def inside(outer: str, inner: str) -> bool:
    return inner == outer or inner.startswith(outer.rstrip("/") + "/")


class Workspace:
    """A fresh folder only this process's user can enter: private copies of the
    student's files (the child never sees the original folder, which may hold other
    files), a copy of this tool and of the instructor's declaration, the sandbox's
    mount point and the unsandboxed child's home."""

    def __init__(self, student: Path | list[Path], declaration: dict[str, Any] | None = None):
        files = [student] if isinstance(student, Path) else list(student)
        names = [f.name for f in files]
        if len(set(names)) != len(names):
            raise SetupError(f"two of the student's files have the same name: {', '.join(sorted(names))}")
        self.folder = Path(tempfile.mkdtemp(prefix="learn-answers-"))  # 0700
        self.learn, self.student_folder = self.folder / "learn", self.folder / "student"
        self.root, self.home = self.folder / "root", self.folder / "home"
        for folder, mode in ((self.learn, 0o755), (self.student_folder, 0o755), (self.root, 0o755),
                             (self.home, 0o700)):
            folder.mkdir()
            os.chmod(folder, mode)
        self.tool = self.learn / "learn_answers.py"
        self.students = [self.student_folder / f.name for f in files]
        self.student = self.students[0]
        copies = [(HERE / name, self.learn / name) for name in TOOL_FILES] + list(zip(files, self.students))
        for source, target in copies:
            shutil.copyfile(source, target)
            os.chmod(target, 0o644)
        if declaration:
            target = self.learn / DECLARATION
            target.write_text(json.dumps(declaration), encoding="utf-8")
            os.chmod(target, 0o644)

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def python_setup(protected: list[str]) -> tuple[list[str], list[str]]:
    """(the folders Python needs, PYTHONPATH): the installation and every sys.path
    folder, resolved, except the working folder and any folder that holds something
    protected (the cases, the student's folder, this tool's folder, …)."""
    path: list[str] = []
    for entry in sys.path:
        real = os.path.realpath(entry) if entry else ""
        if real and os.path.isdir(real) and real not in path and not any(inside(real, p) for p in protected):
            path.append(real)
    needed = [os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix),
              os.path.dirname(os.path.realpath(sys.executable)), *path]
    return needed, path


def child_environment(home: str, pythonpath: list[str], path: str = SANDBOX_PATH) -> dict[str, str]:
    return {"PATH": path, "HOME": home, "TMPDIR": home, "LANG": "C.UTF-8", "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1", "PYTHONPATH": os.pathsep.join(pythonpath), "PYTHONDONTWRITEBYTECODE": "1",
            "TORCH_HOME": f"{home}/.torch", "XDG_CACHE_HOME": f"{home}/.cache"}


def serve_arguments(executable: str, tool: Path | str, mode: list[str]) -> list[str]:
    return [executable, "-B", "-s", str(tool), *mode]


def unsandboxed_launch(workspace: Workspace, limits: Limits, protected: list[str]) -> Launch:
    """The child as a plain process of this user: time, memory and CPU limits only."""
    import resource  # Unix only, and not to be imported between fork and exec
    _, pythonpath = python_setup(protected)

    def set_limits() -> None:
        for which, value in ((resource.RLIMIT_AS, limits.memory << 20), (resource.RLIMIT_CPU, limits.cpu),
                             (resource.RLIMIT_CORE, 0)):
            try:
                hard = resource.getrlimit(which)[1]
                value = value if hard == resource.RLIM_INFINITY else min(value, hard)
                resource.setrlimit(which, (value, value))  # the hard limit too: the student cannot raise it
            except (ValueError, OSError):
                pass
        if sys.platform.startswith("linux"):
            ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: die with the tool

    return Launch(serve_arguments(os.path.realpath(sys.executable), workspace.tool, ["--serve", *map(str, workspace.students)]),
                  child_environment(str(workspace.home), pythonpath, os.environ.get("PATH", SANDBOX_PATH)),
                  str(workspace.home), False, limits, set_limits)


def sandbox_unavailable() -> str | None:
    """Why the sandbox cannot be built here, or None."""
    if not sys.platform.startswith("linux"):
        return f"it needs Linux namespaces, and this is {sys.platform}"
    if os.geteuid() != 0:
        return (f"it needs root (it mounts a private root and drops to uid {NOBODY}), "
                f"and this process runs as uid {os.geteuid()}")
    missing = [t for t in ("setpriv", "unshare", "prlimit", "chroot", "mount") if not shutil.which(t, path=SANDBOX_PATH)]
    if missing:
        return f"it needs util-linux's {', '.join(missing)}, which are not on {SANDBOX_PATH}"
    return None


class Sandbox:
    """The child in new PID, mount, network, IPC and UTS namespaces, in a root of its
    own: read-only system and Python folders, the private copies of the tool and the
    student's file, a fresh /proc that hides other users' processes, four devices and
    a small /tmp; as uid 65534 without capabilities or a way to gain privileges, and
    under prlimit's limits."""

    def __init__(self, workspace: Workspace, limits: Limits, protected: list[str]):
        self.workspace, self.limits = workspace, limits
        needed, self.pythonpath = python_setup(protected)
        self.plan: list[str] = []
        self.bound: list[str] = []  # host folders, read-only at the same path
        self.links: list[str] = []
        for directory in SYSTEM_DIRECTORIES:
            if os.path.islink(directory):
                self.plan += ["link", directory, os.readlink(directory)]
                self.links.append(directory)
            elif os.path.isdir(directory):
                self.bind(directory)
        for directory in sorted(needed, key=len):
            self.bind(directory)
        self.tools = {t: os.path.realpath(shutil.which(t, path=SANDBOX_PATH) or t)
                      for t in ("setpriv", "unshare", "prlimit")}
        self.executable = os.path.realpath(sys.executable)
        for path in (self.tools["setpriv"], self.tools["prlimit"], self.executable):
            if not any(inside(b, path) for b in self.bound):
                raise SetupError(f"cannot build the sandbox: {path} is outside the folders it exposes")

    def bind(self, directory: str) -> None:
        if os.path.isdir(directory) and not any(inside(b, directory) for b in self.bound):
            self.plan += ["bind", directory]
            self.bound.append(directory)

    def visible(self) -> list[str]:
        """Every path at the top of what the sandbox's root holds."""
        return self.bound + self.links + ["/tmp", "/proc", "/dev", "/learn", "/student"]

    def launch(self, mode: list[str]) -> Launch:
        limits = self.limits
        inner = [self.tools["setpriv"], f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                 "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "--",
                 self.tools["prlimit"], f"--as={limits.memory << 20}", f"--cpu={limits.cpu}",
                 f"--nproc={PROCESS_LIMIT}", f"--fsize={FILE_LIMIT}", "--nofile=256", "--core=0", "--",
                 *serve_arguments(self.executable, "/learn/learn_answers.py", mode)]
        argv = [self.tools["setpriv"], "--pdeathsig", "KILL", "--",
                self.tools["unshare"], "--pid", "--fork", "--kill-child", "--mount", "--net", "--ipc", "--uts",
                "--propagation", "private", "--",
                "/bin/sh", "-c", SANDBOX_SCRIPT, "sh", str(self.workspace.root), str(self.workspace.learn),
                str(self.workspace.student_folder), f"{TMP_MIB}m", *self.plan, "--", *inner]
        return Launch(argv, child_environment("/tmp", self.pythonpath), "/", True, limits)


@dataclass
class Targets:
    """What the self-test's probe must not see, by what it is."""
    cases: Path
    hidden: Path | None
    student: Path
    out: Path

    def request(self, port: int) -> tuple[dict[str, Any], dict[str, str]]:
        """(the probe's request, what each path is, for the message)."""
        what: dict[str, str] = {}

        def add(path: Path | str | None, name: str) -> None:
            if path is not None and str(path) not in what:
                what[str(path)] = name

        repository = HERE.parent.parent
        first = lambda folder: next(iter(sorted(folder.rglob("*.json"))), None) if folder.is_dir() else None
        add(self.cases, "the cases")
        add(first(self.cases), "the cases")
        if self.hidden is not None:
            add(self.hidden, "the hidden set")
            add(first(self.hidden), "the hidden set")
        add(self.student, "the student's file")
        add(self.student.parent, "the student's folder")
        add(self.out.parent, "the output folder")
        add(HERE, "the tool's folder")
        add(HERE / "example_student.py", "the tool's folder")
        add(repository, "the repository")
        add(repository / "Sources", "the repository")
        add(Path.home(), "this user's home")
        grader = os.getpid()
        for name in ("cmdline", "environ"):
            add(f"/proc/{grader}/{name}", "the grader's command line and environment")
            add(f"/proc/1/{name}", "the sandbox's setup")
        paths = list(what)
        request = {"read": [p for p in paths if not os.path.isdir(p)],
                   "list": ["/", *[p for p in paths if os.path.isdir(p)]],
                   "write": ["/", "/learn", "/student", "/usr", "/etc", os.path.realpath(sys.prefix)],
                   "connect": [["127.0.0.1", port], list(OUTSIDE)]}
        return request, what


def self_test(sandbox: Sandbox, targets: Targets) -> str:
    """Runs the probe in a sandbox built like the child's; returns the one-line summary,
    or raises SetupError when the sandbox cannot be built or lets anything through."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.setblocking(False)
        request, what = targets.request(listener.getsockname()[1])
        launch = sandbox.launch(["--probe"])
        try:
            result = subprocess.run(launch.argv, input=json.dumps(request), capture_output=True, text=True,
                                    env=launch.env, cwd=launch.cwd, timeout=PROBE_TIMEOUT, start_new_session=True)
        except subprocess.TimeoutExpired:
            raise SetupError(f"cannot build the sandbox: its self-test did not finish within {PROBE_TIMEOUT:g} s")
        finally:
            reap_strays()
        try:
            report = json.loads(result.stdout)
        except ValueError:
            report = None
        if result.returncode != 0 or not isinstance(report, dict):
            said = " / ".join(result.stderr.strip().splitlines()[-3:]) or f"exit status {result.returncode}"
            raise SetupError(f"cannot build the sandbox ({printable(said)})")
        try:
            listener.accept()[0].close()
            reached = True
        except (BlockingIOError, OSError):
            reached = False
    problems = probe_problems(report, request, what, sandbox.bound, sandbox.visible())
    if reached:
        problems.append("the probe reached a TCP port on this host's 127.0.0.1")
    if problems:
        raise SetupError("refusing to run: the sandbox's self-test found " + "; ".join(problems))
    here = torch_origin()
    if here is not None and report.get("torch") != here:
        raise SetupError(f"cannot build the sandbox: uid {NOBODY} finds torch at {report.get('torch')}, not at {here}: "
                         "every folder on the way to it must be readable by all users (chmod o+rx)")
    seen = sorted(set(what.values()), key=list(what.values()).index)
    return (f"sandbox: pid+mount+net+ipc+uts namespaces, uid {NOBODY}, no-new-privs, no capabilities, "
            f"read-only files; the probe saw none of {', '.join(seen)}; no network")


def probe_problems(report: dict[str, Any], request: dict[str, Any], what: dict[str, str],
                   bound: list[str], visible: list[str]) -> list[str]:
    """Everything the probe should not have managed, in words. A folder it lists may
    show only what leads to the sandbox's own folders (`/root` may show `.pyenv`); one
    inside a folder the sandbox exposes (`bound`) is exposed itself."""
    problems = []
    try:
        status = report["status"]
        for name in ("Uid", "Gid"):
            if status.get(name) != [str(NOBODY)] * 4:
                problems.append(f"{name} {' '.join(status.get(name, ['?']))}, not {NOBODY}")
        if status.get("Groups", []) not in ([], [str(NOBODY)]):
            problems.append(f"supplementary groups {' '.join(status['Groups'])}")
        if status.get("NoNewPrivs") != ["1"]:
            problems.append("no no-new-privs")
        for name in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
            if set(status.get(name, ["?"])[0]) != {"0"}:
                problems.append(f"capabilities ({name} {status.get(name, ['?'])[0]})")
        for path, result in report["reads"].items():
            if result == "ok":
                problems.append(f"it could read {path} ({what.get(path, 'the parent process')})")
        for path, result in report["lists"].items():
            if isinstance(result, list):
                allowed = {Path(v).relative_to(path).parts[0] for v in visible if inside(path, v) and v != path}
                extra = result if any(inside(b, path) for b in bound) else sorted(set(result) - allowed)
                if extra:
                    problems.append(f"it could list {path} ({what.get(path, 'the root')}): "
                                    + (", ".join(map(str, extra[:5])) or "an empty folder"))
        for path, result in report["writes"].items():
            if result == "ok":
                problems.append(f"it could write in {path}")
        for address, result in report["connects"].items():
            if result == "ok":
                problems.append(f"it could connect to {address}")
        if report["interfaces"] != ["lo"]:
            problems.append(f"network interfaces {report['interfaces']}")
        if not set(request["read"]) <= set(report["reads"]) or set(report["lists"]) != set(request["list"]):
            problems.append("an incomplete report")
    except (KeyError, TypeError, AttributeError, ValueError, IndexError) as error:
        problems.append(f"a report it cannot read ({type(error).__name__}: {error})")
    return problems


# ----------------------------------------------------------------------------------------
# The tool's process: the answers file, the summary, the command line
# ----------------------------------------------------------------------------------------

def write_answers(path: Path, answers: dict[str, dict[str, Any]]) -> None:
    """One case per line, keys sorted; floats by repr, so every double reads back exactly.
    Written to a new file of a random name next to `path` (O_EXCL, O_NOFOLLOW), then
    renamed over it."""
    lines = [f"  {json.dumps(key)}: {json.dumps(jsonable(answers[key]), sort_keys=True, allow_nan=False)}"
             for key in sorted(answers)]
    text = '{"cases": {\n' + ",\n".join(lines) + ("\n" if lines else "") + "}}\n"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        try:
            descriptor = os.open(temporary, flags, 0o644)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def summary(students: list[Path], ready: Ready, run: Run, total: int, seconds: float, out: Path,
            assignment: int = DEFAULT_ASSIGNMENT, left_out: list[CaseFile] | None = None,
            kit: int | None = None) -> str:
    entries = assignment_entries(assignment)
    found = [e for e in ready.found if e in entries]
    lines = [f"learn_answers: {', '.join(p.name for p in students)}: entry points found ({len(found)} of "
             f"{len(entries)}): " + (", ".join(found) or "none") + f"; WEIGHT_LAYOUT {ready.layout}"]
    lines += [f"  import: {note}" for note in ready.notes]
    for note, keys in sorted(run.notes.items(), key=lambda item: not item[0].startswith("FORBIDDEN")):
        shown = ", ".join(keys[:3]) + (f", … ({len(keys)} cases)" if len(keys) > 3 else "")
        lines.append(f"  note: {note} [{shown}]")
    answered_count = len(run.answers) - len(run.failed) - sum(map(len, run.not_run.values()))
    not_run = sum(map(len, run.not_run.values()))
    lines.append(f"  answered {answered_count} of {total} cases, {len(run.failed)} raised, "
                 f"{sum(map(len, run.skipped.values()))} skipped" + (f", {not_run} not run" if not_run else ""))
    for reason, keys in sorted(run.skipped.items()):
        lines.append(f"  skipped ({reason}): {len(keys)}: " + ", ".join(keys))
    for event in run.events:
        lines.append(f"  {printable(event)}")
    for reason, keys in run.not_run.items():
        lines.append(f"  not run ({printable(reason)}): {len(keys)}: " + ", ".join(keys))
    for key, message in run.failed.items():
        lines.append(f"  raised: {key}: {printable(message)}")
    for key, entry in sorted(run.answers.items()):
        worst = entry.get("finiteDifferences", {}).get("worstRelativeError", 0.0)
        if not worst <= FD_BAR:
            lines.append(f"  finite differences disagree with autograd on {key}: worst relative error {worst:.3g}")
    left_out = left_out or []
    others = f"; the other {len(left_out)} ({', '.join(sorted({c.kind for c in left_out}))}) are left out" \
        if left_out else ""
    lines.append(f"  {points_text(assignment)}: {total} of the {total + len(left_out)} cases are of its kinds{others}")
    # Course, like this tool, takes a starter kit's own assignment when none is named
    verify = f"Course verify --answers {out}" + (f" --assignment {assignment}"
                                                 if assignment != (kit or DEFAULT_ASSIGNMENT) else "")
    lines.append(f"  wrote {out} ({len(run.answers)} cases) in {seconds:.1f} s; grade it with `{verify}`")
    return "\n".join(lines)


NO_SANDBOX_WARNING = """\
learn_answers: WARNING: --no-sandbox: the student's code is NOT sandboxed. It runs as this user
  (uid {uid}), can read every file this user can (the cases' expected values included), write
  anywhere this user can, and reach the network; only the time and memory limits hold. Use it for
  your own file on your own machine. Grade other people's files as root, in the sandbox."""


def seconds(text: str) -> float:
    value = float(text)
    if not value > 0 or not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text} is not a positive number of seconds")
    return value


def mebibytes(text: str) -> int:
    value = int(text)
    if value < 64:
        raise argparse.ArgumentTypeError(f"{text} MiB is too little for Python and torch")
    return value


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if len(argv) >= 2 and argv[0] == "--serve":  # the child (hidden modes)
        serve(argv[1:])
    if argv == ["--probe"]:
        return probe()

    parser = argparse.ArgumentParser(
        prog="learn_answers.py",
        description="Run a student's PyTorch code on Learn's reference cases, in a sandbox, and write an answers "
                    "file for `Course verify --answers`.")
    parser.add_argument("student", type=Path, nargs="+",
                        help="the student's files as handed in: Python files, notebooks (.ipynb), or their folder")
    parser.add_argument("--declare", type=Path, metavar="FILE",
                        help="the instructor's declaration for a class of submissions (JSON, or a .py holding "
                             "DECLARATION = {...}): which class is which entry point, constructor arguments, "
                             "tensor names; see README.md")
    parser.add_argument("--forbidden", choices=("answer", "refuse"),
                        help="torch.nn.LSTM / RNN where the assignment asks for the student's own: answer the "
                             "cases and say so (the default), or refuse them")
    kit = package_assignment(HERE.parent.parent)
    parser.add_argument("--assignment", type=int, choices=sorted(ASSIGNMENT_KINDS), default=kit or DEFAULT_ASSIGNMENT,
                        help="answer only the cases of this assignment's kinds (default: a starter kit's own, "
                             f"as {KIT_MANIFEST} says, else {DEFAULT_ASSIGNMENT}, as Course takes it); grade them "
                             "with `Course verify --answers FILE --assignment N`")
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES,
                        help=f"the cases directory (default: {DEFAULT_CASES})")
    parser.add_argument("--hidden", type=Path, help="an instructor's hidden set, keyed hidden/<path>")
    parser.add_argument("--out", type=Path, required=True, help="the answers file to write")
    parser.add_argument("--verbose", action="store_true",
                        help="print tracebacks of errors, and all of the student's output")
    parser.add_argument("--import-timeout", type=seconds, default=60.0, metavar="SECONDS",
                        help="the longest the student's file may take to import (default: 60)")
    parser.add_argument("--case-timeout", type=seconds, default=300.0, metavar="SECONDS",
                        help="the longest one case may take (default: 300)")
    parser.add_argument("--timeout", type=seconds, default=1800.0, metavar="SECONDS",
                        help="the longest the whole run may take (default: 1800)")
    parser.add_argument("--memory", type=mebibytes, default=4096, metavar="MIB",
                        help="the address space of the process running the student's code (default: 4096)")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run the student's code without the sandbox (not root, or your own file only)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    try:
        missing = [p for p in args.student if not (p.is_file() or p.is_dir())]
        if missing:
            raise SetupError(f"no student file {missing[0]}")
        students = [p.resolve() for p in learn_import().source_files(args.student)]
        if not students:
            raise SetupError(f"no Python file or notebook in {', '.join(map(str, args.student))}")
        declaration = read_declaration(args.declare) if args.declare else {}
        if args.forbidden:
            declaration["forbidden"] = args.forbidden
        if args.out.is_dir():
            raise SetupError(f"--out {args.out} is a directory")
        if not args.out.parent.is_dir():
            raise SetupError(f"--out {args.out}: no folder {args.out.parent}")
        cases = load_cases(args.cases)
        if args.hidden is not None:
            cases += load_cases(args.hidden, prefix="hidden/")
        cases, left_out = of_assignment(cases, args.assignment)
        if not cases:
            raise SetupError(f"no case of Assignment {args.assignment}'s kinds under {args.cases}"
                             + (f" or {args.hidden}" if args.hidden is not None else ""))
    except SetupError as error:
        print(f"learn_answers: {error}", file=sys.stderr)
        return 2

    limits = Limits(args.import_timeout, args.case_timeout, args.timeout, args.memory)
    student = students[0]
    targets = Targets(args.cases.resolve(), args.hidden.resolve() if args.hidden else None, student,
                      args.out.resolve())
    protected = [str(p) for p in (targets.cases, targets.hidden, student.parent, targets.out.parent, HERE,
                                  HERE.parent.parent) if p is not None]
    if not args.no_sandbox:
        problem = sandbox_unavailable()
        if problem is not None:
            print(f"learn_answers: cannot sandbox the student's code: {problem}. Run the tool as root (as CI and "
                  "grading machines do); for your own file on your own machine, pass --no-sandbox.", file=sys.stderr)
            return 2
    become_subreaper()
    try:
        workspace = Workspace(students, declaration)
    except SetupError as error:
        print(f"learn_answers: {error}", file=sys.stderr)
        return 2
    output = StudentOutput(None if args.verbose else OUTPUT_LIMIT)
    try:
        if args.no_sandbox:
            print(NO_SANDBOX_WARNING.format(uid=os.geteuid() if hasattr(os, "geteuid") else "?"), file=sys.stderr)
            launch = unsandboxed_launch(workspace, limits, protected)
        else:
            sandbox = Sandbox(workspace, limits, protected)
            print(self_test(sandbox, targets), file=sys.stderr)
            launch = sandbox.launch(["--serve", *(f"/student/{p.name}" for p in students)])
        ready, run = grade(cases, launch, limits, output)
    except SetupError as error:
        print(f"learn_answers: {error}", file=sys.stderr)
        return 2
    except Stop as stop:
        output.finish()
        if args.verbose and stop.trace:
            print(printable(stop.trace, lines=True), file=sys.stderr, end="")
        print(stop.line(args.student[0] if len(args.student) == 1 else Path(", ".join(map(str, args.student)))),
              file=sys.stderr)
        return 2
    finally:
        output.finish()
        workspace.cleanup()

    try:
        write_answers(args.out, run.answers)
    except OSError as error:
        print(f"learn_answers: cannot write {args.out}: {error}", file=sys.stderr)
        return 2
    if args.verbose:
        for key, text in run.tracebacks.items():
            print(f"--- {key}\n{printable(text, lines=True)}", file=sys.stderr, end="")
    print(summary(students, ready, run, len(cases), time.perf_counter() - started, args.out, args.assignment,
                  left_out, kit), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
else:  # imported (by the tests): the student's side is usable in this process
    try:
        load_torch()
    except ImportError:
        pass
