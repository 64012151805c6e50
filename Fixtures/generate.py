#!/usr/bin/env python3
"""Learn's reference fixtures, computed by an independent implementation: PyTorch.

Every case is built from explicit seeds (Python's own `random.Random`, whose stream is
fixed across Python versions), computed with PyTorch's operations and autograd in
float64, and written to `Fixtures/cases/<group>/<name>.json` in the schema described in
`Fixtures/README.md`. Running the script twice gives byte-identical files: keys are
sorted, numbers are written with `repr` (the shortest text that reads back to the same
double), and PyTorch runs on one thread.

    python3 Fixtures/generate.py            # regenerate every case
    python3 Fixtures/generate.py --check    # regenerate into memory, diff against disk
    python3 Fixtures/generate.py --hidden --seed S --out DIR   # an instructor's hidden set
    python3 Fixtures/generate.py --hidden --seed S --out DIR --assignment 2   # … of Assignment 2's kinds

The JSON is committed: continuous integration never runs PyTorch, it only reads the
files (Swift's `FixtureRunner` in `Sources/LearnCourse/Fixtures`).
"""

import argparse
import json
import math
import os
import random
import shutil
import sys

import torch
import torch.nn.functional as F

# The PyTorch release the committed files were made with. Another release would give
# the same numbers to within a few ulps, but the files would no longer be byte-identical,
# so it is refused unless asked for.
PINNED_TORCH = "2.13.0"
SCHEMA_VERSION = 1
HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")

# |Learn − PyTorch| / max(|PyTorch|, floor) ≤ relative. Below the floor the test is an
# absolute one, |Learn − PyTorch| ≤ relative · floor = 1e-14: float64 rounding in two
# different orders of summation stays far below both.
TOLERANCE = {"relative": 1e-10, "floor": 1e-4}

# Every case draws its values from seeded(seed) = random.Random(seed + SEED_SHIFT).
# The committed cases use no shift; a hidden set (--hidden --seed S) shifts every seed
# by 1000·(S + 1), so each of its cases has fresh values and none repeats a visible one.
SEED_SHIFT = 0

# The case kinds each assignment's checks take (Sources/LearnCourse/Grading/GradingCatalogue.swift).
# Assignment 2 shares its layers, loss, optimisers (Adam, which trains its CNN, too) and RNN with
# Assignment 3; the MLP and the CNN's layers are its own.
ASSIGNMENT_KINDS = {
    2: {"linear", "relu", "softmaxCrossEntropy", "sgd", "mlp", "conv2d", "maxPool2d", "batchNorm2d", "adam",
        "rnnHiddenState", "prediction", "rnn", "rmsprop"},
    3: {"gate", "rnnHiddenState", "cellState", "hiddenState", "prediction", "softmaxCrossEntropy", "lstm", "rnn",
        "linear", "leakyReLU", "relu", "tanh", "sigmoid", "batchNorm", "minimaxDiscriminatorLoss",
        "minimaxGeneratorLoss", "nonSaturatingLoss", "generator", "discriminator", "sgd", "rmsprop", "adam"},
}


def seeded(seed):
    return random.Random(seed + SEED_SHIFT)


torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


# ----------------------------------------------------------------------------------------
# Values and tensors
# ----------------------------------------------------------------------------------------

def uniform(rng, rows, columns, low=-1.0, high=1.0, away_from_zero=0.0):
    """A rows×columns tensor of uniform numbers; `away_from_zero` redraws |v| below it
    (so a rectifier is never evaluated exactly at its kink)."""
    values = []
    while len(values) < rows * columns:
        v = rng.uniform(low, high)
        if abs(v) >= away_from_zero:
            values.append(v)
    return torch.tensor(values, dtype=torch.float64).reshape(rows, columns)


def leaf(t):
    """A copy of `t` that autograd differentiates with respect to."""
    return t.detach().clone().requires_grad_(True)


def tensor_json(t):
    """`{"shape": [rows, columns], "values": [...]}`, row-major."""
    t = t.detach()
    if t.dim() == 0:
        t = t.reshape(1, 1)
    if t.dim() == 1:
        t = t.reshape(1, -1)
    assert t.dim() == 2, f"fixtures hold matrices, got shape {tuple(t.shape)}"
    if t.dtype in (torch.int64, torch.int32):
        values = [int(v) for v in t.reshape(-1).tolist()]
    else:
        values = [float(v) for v in t.reshape(-1).tolist()]
        assert all(math.isfinite(v) for v in values), "a fixture value is not finite"
    return {"shape": [int(t.shape[0]), int(t.shape[1])], "values": values}


def labels_json(labels):
    """Class indices as an N×1 matrix of whole numbers."""
    return tensor_json(labels.reshape(-1, 1))


def gradients_of(objective, named):
    """∂objective/∂t for every (name, t) in `named`, by PyTorch's autograd."""
    names = list(named)
    grads = torch.autograd.grad(objective, [named[n] for n in names], allow_unused=True)
    return {n: (g if g is not None else torch.zeros_like(named[n])) for n, g in zip(names, grads)}


def weighted_sum(rng, output, name):
    """The objective Σ R ⊙ output with a seeded R, and its JSON description."""
    r = uniform(rng, output.shape[0], output.shape[1])
    objective = (r * output).sum()
    return objective, {
        "type": "weightedSum",
        "output": name,
        "weights": tensor_json(r),
        "text": f"Σ R ⊙ {name}: the sum over every element of {name} times the matching element of R = `weights`; "
                f"so the upstream gradient ∂objective/∂{name} is R",
    }


def loss_objective(name="loss", text="the loss itself"):
    return {"type": "output", "output": name, "text": text}


# ----------------------------------------------------------------------------------------
# Cases
# ----------------------------------------------------------------------------------------

class Collector:
    def __init__(self):
        self.files = {}
        self.kinds = {}

    def add(self, group, name, kind, description, seed, *, inputs, parameters=None, buffers=None,
            options=None, outputs, objective, gradients=None, tolerance=None):
        assert f"{group}/{name}" not in self.files, f"duplicate case {group}/{name}"
        case = {
            "schemaVersion": SCHEMA_VERSION,
            "kind": kind,
            "name": name,
            "description": description,
            "generatedBy": {
                "script": "Fixtures/generate.py",
                "library": "PyTorch",
                "torch": torch.__version__,
                "seed": seed + SEED_SHIFT,
            },
            "precision": "float64",
            "tolerance": tolerance or TOLERANCE,
            "options": options or {},
            "inputs": {k: v if isinstance(v, dict) else tensor_json(v) for k, v in inputs.items()},
            "parameters": {k: tensor_json(v) for k, v in (parameters or {}).items()},
            "buffers": {k: tensor_json(v) for k, v in (buffers or {}).items()},
            "outputs": {k: tensor_json(v) for k, v in outputs.items()},
            "objective": objective,
            "gradients": {k: tensor_json(v) for k, v in (gradients or {}).items()},
        }
        self.files[f"{group}/{name}.json"] = render(case) + "\n"
        self.kinds[f"{group}/{name}.json"] = kind


# --- Part I: equations (1)–(9) ----------------------------------------------------------

GATES = {  # letter: (activation, Learn's parameter names, equation)
    "g": ("tanh", ("wgx", "wgh", "bg"), "(1) g(t) = tanh(W_gx x(t) + W_gh h(t-1) + b_g), the input modulation"),
    "i": ("sigmoid", ("wix", "wih", "bi"), "(2) i(t) = σ(W_ix x(t) + W_ih h(t-1) + b_i), the input gate"),
    "f": ("sigmoid", ("wfx", "wfh", "bf"), "(3) f(t) = σ(W_fx x(t) + W_fh h(t-1) + b_f), the forget gate"),
    "o": ("sigmoid", ("wox", "woh", "bo"), "(4) o(t) = σ(W_ox x(t) + W_oh h(t-1) + b_o), the output gate"),
}
ACTIVATIONS = {"tanh": torch.tanh, "sigmoid": torch.sigmoid}


def gate_case(out, group, name, letter, seed, n, d, h, scale, note):
    activation, (wx_name, wh_name, b_name), equation = GATES[letter]
    rng = seeded(seed)
    x, prev_h = leaf(uniform(rng, n, d)), leaf(uniform(rng, n, h))
    wx, wh, b = (leaf(uniform(rng, *shape, -scale, scale)) for shape in ((h, d), (h, h), (1, h)))
    y = ACTIVATIONS[activation](x @ wx.T + prev_h @ wh.T + b)
    objective, objective_json = weighted_sum(rng, y, letter)
    named = {"x": x, "prevH": prev_h, wx_name: wx, wh_name: wh, b_name: b}
    out.add(
        group, name, "gate",
        f"Equation {equation}. N = {n}, D = {d}, H = {h}; weights uniform in ±{scale}{note}",
        seed, inputs={"x": x, "prevH": prev_h}, parameters={wx_name: wx, wh_name: wh, b_name: b},
        options={"gate": letter, "activation": activation},
        outputs={letter: y}, objective=objective_json, gradients=gradients_of(objective, named))


def gate_cases(out):
    for seed, letter in enumerate(GATES, start=100):
        for variant, scale in (("", 0.8), ("-saturated", 4.0)):
            if variant and letter not in ("g", "f"):
                continue  # one saturated gate of each activation is enough
            gate_case(out, "equations", f"gate-{letter}{variant}", letter, seed + (50 if variant else 0), 3, 4, 5,
                      scale, " (large, so many units saturate)." if variant else ".")


def rnn_hidden_state_case(out):
    rng = seeded(120)
    n, d, h = 3, 4, 5
    x, prev_h = leaf(uniform(rng, n, d)), leaf(uniform(rng, n, h))
    whx, whh, bh = leaf(uniform(rng, h, d)), leaf(uniform(rng, h, h)), leaf(uniform(rng, 1, h))
    y = torch.tanh(x @ whx.T + prev_h @ whh.T + bh)
    objective, objective_json = weighted_sum(rng, y, "h")
    named = {"x": x, "prevH": prev_h, "whx": whx, "whh": whh, "bh": bh}
    out.add("equations", "rnn-hidden-state", "rnnHiddenState",
            f"The vanilla RNN's recurrence h(t) = tanh(W_hx x(t) + W_hh h(t-1) + b_h). N = {n}, D = {d}, H = {h}.",
            120, inputs={"x": x, "prevH": prev_h}, parameters={"whx": whx, "whh": whh, "bh": bh},
            outputs={"h": y}, objective=objective_json, gradients=gradients_of(objective, named))


def cell_and_hidden_cases(out):
    rng = seeded(130)
    n, h = 4, 3
    g = leaf(uniform(rng, n, h))
    i, f = leaf(uniform(rng, n, h, 0.01, 0.99)), leaf(uniform(rng, n, h, 0.01, 0.99))
    prev_c = leaf(uniform(rng, n, h, -2, 2))
    c = g * i + prev_c * f
    objective, objective_json = weighted_sum(rng, c, "c")
    out.add("equations", "cell-state", "cellState",
            "Equation (5) c(t) = g(t) ⊙ i(t) + c(t-1) ⊙ f(t), the cell state. N = 4, H = 3; "
            "g in (−1, 1), i and f in (0, 1) as the gates make them, c(t-1) in (−2, 2).",
            130, inputs={"g": g, "i": i, "f": f, "prevC": prev_c}, outputs={"c": c},
            objective=objective_json,
            gradients=gradients_of(objective, {"g": g, "i": i, "f": f, "prevC": prev_c}))

    rng = seeded(131)
    c = leaf(uniform(rng, n, h, -3, 3))
    o = leaf(uniform(rng, n, h, 0.01, 0.99))
    hidden = torch.tanh(c) * o
    objective, objective_json = weighted_sum(rng, hidden, "h")
    out.add("equations", "hidden-state", "hiddenState",
            "Equation (6) h(t) = tanh(c(t)) ⊙ o(t), the hidden state. N = 4, H = 3; c in (−3, 3), o in (0, 1).",
            131, inputs={"c": c, "o": o}, outputs={"h": hidden}, objective=objective_json,
            gradients=gradients_of(objective, {"c": c, "o": o}))


def prediction_case(out):
    rng = seeded(140)
    n, h, k = 4, 5, 10
    hidden = leaf(uniform(rng, n, h))
    wph, bp = leaf(uniform(rng, k, h)), leaf(uniform(rng, 1, k))
    p = hidden @ wph.T + bp
    objective, objective_json = weighted_sum(rng, p, "p")
    out.add("equations", "prediction", "prediction",
            "Equation (7) p(t) = W_ph h(t) + b_p, the prediction scores. N = 4, H = 5, K = 10.",
            140, inputs={"h": hidden}, parameters={"wph": wph, "bp": bp}, outputs={"p": p},
            objective=objective_json, gradients=gradients_of(objective, {"h": hidden, "wph": wph, "bp": bp}))


def softmax_cross_entropy_cases(out):
    for seed, name, n, k, scale, note in (
        (150, "softmax-cross-entropy", 5, 10, 3.0, "scores uniform in ±3"),
        (151, "softmax-cross-entropy-large-scores", 4, 6, 300.0,
         "scores uniform in ±300: a naive exp overflows, so the row maximum must be subtracted first"),
        (152, "softmax-cross-entropy-single-example", 1, 10, 2.0, "one example (N = 1), scores in ±2"),
        (153, "softmax-cross-entropy-overflowing-scores", 4, 6, 1000.0,
         "scores uniform in ±1000: exp overflows to infinity past 709.78, so without subtracting the row maximum "
         "the probabilities are NaN"),
    ):
        rng = seeded(seed)
        p = leaf(uniform(rng, n, k, -scale, scale))
        labels = torch.tensor([rng.randrange(k) for _ in range(n)], dtype=torch.int64)
        loss = F.cross_entropy(p, labels)  # mean over the batch
        out.add("equations", name, "softmaxCrossEntropy",
                "Equations (8)–(9): ŷ = softmax(p) per row and L = −(1/N) Σ_n log ŷ_{n, label_n}, the mean "
                f"cross-entropy over the batch (PyTorch's F.cross_entropy). N = {n}, K = {k}; {note}.",
                seed, inputs={"p": p, "labels": labels_json(labels)},
                outputs={"loss": loss, "probabilities": torch.softmax(p, dim=1)},
                objective=loss_objective(text="L, the mean cross-entropy"),
                gradients=gradients_of(loss, {"p": p}))


# --- Part I: whole models ---------------------------------------------------------------

def palindrome_batch(rng, n, t):
    """One-hot palindromes: the first T digits of a length-(T+1) palindrome, and its
    last digit (which equals the first) as the label."""
    xs = torch.zeros(t, n, 10)
    labels = []
    for row in range(n):
        half = [rng.randrange(10) for _ in range((t + 2) // 2)]
        digits = half + half[::-1][(t + 1) % 2:]
        assert len(digits) == t + 1 and digits == digits[::-1]
        for step in range(t):
            xs[step, row, digits[step]] = 1.0
        labels.append(digits[t])
    return [xs[s] for s in range(t)], torch.tensor(labels, dtype=torch.int64)


def dense_batch(rng, n, t, d, k):
    xs = [uniform(rng, n, d) for _ in range(t)]
    return xs, torch.tensor([rng.randrange(k) for _ in range(n)], dtype=torch.int64)


LSTM_NAMES = ["wgx", "wgh", "bg", "wix", "wih", "bi", "wfx", "wfh", "bf", "wox", "woh", "bo", "wph", "bp"]


def lstm_forward(xs, p):
    """Equations (1)–(7) exactly as the spec writes them, from h(0) = c(0) = 0."""
    n, hsize = xs[0].shape[0], p["wgh"].shape[0]
    h = torch.zeros(n, hsize)
    c = torch.zeros(n, hsize)
    for x in xs:
        g = torch.tanh(x @ p["wgx"].T + h @ p["wgh"].T + p["bg"])
        i = torch.sigmoid(x @ p["wix"].T + h @ p["wih"].T + p["bi"])
        f = torch.sigmoid(x @ p["wfx"].T + h @ p["wfh"].T + p["bf"])
        o = torch.sigmoid(x @ p["wox"].T + h @ p["woh"].T + p["bo"])
        c = g * i + c * f
        h = torch.tanh(c) * o
    return h @ p["wph"].T + p["bp"], h


def cross_check_lstm(xs, p, h_last):
    """The same LSTM through torch.nn.LSTM (gate order i, f, g, o; a second bias of 0)."""
    d, hsize = p["wgx"].shape[1], p["wgh"].shape[0]
    reference = torch.nn.LSTM(d, hsize)
    with torch.no_grad():
        reference.weight_ih_l0.copy_(torch.cat([p["wix"], p["wfx"], p["wgx"], p["wox"]]))
        reference.weight_hh_l0.copy_(torch.cat([p["wih"], p["wfh"], p["wgh"], p["woh"]]))
        reference.bias_ih_l0.copy_(torch.cat([p["bi"], p["bf"], p["bg"], p["bo"]], dim=1).reshape(-1))
        reference.bias_hh_l0.zero_()
        _, (h_ref, _) = reference(torch.stack([x.detach() for x in xs]))
    assert torch.allclose(h_ref[0], h_last.detach(), rtol=0, atol=1e-12), "the LSTM disagrees with torch.nn.LSTM"


def rnn_forward(xs, p):
    h = torch.zeros(xs[0].shape[0], p["whh"].shape[0])
    for x in xs:
        h = torch.tanh(x @ p["whx"].T + h @ p["whh"].T + p["bh"])
    return h @ p["wph"].T + p["bp"], h


def cross_check_rnn(xs, p, h_last):
    d, hsize = p["whx"].shape[1], p["whh"].shape[0]
    reference = torch.nn.RNN(d, hsize, nonlinearity="tanh")
    with torch.no_grad():
        reference.weight_ih_l0.copy_(p["whx"])
        reference.weight_hh_l0.copy_(p["whh"])
        reference.bias_ih_l0.copy_(p["bh"].reshape(-1))
        reference.bias_hh_l0.zero_()
        _, h_ref = reference(torch.stack([x.detach() for x in xs]))
    assert torch.allclose(h_ref[0], h_last.detach(), rtol=0, atol=1e-12), "the RNN disagrees with torch.nn.RNN"


def sequence_case(out, model, seed, t, n, hsize, *, one_hot, d=3, k=4, bound=0.7, forget_bias=None,
                  group="models", name=None, note=""):
    rng = seeded(seed)
    if one_hot:
        xs, labels = palindrome_batch(rng, n, t)
        d, k = 10, 10
    else:
        xs, labels = dense_batch(rng, n, t, d, k)
    xs = [leaf(x) for x in xs]
    if model == "lstm":
        shapes = {}
        for letter in "gifo":
            wx, wh, b = GATES[letter][1]
            shapes.update({wx: (hsize, d), wh: (hsize, hsize), b: (1, hsize)})
        shapes.update({"wph": (k, hsize), "bp": (1, k)})
        params = {name: uniform(rng, *shapes[name], -bound, bound) for name in LSTM_NAMES}
        if forget_bias is not None:
            params["bf"] = torch.full((1, hsize), forget_bias)
        params = {name: leaf(v) for name, v in params.items()}
        scores, h_last = lstm_forward(xs, params)
        cross_check_lstm(xs, params, h_last)
        equations = ("equations (1)–(7) for t = 1…T from h(0) = c(0) = 0, with c(t) = g ⊙ i + c(t−1) ⊙ f and "
                     "h(t) = tanh(c(t)) ⊙ o; then p(T) = W_ph h(T) + b_p")
    else:
        shapes = {"whx": (hsize, d), "whh": (hsize, hsize), "bh": (1, hsize), "wph": (k, hsize), "bp": (1, k)}
        params = {name: leaf(uniform(rng, *shape, -bound, bound)) for name, shape in shapes.items()}
        scores, h_last = rnn_forward(xs, params)
        cross_check_rnn(xs, params, h_last)
        equations = "h(t) = tanh(W_hx x(t) + W_hh h(t−1) + b_h) for t = 1…T from h(0) = 0; then p(T) = W_ph h(T) + b_p"
    loss = F.cross_entropy(scores, labels)
    inputs = {f"x({s + 1})": x for s, x in enumerate(xs)}
    data = ("one-hot palindromes (the task's data: the label is the last digit, which equals the first)"
            if one_hot else f"dense inputs uniform in ±1, random labels in 0..<{k}")
    name = name or (
        f"{model}-T{t}-H{hsize}" + ("-palindromes" if one_hot else "") + ("-forget-bias" if forget_bias else ""))
    extra = (f" b_f = {forget_bias} everywhere." if forget_bias is not None else "") + note
    out.add(group, name, model,
            f"The whole {model.upper()}: {equations}, and the mean cross-entropy of softmax(p(T)) on the last step "
            f"only. T = {t}, N = {n}, D = {d}, H = {hsize}, K = {k}; {data}; weights uniform in ±{bound}.{extra}",
            seed, inputs={**inputs, "labels": labels_json(labels)}, parameters=params,
            options={"timeSteps": t},
            outputs={f"p({t})": scores, f"h({t})": h_last, "loss": loss},
            objective=loss_objective(text="L = −(1/N) Σ_n log softmax(p(T))_{n, label_n}, on the last step only"),
            gradients=gradients_of(loss, {**inputs, **params}))


def model_cases(out):
    sequence_case(out, "lstm", 200, 1, 3, 3, one_hot=False)
    sequence_case(out, "lstm", 201, 3, 4, 4, one_hot=False)
    sequence_case(out, "lstm", 202, 5, 4, 4, one_hot=True)
    sequence_case(out, "lstm", 203, 10, 3, 4, one_hot=True)
    sequence_case(out, "lstm", 204, 12, 3, 3, one_hot=False, bound=1.0)
    sequence_case(out, "lstm", 205, 20, 2, 3, one_hot=True, forget_bias=1.0)
    sequence_case(out, "rnn", 210, 1, 3, 3, one_hot=False)
    sequence_case(out, "rnn", 211, 5, 4, 4, one_hot=True)
    sequence_case(out, "rnn", 212, 10, 3, 4, one_hot=False)
    sequence_case(out, "rnn", 213, 15, 2, 3, one_hot=True)


# --- Part II: layers --------------------------------------------------------------------

def worked_example(out):
    x = leaf(torch.tensor([[1.0, 2.0]]))
    w = leaf(torch.tensor([[0.5, -1.0], [2.0, 0.0]]))
    b = leaf(torch.tensor([[0.25, -0.5]]))
    y = F.linear(x, w, b.reshape(-1))
    r = torch.tensor([[1.0, 2.0]])
    objective = (r * y).sum()
    out.add("layers", "linear-worked-example", "linear",
            "A linear layer y = x·Wᵀ + b small enough to check by hand: N = 1, I = 2, O = 2.",
            0, inputs={"x": x}, parameters={"w": w, "b": b}, outputs={"y": y},
            objective={"type": "weightedSum", "output": "y", "weights": tensor_json(r),
                       "text": "Σ R ⊙ y with R = `weights`"},
            gradients=gradients_of(objective, {"x": x, "w": w, "b": b}))


def layer_cases(out):
    # A worked example small enough to check by hand (shown in Fixtures/README.md); its
    # values are fixed, so a hidden set leaves it out.
    if SEED_SHIFT == 0:
        worked_example(out)
    rng = seeded(300)
    n, i, o = 4, 5, 3
    x, w, b = leaf(uniform(rng, n, i)), leaf(uniform(rng, o, i)), leaf(uniform(rng, 1, o))
    y = F.linear(x, w, b.reshape(-1))
    objective, objective_json = weighted_sum(rng, y, "y")
    out.add("layers", "linear", "linear",
            f"A fully connected layer y = x·Wᵀ + b (PyTorch's F.linear; W is out×in). N = {n}, I = {i}, O = {o}.",
            300, inputs={"x": x}, parameters={"w": w, "b": b}, outputs={"y": y}, objective=objective_json,
            gradients=gradients_of(objective, {"x": x, "w": w, "b": b}))

    for seed, kind, name, fn, options, text in (
        (310, "leakyReLU", "leaky-relu", lambda v: F.leaky_relu(v, 0.2), {"slope": 0.2},
         "LeakyReLU with slope 0.2: y = x for x > 0, 0.2·x otherwise"),
        (311, "leakyReLU", "leaky-relu-slope-0.01", lambda v: F.leaky_relu(v, 0.01), {"slope": 0.01},
         "LeakyReLU with PyTorch's default slope 0.01"),
        (312, "relu", "relu", F.relu, {}, "ReLU: y = max(x, 0)"),
        (313, "tanh", "tanh", torch.tanh, {}, "y = tanh(x), the generator's output layer"),
        (314, "sigmoid", "sigmoid", torch.sigmoid, {}, "y = σ(x) = 1 / (1 + e^(−x))"),
    ):
        rng = seeded(seed)
        # Inputs stay 0.01 away from 0, where the rectifiers' derivative jumps.
        x = leaf(uniform(rng, 4, 5, -3, 3, away_from_zero=0.01))
        y = fn(x)
        objective, objective_json = weighted_sum(rng, y, "y")
        out.add("layers", name, kind, f"{text}, elementwise. x is 4×5, uniform in ±3 and never within 0.01 of 0.",
                seed, inputs={"x": x}, options=options, outputs={"y": y}, objective=objective_json,
                gradients=gradients_of(objective, {"x": x}))

    for seed, name, n, mode, momentum in (
        (320, "batch-norm-training", 6, "training", 0.1),
        (321, "batch-norm-training-two-rows", 2, "training", 0.1),
        (322, "batch-norm-training-momentum-0.3", 5, "training", 0.3),
        (323, "batch-norm-evaluation", 4, "evaluation", 0.1),
    ):
        rng = seeded(seed)
        features, eps = 4, 1e-5
        shift, spread = uniform(rng, 1, features, -2, 2), uniform(rng, 1, features, 0.5, 3)
        x = leaf(uniform(rng, n, features) * spread + shift)
        gamma, beta = leaf(uniform(rng, 1, features, 0.5, 1.5)), leaf(uniform(rng, 1, features, -0.5, 0.5))
        running_mean = uniform(rng, 1, features, -1, 1)
        running_var = uniform(rng, 1, features, 0.5, 2)
        new_mean, new_var = running_mean.clone().reshape(-1), running_var.clone().reshape(-1)
        y = F.batch_norm(x, new_mean, new_var, gamma.reshape(-1), beta.reshape(-1),
                         training=(mode == "training"), momentum=momentum, eps=eps)
        objective, objective_json = weighted_sum(rng, y, "y")
        if mode == "training":
            text = ("BatchNorm1d in training mode: each feature normalised by this batch's mean and biased variance, "
                    "y = γ x̂ + β; the running statistics move towards the batch: running ← (1 − momentum)·running "
                    "+ momentum·batch, the variance taken unbiased (× N/(N−1)).")
        else:
            text = ("BatchNorm1d in evaluation mode: each feature normalised by the running mean and running variance "
                    "(constants: they receive no gradient and do not change), y = γ x̂ + β.")
        out.add("layers", name, "batchNorm",
                f"{text} N = {n}, F = {features}, momentum {momentum}, ε = {eps}.",
                seed, inputs={"x": x}, parameters={"gamma": gamma, "beta": beta},
                buffers={"runningMean": running_mean, "runningVariance": running_var},
                options={"mode": mode, "momentum": momentum, "epsilon": eps},
                outputs={"y": y, "runningMean": new_mean, "runningVariance": new_var},
                objective=objective_json, gradients=gradients_of(objective, {"x": x, "gamma": gamma, "beta": beta}))


# --- Part II: GAN losses and networks ---------------------------------------------------

def softplus(z):
    """log(1 + eᶻ), stably, as −log σ(−z) (PyTorch's F.softplus switches to the identity
    above a threshold, which is an approximation)."""
    return -F.logsigmoid(-z)


def gan_loss_cases(out):
    for seed, variant, scale in ((400, "", 3.0), (401, "-extreme", 500.0)):
        note = ("logits uniform in ±3" if not variant else
                "logits uniform in ±500: D = σ(ℓ) rounds to 0 or 1, so log D must be computed from the logit")
        rng = seeded(seed)
        real, fake = leaf(uniform(rng, 5, 1, -scale, scale)), leaf(uniform(rng, 4, 1, -scale, scale))
        real_term, fake_term = softplus(-real).mean(), softplus(fake).mean()
        loss = real_term + fake_term
        out.add("gan", f"minimax-discriminator-loss{variant}", "minimaxDiscriminatorLoss",
                "The discriminator's loss from equation (10), from D's logits ℓ (D = σ(ℓ)): "
                "L_D = −mean log D(x) − mean log(1 − D(G(z))) = mean softplus(−ℓ_real) + mean softplus(ℓ_fake); "
                f"`real` and `fake` are its two terms. 5 real and 4 fake logits; {note}.",
                seed, inputs={"realLogits": real, "fakeLogits": fake},
                outputs={"loss": loss, "real": real_term, "fake": fake_term},
                objective=loss_objective(text="L_D, the sum of the two terms"),
                gradients=gradients_of(loss, {"realLogits": real, "fakeLogits": fake}))

        rng = seeded(seed + 10)
        fake = leaf(uniform(rng, 6, 1, -scale, scale))
        saturating = torch.log(1 - torch.sigmoid(fake)).mean() if not variant else None
        loss = -softplus(fake).mean()
        if saturating is not None:
            assert abs(saturating.item() - loss.item()) < 1e-14
        out.add("gan", f"minimax-generator-loss{variant}", "minimaxGeneratorLoss",
                "The generator's original, saturating loss: L_G = mean log(1 − D(G(z))) = −mean softplus(ℓ_fake), "
                f"whose gradient −σ(ℓ)/N vanishes when D rejects the samples. 6 logits; {note}.",
                seed + 10, inputs={"fakeLogits": fake}, outputs={"loss": loss},
                objective=loss_objective(text="L_G"), gradients=gradients_of(loss, {"fakeLogits": fake}))

        rng = seeded(seed + 20)
        fake = leaf(uniform(rng, 6, 1, -scale, scale))
        loss = softplus(-fake).mean()
        out.add("gan", f"non-saturating-loss{variant}", "nonSaturatingLoss",
                "The generator's non-saturating loss: L_G = −mean log D(G(z)) = mean softplus(−ℓ_fake), "
                f"gradient (σ(ℓ) − 1)/N. 6 logits; {note}.",
                seed + 20, inputs={"fakeLogits": fake}, outputs={"loss": loss},
                objective=loss_objective(text="L_G"), gradients=gradients_of(loss, {"fakeLogits": fake}))


def learn_names(module):
    """PyTorch's Sequential names ("3.weight") in Learn's spelling ("3.gamma")."""
    names = {}
    for index, layer in enumerate(module):
        if isinstance(layer, torch.nn.Linear):
            names.update({f"{index}.weight": f"{index}.w", f"{index}.bias": f"{index}.b"})
        elif isinstance(layer, torch.nn.BatchNorm1d):
            names.update({f"{index}.weight": f"{index}.gamma", f"{index}.bias": f"{index}.beta",
                          f"{index}.running_mean": f"{index}.runningMean",
                          f"{index}.running_var": f"{index}.runningVariance"})
    return names


def network_case(out, which, seed, mode, *, n=5, widths=(6, 8, 5), group="gan", name=None):
    rng = seeded(seed)
    slope = 0.2
    noise, widths, image = 4, list(widths), 7
    d_widths = [6, 4]
    layers = []
    if which == "generator":
        width = noise
        for k, nxt in enumerate(widths):
            layers.append(torch.nn.Linear(width, nxt))
            if k > 0:
                layers.append(torch.nn.BatchNorm1d(nxt, momentum=0.1, eps=1e-5))
            layers.append(torch.nn.LeakyReLU(slope))
            width = nxt
        layers += [torch.nn.Linear(width, image), torch.nn.Tanh()]
        x = leaf(uniform(rng, n, noise, -2, 2))
        input_name, output_name = "z", "images"
        options = {"noiseSize": noise, "widths": widths, "imageSize": image, "slope": slope, "mode": mode,
                   "momentum": 0.1, "epsilon": 1e-5}
        shape_text = (f"z ∈ R^{noise} → {' → '.join(map(str, widths))} → {image}: Linear → [BatchNorm on all but the "
                      "first hidden layer] → LeakyReLU(0.2) per hidden width, then Linear → tanh")
    else:
        width = image
        for nxt in d_widths:
            layers += [torch.nn.Linear(width, nxt), torch.nn.LeakyReLU(slope)]
            width = nxt
        layers.append(torch.nn.Linear(width, 1))
        x = leaf(uniform(rng, n, image))
        input_name, output_name = "x", "logits"
        options = {"imageSize": image, "widths": d_widths, "slope": slope}
        shape_text = (f"{image} → {' → '.join(map(str, d_widths))} → 1: Linear → LeakyReLU(0.2) per hidden width, "
                      "then Linear to one logit ℓ (no sigmoid: D = σ(ℓ) is applied inside the losses; no dropout)")
    net = torch.nn.Sequential(*layers)
    with torch.no_grad():  # every parameter and buffer from the seeded stream, in order
        for _, p in net.named_parameters():
            p.copy_(uniform(rng, *(p.shape if p.dim() == 2 else (1, p.shape[0])), -0.8, 0.8).reshape(p.shape))
        for layer in net:
            if isinstance(layer, torch.nn.BatchNorm1d):
                layer.weight.copy_(uniform(rng, 1, layer.num_features, 0.5, 1.5).reshape(-1))
                layer.running_mean.copy_(uniform(rng, 1, layer.num_features, -0.5, 0.5).reshape(-1))
                layer.running_var.copy_(uniform(rng, 1, layer.num_features, 0.5, 2).reshape(-1))
    names = learn_names(net)
    start_buffers = {names[k]: v.detach().clone().reshape(1, -1) for k, v in net.named_buffers() if k in names}
    params = {names[k]: (p.reshape(1, -1) if p.dim() == 1 else p) for k, p in net.named_parameters()}
    net.train(mode == "training")
    y = net(x)
    objective, objective_json = weighted_sum(rng, y, output_name)
    named = {input_name: x, **dict(net.named_parameters())}
    grads = gradients_of(objective, named)
    grads = {names.get(k, k): (g.reshape(1, -1) if g.dim() == 1 else g) for k, g in grads.items()}
    outputs = {output_name: y}
    outputs.update({names[k]: v.reshape(1, -1) for k, v in net.named_buffers() if k in names})
    mode_text = ""
    if which == "generator":
        mode_text = (" In training mode: batch normalisation uses the batch's statistics and updates its running ones "
                     "(given under outputs)." if mode == "training" else
                     " In evaluation mode: batch normalisation uses its running statistics, which do not change.")
    name = name or (f"{which}-{mode}" if which == "generator" else which)
    tolerance = None
    if which == "generator" and mode == "training":
        # A linear layer's bias just before batch normalisation cannot change the
        # normalised output, so its gradient is 0 in exact arithmetic; both sides compute
        # rounding noise of about 1e-15 there. A floor of 1e-3 compares such values to
        # within 1e-13 absolutely, well above the noise.
        tolerance = {"relative": TOLERANCE["relative"], "floor": 1e-3}
        mode_text += (" The biases 2.b and 5.b feed batch normalisation, so their gradients are 0 in exact "
                      "arithmetic (what is written is rounding noise); hence this case's floor of 1e-3.")
    out.add(group, name, which,
            f"A small {which} built like Learn's GANArchitecture: {shape_text}. N = {n}; every parameter uniform in "
            f"±0.8 except BatchNorm's γ in (0.5, 1.5).{mode_text} Parameters are named as in nn.Sequential, "
            f"\"<layer index>.<name>\".",
            seed, inputs={input_name: x}, parameters=params, buffers=start_buffers, options=options,
            outputs=outputs, objective=objective_json, gradients=grads, tolerance=tolerance)


# --- Assignment 2: the MLP -----------------------------------------------------------------

def mlp_case(out, name, seed, widths, n, text):
    """A whole MLP, nn.Sequential(Linear, ReLU, …, Linear), x → scores, backward from R."""
    rng = seeded(seed)
    layers = []
    for k, (i, o) in enumerate(zip(widths, widths[1:])):
        layers.append(torch.nn.Linear(i, o))
        if k < len(widths) - 2:
            layers.append(torch.nn.ReLU())
    net = torch.nn.Sequential(*layers)
    with torch.no_grad():  # every parameter from the seeded stream, in order
        for _, p in net.named_parameters():
            p.copy_(uniform(rng, *(p.shape if p.dim() == 2 else (1, p.shape[0])), -0.8, 0.8).reshape(p.shape))
    x = leaf(uniform(rng, n, widths[0], -2, 2))
    scores = net(x)
    objective, objective_json = weighted_sum(rng, scores, "scores")
    names = learn_names(net)
    grads = gradients_of(objective, {"x": x, **dict(net.named_parameters())})
    grads = {names.get(k, k): (g.reshape(1, -1) if g.dim() == 1 else g) for k, g in grads.items()}
    params = {names[k]: (p.reshape(1, -1) if p.dim() == 1 else p) for k, p in net.named_parameters()}
    shape = " → ".join(map(str, widths))
    out.add("models", name, "mlp",
            f"An MLP {shape} built as nn.Sequential(Linear, ReLU, …, Linear): a ReLU after every Linear but the "
            f"last, whose outputs are the class scores (no activation: softmax–CE takes them). {text} N = {n}; "
            "every parameter uniform in ±0.8, x in ±2. Parameters are named as in nn.Sequential, "
            "\"<layer index>.<name>\".",
            seed, inputs={"x": x}, parameters=params, options={"widths": list(widths)}, outputs={"scores": scores},
            objective=objective_json, gradients=grads)


def mlp_cases(out):
    mlp_case(out, "mlp", 420, [2, 6, 5, 2], 5, "Two hidden layers, as for the moons.")
    mlp_case(out, "mlp-deep", 421, [3, 4, 4, 4, 3], 4, "Three hidden layers of 4 and three classes.")
    mlp_case(out, "mlp-no-hidden", 422, [4, 3], 3, "No hidden layer: one Linear, a linear classifier.")


# --- Assignment 2: the CNN's layers ---------------------------------------------------------
#
# A batch of images N×C×H×W is written as an N × (C·H·W) matrix, one image per row in NCHW
# order (x.reshape(N, -1)); options give the input's C, H, W and the window. A convolution's
# weight C_out×C_in×K_h×K_w is written as C_out × (C_in·K_h·K_w) (weight.reshape(C_out, -1)).

def image_input(rng, n, c, h, w, low=-1.0, high=1.0, values=None):
    """The leaf x as an N × (C·H·W) matrix, and the same numbers as N×C×H×W images."""
    if values is None:
        x = leaf(uniform(rng, n, c * h * w, low, high))
    else:
        x = leaf(torch.tensor([rng.choice(values) for _ in range(n * c * h * w)]).reshape(n, c * h * w))
    return x, x.reshape(n, c, h, w)


def image_options(c, h, w, **window):
    options = {"channels": c, "height": h, "width": w}
    for key, value in window.items():
        options[key] = value
    return options


def conv2d_case(out, name, seed, n, c_in, c_out, h, w, kernel, stride, padding, text):
    rng = seeded(seed)
    kh, kw = kernel
    conv = torch.nn.Conv2d(c_in, c_out, (kh, kw), stride=stride, padding=padding)
    bound = 1 / math.sqrt(c_in * kh * kw)  # PyTorch's default initialisation bound, drawn from the seeded stream
    with torch.no_grad():
        conv.weight.copy_(uniform(rng, c_out, c_in * kh * kw, -bound, bound).reshape(conv.weight.shape))
        conv.bias.copy_(uniform(rng, 1, c_out, -bound, bound).reshape(-1))
    x, images = image_input(rng, n, c_in, h, w)
    y4 = conv(images)
    y = y4.reshape(n, -1)
    objective, objective_json = weighted_sum(rng, y, "y")
    grads = gradients_of(objective, {"x": x, "w": conv.weight, "b": conv.bias})
    h2, w2 = y4.shape[2], y4.shape[3]
    out.add("layers", name, "conv2d",
            f"nn.Conv2d({c_in}, {c_out}, kernel_size=({kh}, {kw}), stride={stride}, padding={padding}), a "
            f"cross-correlation with zero padding: y[n,o,i,j] = b[o] + Σ_c,a,b W[o,c,a,b]·x[n,c,i·S−P+a,j·S−P+b]. "
            f"{text} N = {n}, input {c_in}×{h}×{w}, output {c_out}×{h2}×{w2} (H₂ = ⌊(H₁ − K_h + 2P)/S⌋ + 1). "
            f"Images are rows of C·H·W numbers in NCHW order; w is the weight reshaped to C_out × (C_in·K_h·K_w); "
            f"W and b uniform in ±1/√(C_in·K_h·K_w), x in ±1.",
            seed, inputs={"x": x},
            parameters={"w": conv.weight.reshape(c_out, -1), "b": conv.bias.reshape(1, -1)},
            options=image_options(c_in, h, w, kernelHeight=kh, kernelWidth=kw, stride=stride, padding=padding),
            outputs={"y": y}, objective=objective_json,
            gradients={"x": grads["x"], "w": grads["w"].reshape(c_out, -1), "b": grads["b"].reshape(1, -1)})


def max_pool2d_case(out, name, seed, n, c, h, w, kernel, stride, padding, text, low=-1.0, high=1.0, values=None):
    rng = seeded(seed)
    kh, kw = kernel
    pool = torch.nn.MaxPool2d((kh, kw), stride=stride, padding=padding)
    x, images = image_input(rng, n, c, h, w, low, high, values)
    y4 = pool(images)
    y = y4.reshape(n, -1)
    objective, objective_json = weighted_sum(rng, y, "y")
    out.add("layers", name, "maxPool2d",
            f"nn.MaxPool2d(({kh}, {kw}), stride={stride}, padding={padding}): the largest number of each window, "
            f"each channel on its own; padding counts as −∞; the gradient goes to the window's arg-max alone "
            f"(of tied maxima, the first in row-major window order). {text} N = {n}, input {c}×{h}×{w}, output "
            f"{c}×{y4.shape[2]}×{y4.shape[3]}. Images are rows of C·H·W numbers in NCHW order.",
            seed, inputs={"x": x},
            options=image_options(c, h, w, kernelHeight=kh, kernelWidth=kw, stride=stride, padding=padding),
            outputs={"y": y}, objective=objective_json, gradients=gradients_of(objective, {"x": x}))


def batch_norm2d_case(out, name, seed, n, c, h, w, mode, momentum, text):
    rng = seeded(seed)
    eps = 1e-5
    norm = torch.nn.BatchNorm2d(c, eps=eps, momentum=momentum)
    shift, spread = uniform(rng, 1, c, -2, 2), uniform(rng, 1, c, 0.5, 3)
    x = leaf((uniform(rng, n * h * w, c) * spread + shift).reshape(n, h, w, c).permute(0, 3, 1, 2)
             .reshape(n, c * h * w))
    with torch.no_grad():
        norm.weight.copy_(uniform(rng, 1, c, 0.5, 1.5).reshape(-1))
        norm.bias.copy_(uniform(rng, 1, c, -0.5, 0.5).reshape(-1))
        norm.running_mean.copy_(uniform(rng, 1, c, -1, 1).reshape(-1))
        norm.running_var.copy_(uniform(rng, 1, c, 0.5, 2).reshape(-1))
    running_mean, running_var = norm.running_mean.clone().reshape(1, -1), norm.running_var.clone().reshape(1, -1)
    norm.train(mode == "training")
    y = norm(x.reshape(n, c, h, w)).reshape(n, -1)
    objective, objective_json = weighted_sum(rng, y, "y")
    grads = gradients_of(objective, {"x": x, "gamma": norm.weight, "beta": norm.bias})
    if mode == "training":
        what = ("in training mode: each channel normalised by this batch's mean and biased variance over N, H and W "
                "(M = N·H·W numbers), y = γ x̂ + β; the running statistics move towards the batch, the variance "
                "taken unbiased (× M/(M−1)).")
    else:
        what = ("in evaluation mode: each channel normalised by the running mean and running variance (constants: "
                "they receive no gradient and do not change), y = γ x̂ + β.")
    out.add("layers", name, "batchNorm2d",
            f"nn.BatchNorm2d({c}, eps={eps}, momentum={momentum}) {what} {text} N = {n}, images {c}×{h}×{w}. "
            "Images are rows of C·H·W numbers in NCHW order.",
            seed, inputs={"x": x},
            parameters={"gamma": norm.weight.reshape(1, -1), "beta": norm.bias.reshape(1, -1)},
            buffers={"runningMean": running_mean, "runningVariance": running_var},
            options=image_options(c, h, w, mode=mode, momentum=momentum, epsilon=eps),
            outputs={"y": y, "runningMean": norm.running_mean.reshape(1, -1),
                     "runningVariance": norm.running_var.reshape(1, -1)},
            objective=objective_json,
            gradients={"x": grads["x"], "gamma": grads["gamma"].reshape(1, -1), "beta": grads["beta"].reshape(1, -1)})


def cnn_layer_cases(out):
    conv2d_case(out, "conv2d", 430, 2, 3, 4, 5, 5, (3, 3), 1, 1,
                "The reduced VGG's convolution: a 3×3 kernel, stride 1, padding 1, so the output keeps H and W.")
    conv2d_case(out, "conv2d-stride-2", 431, 2, 2, 3, 7, 6, (3, 3), 2, 1,
                "Stride 2 on a non-square 7×6 image with padding 1.")
    conv2d_case(out, "conv2d-kernel-2x3", 432, 3, 2, 2, 4, 6, (2, 3), 1, 0,
                "A non-square 2×3 kernel, no padding.")
    conv2d_case(out, "conv2d-stride-3-floor", 433, 1, 1, 2, 8, 7, (3, 2), 3, 0,
                "Stride 3 does not divide H₁ − K_h = 5 or W₁ − K_w = 5: the last rows and columns no whole step "
                "reaches are left out (the size rounds down).")
    max_pool2d_case(out, "max-pool2d", 440, 2, 3, 8, 8, (3, 3), 2, 1,
                    "The reduced VGG's pooling: 3×3 windows, stride 2, padding 1, halving H and W; windows overlap.")
    max_pool2d_case(out, "max-pool2d-2x2", 441, 2, 2, 6, 4, (2, 2), 2, 0,
                    "2×2 windows, stride 2, on non-square 6×4 images.")
    max_pool2d_case(out, "max-pool2d-negative-padding", 442, 2, 2, 5, 6, (3, 3), 2, 1,
                    "Every input is negative (in −2…−0.1), so a window that counted its padding as 0 would "
                    "return 0.", low=-2.0, high=-0.1)
    max_pool2d_case(out, "max-pool2d-ties", 443, 2, 2, 6, 6, (3, 3), 3, 0,
                    "Inputs drawn from {−1, −0.5, 0, 0.5, 1}, so most windows hold tied maxima; the windows do not "
                    "overlap (stride = kernel), so each input is in one window.",
                    values=[-1.0, -0.5, 0.0, 0.5, 1.0])
    batch_norm2d_case(out, "batch-norm2d-training", 450, 3, 4, 3, 2, "training", 0.1, "")
    batch_norm2d_case(out, "batch-norm2d-training-one-image", 451, 1, 3, 2, 3, "training", 0.3,
                      "One image: the statistics are over its 2×3 pixels.")
    batch_norm2d_case(out, "batch-norm2d-evaluation", 452, 2, 3, 2, 2, "evaluation", 0.1, "")


def gan_network_cases(out):
    network_case(out, "generator", 410, "training")
    network_case(out, "generator", 411, "evaluation")
    network_case(out, "discriminator", 412, "training")


# --- Optimisers -------------------------------------------------------------------------

def optimizer_case(out, kind, name, seed, make, options, text, *, steps=5, zero=False, group="optimizers"):
    """`zero`: every gradient is 0 at every step (nothing may move, and nothing may be NaN)."""
    rng = seeded(seed)
    w, b = uniform(rng, 2, 3), uniform(rng, 1, 2)
    start = {"w": w.clone(), "b": b.clone()}
    pw, pb = torch.nn.Parameter(w.clone()), torch.nn.Parameter(b.clone())
    optimizer = make([pw, pb])
    inputs, outputs = {}, {}
    for step in range(1, steps + 1):
        dw, db = uniform(rng, 2, 3), uniform(rng, 1, 2)
        if zero:
            dw, db = torch.zeros(2, 3), torch.zeros(1, 2)
        dw[1, 2] = 0.0  # a weight whose gradient is always 0 must never move
        if step == 2 and not zero:
            dw[0, 0] = 1e-9  # a tiny gradient, where ε matters
        if step == 3:
            db[0, 1] = 0.0  # a gradient that pauses
        if not zero:
            db[0, 0] = 1e-6 * (-1) ** step  # always tiny: √v is near ε, so where ε goes decides the step
        pw.grad, pb.grad = dw.clone(), db.clone()
        optimizer.step()
        inputs.update({f"dw({step})": dw, f"db({step})": db})
        outputs.update({f"w({step})": pw.detach().clone(), f"b({step})": pb.detach().clone()})
    out.add(group, name, kind,
            f"{text} The parameters are a 2×3 matrix `w` and a 1×2 matrix `b` (a small linear layer); "
            f"`dw(t)`, `db(t)` are the gradients given at step t, `w(t)`, `b(t)` the parameters after step t. "
            f"{steps} steps; " + ("every gradient is 0 at every step." if zero else
                                  "w[1][2] always has gradient 0, b[0] always ±1e-6 (where ε matters)."),
            seed, inputs=inputs, parameters=start, options={"steps": steps, **options}, outputs=outputs,
            objective={"type": "none", "text": "none: a trajectory of given gradients, nothing is differentiated"})


def optimizer_cases(out):
    optimizer_case(out, "sgd", "sgd-momentum", 500,
                   lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
                   {"learningRate": 0.1, "momentum": 0.9},
                   "torch.optim.SGD with momentum 0.9 (dampening 0, no Nesterov): v ← μ v + g, θ ← θ − η v, v starting "
                   "at 0, η = 0.1.")
    optimizer_case(out, "sgd", "sgd-plain", 501,
                   lambda p: torch.optim.SGD(p, lr=0.05),
                   {"learningRate": 0.05, "momentum": 0.0},
                   "torch.optim.SGD without momentum: θ ← θ − η g, η = 0.05.")
    optimizer_case(out, "rmsprop", "rmsprop", 510,
                   lambda p: torch.optim.RMSprop(p, lr=1e-2, alpha=0.99, eps=1e-8),
                   {"learningRate": 0.01, "alpha": 0.99, "epsilon": 1e-8},
                   "torch.optim.RMSprop (not centred, no momentum): s ← α s + (1 − α) g², θ ← θ − η g / (√s + ε), "
                   "s starting at 0 with no bias correction; η = 0.01, α = 0.99, ε = 1e-8.")
    optimizer_case(out, "adam", "adam-gan", 520,
                   lambda p: torch.optim.Adam(p, lr=2e-4, betas=(0.5, 0.999), eps=1e-8),
                   {"learningRate": 0.0002, "beta1": 0.5, "beta2": 0.999, "epsilon": 1e-8},
                   "torch.optim.Adam with the GAN's settings η = 2e-4, β = (0.5, 0.999), ε = 1e-8: m ← β₁m + (1 − β₁)g, "
                   "v ← β₂v + (1 − β₂)g², θ ← θ − η (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε).")
    optimizer_case(out, "adam", "adam-defaults", 521,
                   lambda p: torch.optim.Adam(p, lr=1e-3),
                   {"learningRate": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
                   "torch.optim.Adam with PyTorch's defaults η = 1e-3, β = (0.9, 0.999), ε = 1e-8 (update as in "
                   "adam-gan).")


# --- Hidden sets: the stress cases ------------------------------------------------------

OPTIMIZER_NAMES = {"sgd": "torch.optim.SGD (momentum 0.9, η = 0.1)", "rmsprop": "torch.optim.RMSprop (η = 0.01)",
                   "adam": "torch.optim.Adam with the GAN's settings"}

def adversarial_cases(out):
    """Valid cases on which a correct implementation is easy to fail by a naive check:
    kinks, huge logits, T = 1 and 40, sizes of 1, K = 2, a layer wider than the matrix
    kernel's blocks, ill-conditioned batch normalisation, long optimiser runs with zero
    gradients. Only hidden sets include them (`--hidden`)."""
    group = "adversarial"
    for seed, kind, name, fn, options, text in (
        (600, "relu", "relu-kinks", F.relu, {}, "ReLU"),
        (601, "leakyReLU", "leaky-relu-kinks", lambda v: F.leaky_relu(v, 0.2), {"slope": 0.2}, "LeakyReLU(0.2)"),
    ):
        rng = seeded(seed)
        x = uniform(rng, 4, 6, -2, 2)
        for k in rng.sample(range(24), 8):
            x.view(-1)[k] = 0.0
        x = leaf(x)
        y = fn(x)
        objective, objective_json = weighted_sum(rng, y, "y")
        out.add(group, name, kind,
                f"{text}, elementwise, on a 4×6 input uniform in ±2 with 8 elements exactly 0, where the derivative "
                "jumps: the gradient given there is PyTorch's (the negative side's slope); either one-sided "
                "derivative is correct and accepted.",
                seed, inputs={"x": x}, options=options, outputs={"y": y}, objective=objective_json,
                gradients=gradients_of(objective, {"x": x}))

    for seed, name, n, k, scale in ((610, "softmax-cross-entropy-scores-1e4", 5, 10, 1e4),
                                    (611, "softmax-cross-entropy-two-classes", 3, 2, 1e4)):
        rng = seeded(seed)
        p = leaf(uniform(rng, n, k, -scale, scale))
        labels = torch.tensor([rng.randrange(k) for _ in range(n)], dtype=torch.int64)
        loss = F.cross_entropy(p, labels)
        out.add(group, name, "softmaxCrossEntropy",
                f"Equations (8)–(9), the mean cross-entropy of softmax(p). N = {n}, K = {k}; scores uniform in "
                f"±{scale:g}, so every probability rounds to 0 or 1 and exp overflows without the row maximum "
                "subtracted.",
                seed, inputs={"p": p, "labels": labels_json(labels)},
                outputs={"loss": loss, "probabilities": torch.softmax(p, dim=1)},
                objective=loss_objective(text="L, the mean cross-entropy"), gradients=gradients_of(loss, {"p": p}))

    rng = seeded(612)
    real, fake = leaf(uniform(rng, 4, 1, -1e4, 1e4)), leaf(uniform(rng, 3, 1, -1e4, 1e4))
    real_term, fake_term = softplus(-real).mean(), softplus(fake).mean()
    out.add(group, "minimax-discriminator-loss-logits-1e4", "minimaxDiscriminatorLoss",
            "L_D = mean softplus(−ℓ_real) + mean softplus(ℓ_fake), equation (10), on logits uniform in ±1e4 "
            "(σ(ℓ) is exactly 0 or 1 in float64). 4 real and 3 fake logits.",
            612, inputs={"realLogits": real, "fakeLogits": fake},
            outputs={"loss": real_term + fake_term, "real": real_term, "fake": fake_term},
            objective=loss_objective(text="L_D"),
            gradients=gradients_of(real_term + fake_term, {"realLogits": real, "fakeLogits": fake}))
    for seed, name, kind, sign in ((613, "minimax-generator-loss-logits-1e4", "minimaxGeneratorLoss", -1.0),
                                   (614, "non-saturating-loss-logits-1e4", "nonSaturatingLoss", 1.0)):
        rng = seeded(seed)
        fake = leaf(uniform(rng, 5, 1, -1e4, 1e4))
        loss = -softplus(fake).mean() if sign < 0 else softplus(-fake).mean()
        out.add(group, name, kind,
                ("The saturating L_G = −mean softplus(ℓ)" if sign < 0 else "The non-saturating L_G = mean softplus(−ℓ)")
                + " on 5 logits uniform in ±1e4.",
                seed, inputs={"fakeLogits": fake}, outputs={"loss": loss}, objective=loss_objective(text="L_G"),
                gradients=gradients_of(loss, {"fakeLogits": fake}))

    gate_case(out, group, "gate-g-sizes-1", "g", 620, 1, 1, 1, 0.8, ": N = D = H = 1, every matrix a single number.")
    gate_case(out, group, "gate-i-deeply-saturated", "i", 621, 4, 3, 2, 12.0,
              ", so most pre-activations lie beyond ±10 where σ′ < 5e-5.")

    sequence_case(out, "lstm", 630, 40, 2, 3, one_hot=False, group=group, name="lstm-T40",
                  note=" Forty steps: the gradient of x(1) has passed through 39 forget gates.")
    sequence_case(out, "lstm", 631, 1, 3, 1, one_hot=False, d=1, k=2, group=group, name="lstm-T1-D1-H1-K2",
                  note=" The smallest LSTM: one input, one hidden unit, two classes.")
    sequence_case(out, "lstm", 632, 6, 4, 1, one_hot=True, group=group, name="lstm-T6-H1-palindromes",
                  note=" One hidden unit.")
    sequence_case(out, "rnn", 633, 40, 2, 3, one_hot=False, group=group, name="rnn-T40",
                  note=" Forty steps.")
    sequence_case(out, "rnn", 634, 20, 3, 4, one_hot=False, bound=3.0, group=group, name="rnn-T20-saturating",
                  note=" Weights in ±3 saturate tanh: most of h(t) is within 1e-3 of ±1.")
    sequence_case(out, "rnn", 635, 3, 2, 5, one_hot=False, k=2, group=group, name="rnn-T3-K2")

    network_case(out, "generator", 636, "training", n=3, widths=(10, 16, 12), group=group,
                 name="generator-training-three-rows")

    rng = seeded(640)
    n, i, o = 7, 260, 17
    x, w, b = leaf(uniform(rng, n, i, -3, 3)), leaf(uniform(rng, o, i)), leaf(uniform(rng, 1, o))
    y = F.linear(x, w, b.reshape(-1))
    objective, objective_json = weighted_sum(rng, y, "y")
    out.add(group, "linear-wide", "linear",
            f"y = x·Wᵀ + b with I = {i} inputs, more than the matrix kernel's 256-deep blocks, N = {n} rows, more "
            f"than its 6-row tiles, and O = {o} outputs, more than two 8-wide panels; x uniform in ±3 and W in ±1, so the "
            "objective is large (|Σ R ⊙ y| ≈ 100) and so is its rounding noise.",
            640, inputs={"x": x}, parameters={"w": w, "b": b}, outputs={"y": y}, objective=objective_json,
            gradients=gradients_of(objective, {"x": x, "w": w, "b": b}))

    def batch_norm(seed, name, n, features, x, mode, running_var, text, tolerance=None):
        rng = seeded(seed + 1)
        x = leaf(x)
        gamma, beta = leaf(uniform(rng, 1, features, 0.5, 1.5)), leaf(uniform(rng, 1, features, -0.5, 0.5))
        running_mean = uniform(rng, 1, features, -1, 1)
        new_mean, new_var = running_mean.clone().reshape(-1), running_var.clone().reshape(-1)
        y = F.batch_norm(x, new_mean, new_var, gamma.reshape(-1), beta.reshape(-1),
                         training=(mode == "training"), momentum=0.1, eps=1e-5)
        objective, objective_json = weighted_sum(rng, y, "y")
        out.add(group, name, "batchNorm", f"BatchNorm1d in {mode} mode, N = {n}, F = {features}, ε = 1e-5: {text}",
                seed, inputs={"x": x}, parameters={"gamma": gamma, "beta": beta},
                buffers={"runningMean": running_mean, "runningVariance": running_var},
                options={"mode": mode, "momentum": 0.1, "epsilon": 1e-5},
                outputs={"y": y, "runningMean": new_mean, "runningVariance": new_var},
                objective=objective_json, gradients=gradients_of(objective, {"x": x, "gamma": gamma, "beta": beta}),
                tolerance=tolerance)

    rng = seeded(650)
    x = uniform(rng, 5, 3)
    x[:, 1] = 0.75
    batch_norm(650, "batch-norm-constant-column", 5, 3, x, "training", uniform(rng, 1, 3, 0.5, 2),
               "feature 1 is the same (0.75) in every row, so its variance is 0 and x̂ = 0 there; its gradient is "
               "scaled by 1/√ε ≈ 316.")
    rng = seeded(652)
    x = uniform(rng, 6, 4) + 1e4
    batch_norm(652, "batch-norm-offset-1e4", 6, 4, x, "training", uniform(rng, 1, 4, 0.5, 2),
               "every input is 1e4 + u, u uniform in ±1: x − μ loses four of the sixteen digits.",
               tolerance={"relative": 1e-8, "floor": 1e-3})
    rng = seeded(654)
    x = uniform(rng, 4, 3, -1e-3, 1e-3)
    batch_norm(654, "batch-norm-evaluation-tiny-variance", 4, 3, x, "evaluation",
               torch.full((1, 3), 1e-12),
               "the running variance is 1e-12, far below ε: x̂ = (x − running mean)/√(1e-12 + ε).")

    for seed, kind, name, make, options in (
        (660, "sgd", "sgd-momentum-50-zero-steps", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
         {"learningRate": 0.1, "momentum": 0.9}),
        (661, "rmsprop", "rmsprop-50-zero-steps", lambda p: torch.optim.RMSprop(p, lr=1e-2, alpha=0.99, eps=1e-8),
         {"learningRate": 0.01, "alpha": 0.99, "epsilon": 1e-8}),
        (662, "adam", "adam-50-zero-steps", lambda p: torch.optim.Adam(p, lr=2e-4, betas=(0.5, 0.999), eps=1e-8),
         {"learningRate": 0.0002, "beta1": 0.5, "beta2": 0.999, "epsilon": 1e-8}),
    ):
        optimizer_case(out, kind, name, seed, make, options,
                       f"{OPTIMIZER_NAMES[kind]} over 50 steps whose gradients are all 0: "
                       "the parameters must not move, and s = v = 0 must not divide by zero.",
                       steps=50, zero=True, group=group)


# ----------------------------------------------------------------------------------------
# Output: sorted keys, tensors on one line, numbers by repr
# ----------------------------------------------------------------------------------------

def is_tensor(value):
    return isinstance(value, dict) and set(value) == {"shape", "values"}


def scalar(value):
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, float):
        assert math.isfinite(value)
        return repr(value)  # the shortest decimal that reads back to the same double
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def render(value, indent=0):
    pad = "  " * indent
    if is_tensor(value):
        return ('{"shape": [%d, %d], "values": [%s]}'
                % (value["shape"][0], value["shape"][1], ", ".join(scalar(v) for v in value["values"])))
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{pad}  {json.dumps(k, ensure_ascii=False)}: {render(value[k], indent + 1)}" for k in sorted(value)]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        return "[" + ", ".join(render(v, indent + 1) for v in value) + "]"
    return scalar(value)


def build(hidden=False):
    out = Collector()
    gate_cases(out)
    rnn_hidden_state_case(out)
    cell_and_hidden_cases(out)
    prediction_case(out)
    softmax_cross_entropy_cases(out)
    model_cases(out)
    layer_cases(out)
    gan_loss_cases(out)
    gan_network_cases(out)
    optimizer_cases(out)
    mlp_cases(out)
    cnn_layer_cases(out)
    if hidden:
        adversarial_cases(out)
    return out


def of_assignment(collected, assignment):
    """The files of `collected` whose kinds `assignment`'s checks take (every file for None)."""
    if assignment is None:
        return collected.files
    kinds = ASSIGNMENT_KINDS[assignment]
    return {path: text for path, text in collected.files.items() if collected.kinds[path] in kinds}


def write(files, directory):
    groups = {}
    for path, text in sorted(files.items()):
        full = os.path.join(directory, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        group = path.split("/")[0]
        groups[group] = groups.get(group, 0) + 1
    for group, count in sorted(groups.items()):
        print(f"  {group:12} {count:3} cases")
    print(f"wrote {len(files)} cases to {os.path.relpath(directory)}")


def main():
    global SEED_SHIFT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the files on disk instead of writing")
    parser.add_argument("--hidden", action="store_true",
                        help="write an instructor's hidden set instead: every kind with fresh values from --seed, "
                             "plus the stress cases (kinks, logits of ±1e4, T = 40, sizes of 1, …), into --out")
    parser.add_argument("--seed", type=int, help="with --hidden: the seed of the hidden set (a whole number ≥ 0)")
    parser.add_argument("--out", help="with --hidden: a new or empty directory to write the set into")
    parser.add_argument("--groups", help="with --hidden: write only these groups, e.g. adversarial (comma-separated)")
    parser.add_argument("--assignment", type=int, choices=sorted(ASSIGNMENT_KINDS),
                        help="with --hidden or --check: only the kinds this assignment's checks take "
                             "(the visible cases hold every assignment's)")
    parser.add_argument("--allow-other-torch", action="store_true",
                        help=f"run with a PyTorch other than {PINNED_TORCH} (the files will differ in the last digits)")
    args = parser.parse_args()
    if args.hidden:
        if args.check:
            parser.error("--check compares the committed cases; it does not go with --hidden")
        if args.seed is None or args.seed < 0 or args.out is None:
            parser.error("--hidden needs --seed S (a whole number ≥ 0) and --out DIR")
        out = os.path.abspath(args.out)
        if os.path.commonpath([out, CASES]) == CASES or os.path.commonpath([out, CASES]) == out:
            parser.error(f"--out {args.out} would mix the hidden set with the visible cases in {CASES}")
        if os.path.exists(out) and (not os.path.isdir(out) or os.listdir(out)):
            parser.error(f"--out {args.out} exists and is not an empty directory: nothing was written "
                         "(a hidden set is never written over files)")
    elif args.seed is not None or args.out is not None or args.groups is not None:
        parser.error("--seed, --out and --groups go with --hidden")
    elif args.assignment is not None and not args.check:
        parser.error("--assignment goes with --hidden or --check: the visible cases hold every assignment's, "
                     "so they are written all together")
    print(f"torch {torch.__version__} (pinned: {PINNED_TORCH}), float64, 1 thread")
    if torch.__version__.split("+")[0] != PINNED_TORCH and not args.allow_other_torch:
        sys.exit(f"error: the fixtures are pinned to torch {PINNED_TORCH}; pass --allow-other-torch to override")

    if args.hidden:
        SEED_SHIFT = 1000 * (args.seed + 1)
        files = of_assignment(build(hidden=True), args.assignment)
        if args.groups is not None:
            groups = set(args.groups.split(","))
            known = {path.split("/")[0] for path in files}
            if not groups <= known:
                parser.error(f"--groups: no group {', '.join(sorted(groups - known))}; "
                             f"the groups are {', '.join(sorted(known))}")
            files = {path: text for path, text in files.items() if path.split("/")[0] in groups}
        write(files, out)
        given = f" --assignment {args.assignment}" if args.assignment else ""
        print(f"seed {args.seed}; check it before release: "
              f"swift run -c release Course check-hidden {args.out}{given}")
        return

    files = of_assignment(build(), args.assignment)
    if args.check:
        stale = []
        for path, text in sorted(files.items()):
            full = os.path.join(CASES, path)
            if not os.path.exists(full) or open(full, encoding="utf-8").read() != text:
                stale.append(path)
        on_disk = {os.path.relpath(os.path.join(d, f), CASES).replace(os.sep, "/")
                   for d, _, fs in os.walk(CASES) for f in fs if f.endswith(".json")} if os.path.isdir(CASES) else set()
        if args.assignment is None:
            stale += sorted(on_disk - set(files))
        for path in stale:
            print(f"differs: {path}")
        print(f"{len(files)} cases, {len(stale)} differ")
        sys.exit(1 if stale else 0)

    if os.path.isdir(CASES):
        shutil.rmtree(CASES)  # every file here is generated: start clean so no stale case survives
    write(files, CASES)


if __name__ == "__main__":
    main()
