#!/usr/bin/env python3
"""Run a student's PyTorch code on Learn's reference cases and write an answers file.

    python3 Scripts/pytorch/learn_answers.py STUDENT.py [--cases DIR] [--hidden DIR] --out answers.json

The student's file is imported (its `if __name__ == "__main__":` block does not run),
each case's inputs, parameters, buffers and options go through the student's entry
points (see README.md next to this file), and the outputs, the gradients of the case's
objective by autograd, and a finite-difference check of those gradients are written
for `swift run -c release Course verify --answers answers.json`. Everything runs in
float64 on one thread. The cases' expected outputs and gradients are dropped as each
file is read: only their names and shapes are kept, and nothing expected reaches the
student's code.

Exit status: 0 when the answers file was written, 2 for bad arguments, a student file
that cannot be imported, or a case file that cannot be read.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import random
import sys
import time
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterable, Iterator

try:
    import torch
    import torch.nn.functional as F
    from torch import Tensor, nn
except ImportError as missing:  # a clear line instead of a traceback
    print(f"learn_answers: needs PyTorch ({missing}); "
          "pip install torch --index-url https://download.pytorch.org/whl/cpu", file=sys.stderr)
    sys.exit(2)

HERE = Path(__file__).resolve().parent
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

ACTIVATIONS = {"tanh": torch.tanh, "sigmoid": torch.sigmoid}


class InterfaceError(Exception):
    """The student's code does not fit the documented interface for a case (a missing
    parameter, a shape that matches neither weight layout, a wrong return value)."""


class SetupError(Exception):
    """A problem with the command line or the cases, not the student's code: exit 2."""


# ----------------------------------------------------------------------------------------
# Cases: only what the student may see, plus the objective's weights
# ----------------------------------------------------------------------------------------

def load_tensor(spec: dict) -> Tensor:
    rows, columns = spec["shape"]
    return torch.tensor([float(v) for v in spec["values"]], dtype=torch.float64).reshape(rows, columns)


@dataclass
class Case:
    """One reference case as the tool uses it. Expected outputs and gradients are kept
    as names and shapes only, so nothing expected can reach the student's code."""
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
    def load(cls, path: Path, key: str) -> Case:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            tensors = {group: {n: load_tensor(t) for n, t in raw.get(group, {}).items()}
                       for group in ("inputs", "parameters", "buffers")}
            objective = raw["objective"]
            return cls(
                key=key, kind=raw["kind"], options=raw.get("options", {}), **tensors,
                output_shapes={n: tuple(t["shape"]) for n, t in raw["outputs"].items()},
                gradient_names=sorted(raw.get("gradients", {})), objective=objective,
                weights=load_tensor(objective["weights"]) if objective["type"] == "weightedSum" else None)
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
            raise SetupError(f"cannot read case {path}: {type(error).__name__}: {error}") from error

    def values(self) -> dict[str, Tensor]:
        """Fresh copies of every input, parameter and buffer, in the case's layout."""
        return {n: t.clone() for group in (self.inputs, self.parameters, self.buffers) for n, t in group.items()}


def load_cases(directory: Path, prefix: str = "") -> list[Case]:
    """Every `*.json` under `directory`, keyed by its relative path without `.json`."""
    if not directory.is_dir():
        raise SetupError(f"no cases directory {directory}")
    files = sorted(directory.rglob("*.json"))
    if not files:
        raise SetupError(f"no case files (*.json) under {directory}")
    return [Case.load(p, prefix + p.relative_to(directory).with_suffix("").as_posix()) for p in files]


# ----------------------------------------------------------------------------------------
# The student's module
# ----------------------------------------------------------------------------------------

ENTRY_POINTS = (
    "gate", "cell_state", "hidden_state", "prediction", "softmax_cross_entropy", "rnn_hidden_state",
    "LSTM", "RNN", "Linear", "LeakyReLU", "ReLU", "Tanh", "Sigmoid", "BatchNorm1d",
    "discriminator_loss", "generator_loss_saturating", "generator_loss_non_saturating",
    "build_generator", "build_discriminator", "SGD", "RMSprop", "Adam",
)


def import_student(path: Path) -> ModuleType:
    """Imports the file as a fresh module (its folder first on sys.path, so its own
    helpers import). Raises whatever the import raises."""
    directory = str(path.parent)
    if directory not in sys.path:
        sys.path.insert(0, directory)
    name = f"learn_student_{time.monotonic_ns()}"  # a fresh module every time, even for the same file
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"not a Python file: {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    finally:
        torch.set_default_dtype(torch.float64)  # whatever the file set: the tool runs in float64
    return module


@dataclass
class Student:
    """The imported module and its declared weight layout."""
    module: ModuleType
    layout: str = "out_in"

    @classmethod
    def of(cls, module: ModuleType) -> Student:
        layout = getattr(module, "WEIGHT_LAYOUT", "out_in")
        if layout not in LAYOUTS:
            raise InterfaceError(f"WEIGHT_LAYOUT is {layout!r}; it must be 'out_in' (W is out×in, y = x·Wᵀ + b, "
                                 "as nn.Linear) or 'in_out' (W is in×out, y = x·W + b)")
        return cls(module, layout)

    def has(self, entry: str) -> bool:
        return callable(getattr(self.module, entry, None))

    def found(self) -> list[str]:
        return [e for e in ENTRY_POINTS if self.has(e)]

    def call(self, entry: str, *args: Any, **kwargs: Any) -> Any:
        return getattr(self.module, entry)(*args, **kwargs)

    def build(self, entry: str, *args: Any, **kwargs: Any) -> nn.Module:
        """A fresh module from a class or a factory, in float64. Built anew for every
        evaluation, so state (running statistics) never carries from one to the next."""
        made = self.call(entry, *args, **kwargs)
        if not isinstance(made, nn.Module):
            raise InterfaceError(f"{entry}(...) returned a {type(made).__name__}, not an nn.Module")
        return made.double()

    def weight(self, w: Tensor) -> Tensor:
        """A case weight (out×in) as a function argument in the declared layout."""
        return w.T if self.layout == "in_out" else w

    def cross_entropy(self, p: Tensor, labels: Tensor) -> Tensor:
        """The models' loss: the student's own softmax_cross_entropy if there is one."""
        if self.has("softmax_cross_entropy"):
            return unpack(self.call("softmax_cross_entropy", p, labels), 2, "softmax_cross_entropy",
                          "(loss, probabilities)")[0]
        return F.cross_entropy(p, labels)


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

Held = dict[str, tuple[Tensor, Callable[[Tensor], Tensor]]]


def bind_parameters(module: nn.Module, owner: str, values: dict[str, Tensor], names: Iterable[str],
                    student: Student) -> Held:
    """Copies each case parameter into the module's matching nn.Parameter; returns, per
    case name, the parameter to differentiate and how its gradient maps back. Every
    parameter of the module must be set by the case."""
    names, parameters = list(names), dict(module.named_parameters())
    held: Held = {}
    used: set[str] = set()
    for case_name in names:
        own_name, p = find(case_name, parameters.items(), "parameter", owner)
        layer = module.get_submodule(split(own_name)[0])
        to_student, to_case = conversions(case_name, tuple(values[case_name].shape), tuple(p.shape),
                                          layout_of(layer, student), f"{owner} parameter {own_name}")
        with torch.no_grad():
            p.copy_(to_student(values[case_name]))
        p.requires_grad_(True)
        held[case_name] = (p, to_case)
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


Runner = Callable[[Student, Case, dict[str, Tensor], str], Evaluation]
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
    activation = ACTIVATIONS[case.options["activation"]]
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


@runs("LSTM", "lstm")
@runs("RNN", "rnn")
def run_sequence(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    steps = int(case.options["timeSteps"])
    xs = [v[f"x({t})"] for t in range(1, steps + 1)]
    hidden = case.parameters["wgh" if case.kind == "lstm" else "whh"].shape[0]
    model = s.build(entry, xs[0].shape[1], hidden, case.parameters["wph"].shape[0])
    held = bind_parameters(model, entry, v, case.parameters, s)
    p, h = unpack(model(torch.stack(xs, dim=1)), 2, f"{entry}.forward", "(p, h): the last step's scores and h(T)")
    loss = s.cross_entropy(p, labels_of(v))
    return Evaluation({f"p({steps})": p, f"h({steps})": h, "loss": loss}, held)


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


@runs("discriminator_loss", "minimaxDiscriminatorLoss")
def run_discriminator_loss(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    loss, real, fake = unpack(s.call(entry, v["realLogits"], v["fakeLogits"]), 3, entry,
                              "(loss, real_term, fake_term)")
    return Evaluation({"loss": loss, "real": real, "fake": fake})


@runs("generator_loss_saturating", "minimaxGeneratorLoss")
@runs("generator_loss_non_saturating", "nonSaturatingLoss")
def run_generator_loss(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    return Evaluation({"loss": single(s.call(entry, v["fakeLogits"]), entry)})


@runs("build_generator", "generator")
def run_generator(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    o = case.options
    net = s.build(entry, o["noiseSize"], list(o["widths"]), o["imageSize"], o["slope"], o["momentum"],
                  o["epsilon"])
    held = bind_parameters(net, "the generator", v, case.parameters, s)
    set_buffers(net, "the generator", v, case.buffers)
    net.train(o["mode"] == "training")
    images = net(v["z"])
    return Evaluation({"images": images, **read_buffers(net, "the generator", case)}, held)


@runs("build_discriminator", "discriminator")
def run_discriminator(s: Student, case: Case, v: dict[str, Tensor], entry: str) -> Evaluation:
    o = case.options
    net = s.build(entry, o["imageSize"], list(o["widths"]), o["slope"])
    held = bind_parameters(net, "the discriminator", v, case.parameters, s)
    net.eval()  # the case has no dropout: a student's dropout layer, if any, is off
    return Evaluation({"logits": net(v["x"])}, held)


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


def gradients_of(student: Student, case: Case) -> tuple[dict[str, Tensor], dict[str, Tensor], dict[str, Tensor]]:
    """(outputs, gradients, the values they were taken at), by autograd through the
    student's forward."""
    values = case.values()
    for name in case.gradient_names:
        values[name].requires_grad_(True)
    evaluation = evaluate(student, case, values)
    if not case.gradient_names:
        return evaluation.outputs, {}, values
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
    return evaluation.outputs, gradients, {n: t.detach() for n, t in values.items()}


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

def tensor_json(t: Tensor) -> dict[str, Any]:
    t = t.detach().to(torch.float64)
    return {"shape": [int(t.shape[0]), int(t.shape[1])], "values": [float(v) for v in t.reshape(-1).tolist()]}


def answer_case(student: Student, case: Case, *, finite_differences: bool = True) -> dict[str, Any]:
    """One case's entry in the answers file."""
    outputs, gradients, values = gradients_of(student, case)
    entry: dict[str, Any] = {"outputs": {n: tensor_json(t) for n, t in outputs.items()}}
    if gradients:
        entry["gradients"] = {n: tensor_json(t) for n, t in gradients.items()}
        if finite_differences:
            entry["finiteDifferences"] = check_gradients(student, case, values, gradients).json()
    return entry


@dataclass
class Run:
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    skipped: dict[str, list[str]] = field(default_factory=dict)   # reason → keys
    failed: dict[str, str] = field(default_factory=dict)          # key → the error
    tracebacks: dict[str, str] = field(default_factory=dict)


def answer_all(student: Student, cases: Iterable[Case], *, finite_differences: bool = True) -> Run:
    """Every case the student has an entry point for; one that raises is written as
    `{"error": "Type: message"}` and the run goes on."""
    run = Run()
    torch.set_num_threads(1)
    for case in cases:
        if case.kind not in RUNNERS:
            run.skipped.setdefault(f"unknown kind {case.kind!r}", []).append(case.key)
            continue
        entry = RUNNERS[case.kind][0]
        if not student.has(entry):
            run.skipped.setdefault(f"no {entry}", []).append(case.key)
            continue
        try:
            run.answers[case.key] = answer_case(student, case, finite_differences=finite_differences)
        except (Exception, SystemExit) as error:
            message = f"{type(error).__name__}: {error}"
            run.answers[case.key] = {"error": message}
            run.failed[case.key] = message
            run.tracebacks[case.key] = traceback.format_exc()
    return run


def jsonable(value: Any) -> Any:
    """NaN and the infinities as the strings the Swift reader accepts."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


def write_answers(path: Path, answers: dict[str, dict[str, Any]]) -> None:
    """One case per line, keys sorted; floats by repr, so every double reads back exactly."""
    lines = [f"  {json.dumps(key)}: {json.dumps(jsonable(answers[key]), sort_keys=True, allow_nan=False)}"
             for key in sorted(answers)]
    text = '{"cases": {\n' + ",\n".join(lines) + ("\n" if lines else "") + "}}\n"
    temporary = path.with_name(path.name + ".partial")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def summary(student_path: Path, student: Student, run: Run, total: int, seconds: float, out: Path) -> str:
    found = student.found()
    lines = [f"learn_answers: {student_path.name}: entry points found ({len(found)} of {len(ENTRY_POINTS)}): "
             + (", ".join(found) or "none") + f"; WEIGHT_LAYOUT {student.layout}"]
    answered = len(run.answers) - len(run.failed)
    lines.append(f"  answered {answered} of {total} cases, {len(run.failed)} raised, "
                 f"{sum(map(len, run.skipped.values()))} skipped")
    for reason, keys in sorted(run.skipped.items()):
        lines.append(f"  skipped ({reason}): {len(keys)}: " + ", ".join(keys))
    for key, message in run.failed.items():
        lines.append(f"  raised: {key}: {message}")
    for key, entry in sorted(run.answers.items()):
        worst = entry.get("finiteDifferences", {}).get("worstRelativeError", 0.0)
        if not worst <= FD_BAR:
            lines.append(f"  finite differences disagree with autograd on {key}: worst relative error {worst:.3g}")
    lines.append(f"  wrote {out} ({len(run.answers)} cases) in {seconds:.1f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="learn_answers.py",
        description="Run a student's PyTorch code on Learn's reference cases and write an answers file "
                    "for `Course verify --answers`.")
    parser.add_argument("student", type=Path, help="the student's Python file")
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES,
                        help=f"the cases directory (default: {DEFAULT_CASES})")
    parser.add_argument("--hidden", type=Path, help="an instructor's hidden set, keyed hidden/<path>")
    parser.add_argument("--out", type=Path, required=True, help="the answers file to write")
    parser.add_argument("--verbose", action="store_true", help="print tracebacks of errors")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    try:
        if not args.student.is_file():
            raise SetupError(f"no student file {args.student}")
        if args.out.is_dir():
            raise SetupError(f"--out {args.out} is a directory")
        cases = load_cases(args.cases)
        if args.hidden is not None:
            cases += load_cases(args.hidden, prefix="hidden/")
    except SetupError as error:
        print(f"learn_answers: {error}", file=sys.stderr)
        return 2

    torch.set_default_dtype(torch.float64)
    try:
        module = import_student(args.student.resolve())
    except (Exception, SystemExit) as error:
        if args.verbose:
            traceback.print_exc()
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        print(f"learn_answers: cannot import {args.student}: {type(error).__name__}"
              + (f": {first}" if first else ""), file=sys.stderr)
        return 2
    try:
        student = Student.of(module)
    except InterfaceError as error:
        print(f"learn_answers: {args.student}: {error}", file=sys.stderr)
        return 2

    run = answer_all(student, cases)
    try:
        write_answers(args.out, run.answers)
    except OSError as error:
        print(f"learn_answers: cannot write {args.out}: {error}", file=sys.stderr)
        return 2
    if args.verbose:
        for key, text in run.tracebacks.items():
            print(f"--- {key}\n{text}", file=sys.stderr, end="")
    print(summary(args.student, student, run, len(cases), time.perf_counter() - started, args.out), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
