"""Tests of learn_answers.py against the reference cases in Fixtures/cases.

    python3 -m unittest discover -s Scripts/pytorch -v

Every test that runs student code is skipped when torch cannot be imported (CI without
PyTorch); the checks of the tool's own process (the answers' validation, the refusals,
the message without torch) run either way. The tests of the sandbox itself are skipped,
with the reason, where it cannot be built (not root, or no working unshare); everything
else runs sandboxed where it can and with --no-sandbox where it cannot. Wrong
implementations are small files holding the worked example's source and then
overriding one piece of it, so each differs from the example by exactly one mistake.
"""

import contextlib
import copy
import io
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest
import uuid
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent
TOOL = HERE / "learn_answers.py"
EXAMPLE = HERE / "example_student.py"
CASES = HERE.parent.parent / "Fixtures" / "cases"

sys.path.insert(0, str(HERE))
import learn_answers as la  # noqa: E402  (its own process needs no torch)

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None

FD_BAR = 1e-6


def sandbox_unavailable():
    """Why the sandbox cannot be built here, or None."""
    reason = la.sandbox_unavailable()
    if reason is not None:
        return reason
    try:
        result = subprocess.run(["unshare", "--pid", "--fork", "--mount", "--net", "--", "true"],
                                capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"unshare cannot run: {error}"
    return None if result.returncode == 0 else f"unshare fails: {result.stderr.strip()}"


NO_SANDBOX = sandbox_unavailable()
needs_sandbox = unittest.skipIf(NO_SANDBOX is not None, f"no sandbox here: {NO_SANDBOX}")
MODES = (("sandbox",) if NO_SANDBOX is None else ()) + ("no-sandbox",)  # every way the tool can run here


def own_lines(stderr):
    """The tool's messages, without the sandbox's summary line or the --no-sandbox warning."""
    warning = set(la.NO_SANDBOX_WARNING.format(uid=os.geteuid()).splitlines())
    return [line for line in stderr.strip().splitlines() if not line.startswith("sandbox: ") and line not in warning]


def run_tool(*args, mode=None, env=None):
    """The tool as a command, sandboxed where that works (or as `mode` says)."""
    mode = mode or MODES[0]
    extra = ["--no-sandbox"] if mode == "no-sandbox" else []
    return subprocess.run([sys.executable, str(TOOL), *map(str, args), *extra], capture_output=True, text=True,
                          env=env)


def running(marker):
    """The command lines of the processes whose command line holds `marker`."""
    result = subprocess.run(["pgrep", "-af", marker], capture_output=True, text=True)
    return [line for line in result.stdout.splitlines() if "pgrep" not in line]


def load_expected(directory, assignment=None):
    """Every case file with its expected values, by key (only the assignment's kinds, if given)."""
    cases = {p.relative_to(directory).with_suffix("").as_posix(): json.loads(p.read_text(encoding="utf-8"))
             for p in sorted(directory.rglob("*.json"))}
    if assignment is None:
        return cases
    return {k: c for k, c in cases.items() if c["kind"] in la.ASSIGNMENT_KINDS[assignment] - la.NOT_ANSWERED_YET}


def kink_alternatives(case, name, index):
    """At a rectifier's input of exactly 0 either one-sided slope, times R, is correct."""
    if case["kind"] not in ("relu", "leakyReLU") or name != "x" or case["inputs"]["x"]["values"][index] != 0:
        return []
    r = case["objective"]["weights"]["values"][index]
    return [r * 1.0, r * case["options"].get("slope", 0.0)]


def problems(case, entry):
    """Why an answer fails a case under the fixtures' rule
    |a − e| / max(|e|, floor) ≤ relative; empty when it passes."""
    if entry is None:
        return ["no answer"]
    if "error" in entry:
        return [entry["error"]]
    relative, floor = case["tolerance"]["relative"], case["tolerance"]["floor"]
    found = []
    for section in ("outputs", "gradients"):
        for name, expected in case[section].items():
            given = entry.get(section, {}).get(name)
            if given is None or given["shape"] != expected["shape"]:
                found.append(f"{section}.{name}: missing or misshapen")
                continue
            for k, (a, e) in enumerate(zip(given["values"], expected["values"])):
                a = float(a)  # "NaN" and "Infinity" as written
                accepted = [e] + (kink_alternatives(case, name, k) if section == "gradients" else [])
                if not any(abs(a - v) / max(abs(v), floor) <= relative for v in accepted):
                    found.append(f"{section}.{name}[{k}]: {a!r}, expected {e!r}")
                    break
    return found


def failing(expected, answers):
    return {key for key, case in expected.items() if problems(case, answers.get(key))}


@unittest.skipIf(torch is None, "torch is not importable")
class StudentFiles(unittest.TestCase):
    """Shared set-up: the cases (Assignment 3's, the tool's default), a temporary folder,
    and variants of the example."""

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        cls.expected = load_expected(CASES, la.DEFAULT_ASSIGNMENT)
        cls.cases = la.of_assignment(la.load_cases(CASES), la.DEFAULT_ASSIGNMENT)[0]
        cls.count = 0

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    @classmethod
    def variant(cls, body, base=True, name=None):
        """A student file: the example's source, then `body` (which overrides). One
        file, as handed in: the sandbox shows the child nothing else."""
        cls.count += 1
        path = Path(cls.folder.name) / (name or f"student_{cls.count}.py")
        prelude = EXAMPLE.read_text(encoding="utf-8") + "\n\n" if base else ""
        path.write_text(prelude + textwrap.dedent(body), encoding="utf-8")
        return path

    @classmethod
    def subset(cls, *keys):
        """A cases folder holding only these cases (the run stays short)."""
        cls.count += 1
        folder = Path(cls.folder.name) / f"cases_{cls.count}"
        for key in keys:
            (folder / key).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile((CASES / key).with_suffix(".json"), (folder / key).with_suffix(".json"))
        return folder

    def out(self, name=None):
        self.__class__.count += 1
        return Path(self.folder.name) / (name or f"answers_{self.count}.json")

    def answers(self, path, cases=None, finite_differences=False):
        """The child's loop, in this process."""
        student = la.Student.of(la.import_student(path))
        return la.answer_all(student, self.cases if cases is None else cases,
                             finite_differences=finite_differences)

    def tool(self, *args, mode=None):
        return run_tool(*args, mode=mode)

    def written(self, out):
        return json.loads(out.read_text(encoding="utf-8"), parse_constant=lambda c: self.fail(f"bare {c}"))["cases"]


class WorkedExample(StudentFiles):
    """The example, through the tool as a grader runs it: two processes, sandboxed where
    that works."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.path = Path(cls.folder.name) / "example.json"
        cls.result = run_tool(EXAMPLE, "--out", cls.path)
        cls.text = cls.path.read_text(encoding="utf-8") if cls.path.exists() else ""
        cls.example = json.loads(cls.text)["cases"] if cls.text else {}

    def test_every_case_is_answered(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        self.assertEqual(set(self.example), set(self.expected))
        self.assertEqual({k: e["error"] for k, e in self.example.items() if "error" in e}, {})
        n = len(self.expected)
        self.assertIn(f"answered {n} of {n} cases, 0 raised, 0 skipped", self.result.stderr)
        everything = load_expected(CASES)
        # Assignment 2's own kinds: the MLP, and the CNN's layers (which the tool does not answer yet)
        mlp = {k for k, c in everything.items() if c["kind"] in ("mlp", "conv2d", "maxPool2d", "batchNorm2d")}
        self.assertTrue(mlp)
        self.assertEqual(set(self.example), set(everything) - mlp)  # the default is Assignment 3, as before
        self.assertIn(f"Assignment 3 (Part I 40 points, Part II 60): {n} of the {len(everything)} cases are of its "
                      f"kinds; the other {len(mlp)} (batchNorm2d, conv2d, maxPool2d, mlp) are left out",
                      self.result.stderr)
        self.assertIn(f"grade it with `Course verify --answers {self.path}`", self.result.stderr)
        self.assertIn(f"entry points found ({len(la.assignment_entries(3))} of {len(la.assignment_entries(3))})",
                      self.result.stderr)
        if MODES[0] == "sandbox":
            self.assertIn("sandbox: pid+mount+net", self.result.stderr)

    def test_matches_every_case(self):
        for key, case in self.expected.items():
            with self.subTest(case=key):
                self.assertEqual(problems(case, self.example.get(key)), [])

    def test_finite_differences_agree(self):
        for key, case in self.expected.items():
            entry = self.example.get(key, {})
            with self.subTest(case=key):
                if not case["gradients"]:
                    self.assertNotIn("finiteDifferences", entry)
                    continue
                fd = entry["finiteDifferences"]
                wanted = sum(min(la.FD_ELEMENTS, math.prod(t["shape"])) for t in case["gradients"].values())
                self.assertEqual(fd["checked"], wanted)
                self.assertLessEqual(fd["worstRelativeError"], FD_BAR, fd)

    def test_answers_file_reads_back_exactly(self):
        path = Path(self.folder.name) / "answers.json"
        la.write_answers(path, self.example)
        text = path.read_text(encoding="utf-8")
        self.assertEqual(text, self.text)  # every double as written by the tool reads back to itself
        written = json.loads(text, parse_constant=lambda c: self.fail(f"bare {c} in the file"))
        self.assertEqual(written["cases"]["layers/linear-worked-example"]["outputs"]["y"],
                         {"shape": [1, 2], "values": [-1.25, 1.5]})
        self.assertEqual([p.name for p in Path(self.folder.name).iterdir() if p.name.endswith(".tmp")], [])


def lstm_longer_than_one_step(key, case):
    """At T = 1, c(0) = 0 hides any mistake in f: its gradients are 0 either way."""
    return case["kind"] == "lstm" and case["options"]["timeSteps"] > 1


def batch_norm_training(key, case):
    return case["kind"] in ("batchNorm", "generator") and case["options"]["mode"] == "training"


def overflowing_scores(key, case):
    """Scores past log(DBL_MAX) ≈ 709.78, where exp overflows."""
    return case["kind"] == "softmaxCrossEntropy" and max(map(abs, case["inputs"]["p"]["values"])) > 709.78


class Mistakes(StudentFiles):
    """Each typical mistake fails the cases it should, and only those."""

    MISTAKES = {  # title: (the override, which cases it fails)
        "cell state without f": ("""
            def cell_state(g, i, f, c_prev):
                return g * i + c_prev
            """, lambda key, case: key == "equations/cell-state" or lstm_longer_than_one_step(key, case)),
        "forget gate with tanh": ("""
            class LSTM(LSTM):
                def step(self, x, h, c):
                    g = gate(x, h, self.W_gx, self.W_gh, self.b_g, torch.tanh)
                    i = gate(x, h, self.W_ix, self.W_ih, self.b_i, torch.sigmoid)
                    f = gate(x, h, self.W_fx, self.W_fh, self.b_f, torch.tanh)
                    o = gate(x, h, self.W_ox, self.W_oh, self.b_o, torch.sigmoid)
                    c = cell_state(g, i, f, c)
                    return hidden_state(c, o), c
            """, lstm_longer_than_one_step),
        "BatchNorm normalising by the unbiased variance": ("""
            class BatchNorm1d(BatchNorm1d):
                def forward(self, x):
                    if not self.training:
                        return super().forward(x)
                    n, mean, var = len(x), x.mean(dim=0), x.var(dim=0)  # divided by N − 1
                    self.update_running_statistics(mean, var * (n - 1) / n, n)  # these stay right
                    return self.weight * (x - mean) / torch.sqrt(var + self.eps) + self.bias
            """, batch_norm_training),
        "saturating generator loss with the wrong sign": ("""
            def generator_loss_saturating(fake_logits):
                return -F.logsigmoid(-fake_logits).mean()
            """, lambda key, case: case["kind"] == "minimaxGeneratorLoss"),
        "softmax without subtracting the row maximum": ("""
            def softmax_cross_entropy(p, labels):
                exp = p.exp()
                total = exp.sum(dim=1, keepdim=True)
                loss = -(p - total.log())[torch.arange(len(labels)), labels].mean()
                return loss, exp / total
            """, overflowing_scores),
        "SGD dropping the momentum": ("""
            class SGD(SGD):
                def __init__(self, params, lr, momentum=0.0):
                    super().__init__(params, lr)
            """, lambda key, case: case["kind"] == "sgd" and case["options"]["momentum"] > 0),
    }

    def test_each_mistake_fails_exactly_its_cases(self):
        for title, (body, fails) in self.MISTAKES.items():
            with self.subTest(mistake=title):
                expected_failures = {key for key, case in self.expected.items() if fails(key, case)}
                self.assertTrue(expected_failures)
                run = self.answers(self.variant(body))
                self.assertEqual(run.failed, {})
                self.assertEqual(failing(self.expected, run.answers), expected_failures)

    def test_nan_is_written_as_a_string(self):
        body, _ = self.MISTAKES["softmax without subtracting the row maximum"]
        key = "equations/softmax-cross-entropy-overflowing-scores"
        run = self.answers(self.variant(body), [c for c in self.cases if c.key == key], finite_differences=True)
        path = Path(self.folder.name) / "nan.json"
        la.write_answers(path, run.answers)
        entry = json.loads(path.read_text(), parse_constant=lambda c: self.fail(f"bare {c}"))["cases"][key]
        self.assertEqual(entry["outputs"]["loss"]["values"], ["Infinity"])  # exp(1000) overflowed
        self.assertIn("NaN", entry["outputs"]["probabilities"]["values"])  # ∞/∞
        self.assertEqual(entry["finiteDifferences"]["worstRelativeError"], "NaN")

    def test_finite_differences_catch_a_gradient_autograd_cannot_see(self):
        path = self.variant("""
            _gate = gate
            def gate(x, h_prev, W_x, W_h, b, activation):
                return _gate(x, h_prev.detach(), W_x, W_h, b, activation)
            """)
        run = self.answers(path, [c for c in self.cases if c.kind == "gate"], finite_differences=True)
        for key, entry in run.answers.items():
            with self.subTest(case=key):
                self.assertGreater(entry["finiteDifferences"]["worstRelativeError"], 0.1)
                self.assertEqual(entry["finiteDifferences"]["worstAt"]["tensor"], "prevH")


class WeightLayout(StudentFiles):
    def test_in_out_weights_when_declared(self):
        path = self.variant("""
            WEIGHT_LAYOUT = "in_out"
            Linear.WEIGHT_LAYOUT = "out_in"  # the layers keep nn.Linear's layout

            def gate(x, h_prev, W_x, W_h, b, activation):
                return activation(x @ W_x + h_prev @ W_h + b)

            def prediction(h, W_ph, b_p):
                return h @ W_ph + b_p

            def rnn_hidden_state(x, h_prev, W_hx, W_hh, b_h):
                return torch.tanh(x @ W_hx + h_prev @ W_hh + b_h)

            def in_out(model):
                for name, p in list(model.named_parameters()):
                    if name.startswith("W_"):
                        setattr(model, name, nn.Parameter(p.detach().T.clone()))

            class LSTM(LSTM):
                def __init__(self, *sizes):
                    super().__init__(*sizes)
                    in_out(self)

            class RNN(RNN):
                def __init__(self, *sizes):
                    super().__init__(*sizes)
                    in_out(self)
            """)
        run = self.answers(path)
        self.assertEqual(run.failed, {})
        self.assertEqual(failing(self.expected, run.answers), set())

    def test_torch_layers_are_out_in_whatever_the_module_declares(self):
        torch_pieces = """
            Linear, LeakyReLU, ReLU, Tanh, Sigmoid = nn.Linear, nn.LeakyReLU, nn.ReLU, nn.Tanh, nn.Sigmoid
            BatchNorm1d = nn.BatchNorm1d
            SGD, RMSprop, Adam = torch.optim.SGD, torch.optim.RMSprop, torch.optim.Adam
            """
        run = self.answers(self.variant(torch_pieces))
        self.assertEqual(failing(self.expected, run.answers), set())
        run = self.answers(self.variant(torch_pieces + 'WEIGHT_LAYOUT = "in_out"\n'))
        own_weights = {k for k, c in self.expected.items()
                       if c["kind"] in ("gate", "rnnHiddenState", "prediction", "lstm", "rnn")}
        self.assertEqual(failing(self.expected, run.answers), own_weights)

    def test_a_shape_matching_neither_layout_names_the_parameter(self):
        run = self.answers(self.variant('WEIGHT_LAYOUT = "in_out"\n'),
                           [c for c in self.cases if c.key == "models/lstm-T3-H4"])
        message = run.answers["models/lstm-T3-H4"]["error"]
        self.assertTrue(message.startswith("InterfaceError: LSTM parameter W_fx has shape 4×3"), message)
        for part in ("wfx is 4×3", "WEIGHT_LAYOUT = 'in_out'", "must be 3×4", "declare WEIGHT_LAYOUT = 'out_in'"):
            self.assertIn(part, message)

    def test_an_unknown_layout_is_refused(self):
        with self.assertRaisesRegex(la.InterfaceError, "WEIGHT_LAYOUT is 'row_major'"):
            la.Student.of(la.import_student(self.variant('WEIGHT_LAYOUT = "row_major"\n')))


class Kinks(StudentFiles):
    """Rectifier inputs of exactly 0: either one-sided slope passes, by both checks."""

    def kink_cases(self):
        made = {}
        for key, fn in (("layers/relu", F.relu), ("layers/leaky-relu", lambda v: F.leaky_relu(v, 0.2))):
            case = copy.deepcopy(self.expected[key])
            x = la.load_tensor(case["inputs"]["x"])
            x.view(-1)[::3] = 0.0
            x.requires_grad_(True)
            y = fn(x)
            (grad,) = torch.autograd.grad((la.load_tensor(case["objective"]["weights"]) * y).sum(), x)
            case["inputs"]["x"], case["outputs"]["y"], case["gradients"]["x"] = map(la.tensor_json, (x, y, grad))
            made[key + "-kinks"] = case
        folder = Path(self.folder.name) / "kinks"
        for key, case in made.items():
            (folder / key).parent.mkdir(parents=True, exist_ok=True)
            (folder / key).with_suffix(".json").write_text(json.dumps(case))
        return made, la.load_cases(folder)

    def test_either_side_of_a_kink(self):
        expected, cases = self.kink_cases()
        right_side = """
            class LeakyReLU(LeakyReLU):
                def forward(self, x):
                    return torch.where(x >= 0, x, self.negative_slope * x)

            class ReLU(nn.Module):
                def forward(self, x):
                    return x.clamp(min=0)
            """
        for title, path in (("left (PyTorch's)", EXAMPLE), ("right", self.variant(right_side))):
            with self.subTest(side=title):
                run = self.answers(path, cases, finite_differences=True)
                self.assertEqual(failing(expected, run.answers), set())
                for entry in run.answers.values():
                    self.assertLessEqual(entry["finiteDifferences"]["worstRelativeError"], FD_BAR)


class Entries(StudentFiles):
    def test_missing_entry_points_answer_what_they_can(self):
        removed = {"lstm": "LSTM", "rnn": "RNN", "generator": "build_generator",
                   "discriminator": "build_discriminator", "adam": "Adam"}  # kind: entry point
        path = self.variant(f"del {', '.join(removed.values())}\n")
        out = Path(self.folder.name) / "partial.json"
        result = self.tool(path, "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        written = json.loads(out.read_text())["cases"]
        missing = {k for k, c in self.expected.items() if c["kind"] in removed}
        self.assertEqual(set(written), set(self.expected) - missing)
        self.assertEqual(failing({k: self.expected[k] for k in written}, written), set())
        total = len(la.assignment_entries(3))
        # all but Assignment 2's own: the MLP and the CNN's layers
        self.assertEqual(set(la.ENTRY_POINTS) - set(la.assignment_entries(3)),
                         {"MLP", "Conv2d", "MaxPool2d", "BatchNorm2d"})
        self.assertIn(f"entry points found ({total - len(removed)} of {total})", result.stderr)
        self.assertIn(f"answered {len(written)} of {len(self.expected)} cases, 0 raised, {len(missing)} skipped",
                      result.stderr)
        lstm = sorted(k for k, c in self.expected.items() if c["kind"] == "lstm")
        self.assertIn(f"skipped (no LSTM): {len(lstm)}: {', '.join(lstm)}", result.stderr)

    def test_a_raising_function_is_an_error_entry_and_the_run_goes_on(self):
        path = self.variant("""
            class Sigmoid(Sigmoid):
                def forward(self, x):
                    raise ValueError("boom")
            """)
        run = self.answers(path)
        self.assertEqual(run.answers["layers/sigmoid"], {"error": "ValueError: boom"})
        self.assertEqual(run.failed, {"layers/sigmoid": "ValueError: boom"})
        self.assertEqual(failing(self.expected, run.answers), {"layers/sigmoid"})

    def test_hidden_cases_are_keyed_hidden(self):
        hidden = la.load_cases(CASES / "layers", prefix="hidden/")
        self.assertIn("hidden/relu", {c.key for c in hidden})
        run = self.answers(EXAMPLE, [c for c in hidden if c.key == "hidden/relu"])
        self.assertEqual(set(run.answers), {"hidden/relu"})

    def test_answers_do_not_depend_on_the_expected_values(self):
        folder = Path(self.folder.name) / "garbled"
        keys = ("layers/batch-norm-training", "models/lstm-T3-H4", "optimizers/adam-gan")
        for key in keys:
            case = copy.deepcopy(self.expected[key])
            for section in ("outputs", "gradients"):
                for tensor in case[section].values():
                    tensor["values"] = [1e300] * len(tensor["values"])
            (folder / key).parent.mkdir(parents=True, exist_ok=True)
            (folder / key).with_suffix(".json").write_text(json.dumps(case))
        original = self.answers(EXAMPLE, [c for c in self.cases if c.key in keys], finite_differences=True)
        garbled = self.answers(EXAMPLE, la.load_cases(folder), finite_differences=True)
        self.assertEqual(garbled.answers, original.answers)


def mlp_case(key, case):
    return case["kind"] == "mlp"


def mlp_with_hidden_layers(key, case):
    return case["kind"] == "mlp" and len(case["options"]["widths"]) > 2


class AssignmentTwo(StudentFiles):
    """--assignment 2: only its kinds, and the MLP runner on the committed cases."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.expected2 = load_expected(CASES, 2)
        cls.mlp_cases = [c for c in la.load_cases(CASES) if c.kind == "mlp"]
        cls.mlp_expected = {c.key: cls.expected2[c.key] for c in cls.mlp_cases}

    def mlp_run(self, body, base=True, finite_differences=False):
        run = self.answers(self.variant(body, base=base), self.mlp_cases, finite_differences=finite_differences)
        return run, failing(self.mlp_expected, run.answers)

    def test_the_kinds_are_generate_pys(self):
        import ast
        tree = ast.parse((CASES.parent / "generate.py").read_text(encoding="utf-8"))
        value = next(n.value for n in tree.body if isinstance(n, ast.Assign)
                     and any(isinstance(t, ast.Name) and t.id == "ASSIGNMENT_KINDS" for t in n.targets))
        self.assertEqual(la.ASSIGNMENT_KINDS, ast.literal_eval(value))
        self.assertEqual(set(la.ASSIGNMENT_POINTS), set(la.ASSIGNMENT_KINDS))
        for assignment, kinds in la.ASSIGNMENT_KINDS.items():  # each kind answered, or left out on purpose
            self.assertEqual(kinds - la.NOT_ANSWERED_YET - set(la.RUNNERS), set(), assignment)
        self.assertEqual(la.points_text(2), "Assignment 2 (Part I 30 points, Part II 30, Part III 40)")

    def test_the_mlp_runner_matches_the_committed_cases(self):
        self.assertEqual(len(self.mlp_cases), 3)
        run = self.answers(EXAMPLE, self.mlp_cases, finite_differences=True)
        self.assertEqual(run.failed, {})
        for key, case in self.mlp_expected.items():
            with self.subTest(case=key):
                self.assertEqual(problems(case, run.answers.get(key)), [])
                entry = run.answers[key]
                self.assertEqual(set(entry["gradients"]), set(case["parameters"]) | {"x"})
                self.assertLessEqual(entry["finiteDifferences"]["worstRelativeError"], FD_BAR)

    def test_mlp_mistakes_fail_their_cases(self):
        for title, body, fails in (
            ("a ReLU after the last layer", """
                class MLP(nn.Sequential):
                    def __init__(self, widths):
                        layers = []
                        for a, b in zip(widths, widths[1:]):
                            layers += [Linear(a, b), ReLU()]
                        super().__init__(*layers)  # the scores go through a ReLU too
                """, mlp_case),
            ("no ReLU between the layers", """
                class MLP(nn.Sequential):
                    def __init__(self, widths):
                        super().__init__(*[Linear(a, b) for a, b in zip(widths, widths[1:])])
                """, mlp_with_hidden_layers),
        ):
            with self.subTest(mistake=title):
                run, failed = self.mlp_run(body)
                self.assertEqual(run.failed, {})
                self.assertEqual(failed, {k for k, c in self.mlp_expected.items() if fails(k, c)})

    def test_mlps_as_students_write_them(self):
        for title, body, note in (
            ("MLP(input_size, hidden_sizes, output_size) with self.fc1, fc2, fc3 (two hidden layers)", """
                class MLP(nn.Module):
                    def __init__(self, input_size, hidden_sizes, output_size):
                        super().__init__()
                        self.fc1 = nn.Linear(input_size, hidden_sizes[0])
                        self.fc2 = nn.Linear(hidden_sizes[0], hidden_sizes[1])
                        self.fc3 = nn.Linear(hidden_sizes[1], output_size)

                    def forward(self, x):
                        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))
                """, "MLP built as MLP(input_size=D, hidden_sizes=hidden, output_size=K)"),
            ("an nn.Sequential factory", """
                del MLP
                def build_mlp(widths):
                    layers = []
                    for a, b in zip(widths, widths[1:]):
                        layers += [nn.Linear(a, b), nn.ReLU()]
                    return nn.Sequential(*layers[:-1])
                """, "MLP (build_mlp) built as build_mlp(widths=widths)"),
            ("self.out made before self.hidden, a forward ending in log_softmax", """
                del MLP
                class Classifier_MLP(nn.Module):
                    def __init__(self, n_inputs, n_hidden, n_classes):
                        super().__init__()
                        self.out = nn.Linear(([n_inputs] + n_hidden)[-1], n_classes)
                        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip([n_inputs] + n_hidden, n_hidden))

                    def forward(self, x):
                        for layer in self.hidden:
                            x = torch.relu(layer(x))
                        return F.log_softmax(self.out(x), dim=1)
                """, "its forward runs its layers in the order hidden.0, hidden.1, out"),
            ("its own layer holding W in×out (x @ W + b)", """
                class Dense(nn.Module):
                    def __init__(self, n_in, n_out):
                        super().__init__()
                        self.W = nn.Parameter(torch.randn(n_in, n_out))
                        self.b = nn.Parameter(torch.zeros(1, n_out))

                    def forward(self, x):
                        return x @ self.W + self.b

                class MLP(nn.Module):
                    def __init__(self, widths):
                        super().__init__()
                        self.net = nn.Sequential()
                        for k, (a, b) in enumerate(zip(widths, widths[1:])):
                            if k:
                                self.net.append(nn.ReLU())
                            self.net.append(Dense(a, b))

                    def forward(self, x):
                        return torch.softmax(self.net(x), dim=-1)
                """, "its weights are stored in×out (y = x·W + b), as their shapes show"),
        ):
            with self.subTest(style=title):
                run, failed = self.mlp_run(body)
                notes = "\n".join(run.notes)
                self.assertIn(note, notes)
                if title.startswith("MLP(input_size"):  # fixed at two hidden layers: the other cases say why
                    self.assertEqual(failed, {"models/mlp-deep", "models/mlp-no-hidden"})
                    self.assertIn("the case's network is linear(3→4) → linear(4→4) → linear(4→4) → linear(4→3), "
                                  "the student's is fc1 linear(3→4) → fc2 linear(4→4) → fc3 linear(4→3)",
                                  run.failed["models/mlp-deep"])
                else:
                    self.assertEqual(run.failed, {})
                    self.assertEqual(failed, set())
                if "softmax" in body:
                    self.assertIn("the scores were read at its last linear layer", notes)

    def test_an_mlp_that_does_not_fit_says_which_entry_point_parameter_and_shapes(self):
        run, failed = self.mlp_run("""
            class MLP(nn.Module):
                def __init__(self, n_inputs, n_hidden, n_classes):
                    super().__init__()
                    sizes = [n_inputs] + [64] * len(n_hidden) + [n_classes]  # the widths asked for are ignored
                    self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes, sizes[1:]))

                def forward(self, x):
                    for layer in self.layers[:-1]:
                        x = F.relu(layer(x))
                    return self.layers[-1](x)
            """)
        self.assertEqual(failed, {"models/mlp", "models/mlp-deep"})
        self.assertEqual(run.failed["models/mlp"],
                         "InterfaceError: MLP parameter layers.0.weight has shape 64×2, but the case's 0.w is 6×2 "
                         "(out×in), so with WEIGHT_LAYOUT = 'out_in' it must be 6×2")
        run, failed = self.mlp_run("""
            class TwoLayerMLP(nn.Module):
                def __init__(self, n_inputs, n_hidden: int, n_classes):
                    super().__init__()
                    self.hidden, self.output = nn.Linear(n_inputs, n_hidden), nn.Linear(n_hidden, n_classes)

                def forward(self, x):
                    return self.output(F.relu(self.hidden(x)))
            del MLP
            """)
        self.assertEqual(failed, set(self.mlp_expected))  # no case has exactly one hidden layer
        self.assertIn("TwoLayerMLP's n_hidden takes one hidden width (an int), but the case's network has 3 hidden "
                      "layers [4, 4, 4]", run.failed["models/mlp-deep"])

    def test_no_mlp_entry_point_is_said_plainly(self):
        run = self.answers(self.variant("del MLP\n"), self.mlp_cases)
        self.assertEqual(run.answers, {})
        self.assertEqual(list(run.skipped), [la.MISSING["MLP"]])
        self.assertIn("no class MLP(nn.Module)", la.MISSING["MLP"])
        run = self.answers(self.variant("""
            class MLPSmall(nn.Module):
                pass
            class MLPLarge(nn.Module):
                pass
            del MLP
            """), self.mlp_cases)
        self.assertEqual(list(run.skipped), [la.MISSING["MLP"]])
        student = la.Student.of(la.import_student(self.variant("class MLPSmall(nn.Module): pass\n"
                                                               "class MLPLarge(nn.Module): pass\ndel MLP\n")))
        self.assertIn("MLP: several classes could be it (MLPSmall, MLPLarge); the instructor's declaration says which",
                      student.notes)

    def test_a_declaration_names_an_mlp_the_tool_cannot_read(self):
        path = self.variant("""
            class Net(nn.Module):
                def __init__(self, spec):
                    super().__init__()
                    self.blocks = nn.ModuleList(nn.Linear(a, b) for a, b in zip(spec, spec[1:]))

                def forward(self, x):
                    for block in self.blocks[:-1]:
                        x = F.relu(block(x))
                    return self.blocks[-1](x)
            del MLP
            """)
        skipped = self.answers(path, self.mlp_cases).skipped
        self.assertEqual({r: set(k) for r, k in skipped.items()}, {la.MISSING["MLP"]: set(self.mlp_expected)})
        student = la.Student.of(la.import_student(path), {"MLP": {"class": "Net", "arguments": {"spec": "widths"}}})
        run = la.answer_all(student, self.mlp_cases, finite_differences=False)
        self.assertEqual(run.failed, {})
        self.assertEqual(failing(self.mlp_expected, run.answers), set())
        self.assertIn("MLP (Net) built as Net(spec=widths)", run.notes)

    def test_assignment_2_answers_its_kinds_only(self):
        out = self.out()
        result = self.tool(EXAMPLE, "--assignment", "2", "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        written = self.written(out)
        self.assertEqual(set(written), set(self.expected2))
        self.assertFalse({k for k, c in load_expected(CASES).items() if c["kind"] in ("lstm", "generator", "gate")}
                         & set(written))
        self.assertEqual(failing(self.expected2, written), set())
        n, total = len(self.expected2), len(load_expected(CASES))
        self.assertIn(f"answered {n} of {n} cases, 0 raised, 0 skipped", result.stderr)
        self.assertIn(f"entry points found (13 of 13): prediction, softmax_cross_entropy, rnn_hidden_state, RNN, "
                      "Linear, ReLU, Conv2d, MaxPool2d, BatchNorm2d, SGD, RMSprop, Adam, MLP", result.stderr)
        self.assertIn(f"Assignment 2 (Part I 30 points, Part II 30, Part III 40): {n} of the {total} cases are of its kinds; "
                      f"the other {total - n} (batchNorm, cellState, discriminator, gate, ",
                      result.stderr)
        self.assertIn(f"grade it with `Course verify --answers {out} --assignment 2`", result.stderr)

    def test_a_starter_kit_of_assignment_2_is_answered_as_assignment_2(self):
        kit = Path(self.folder.name) / "kit"
        tool = kit / "Scripts" / "pytorch"
        tool.mkdir(parents=True)
        for name in la.TOOL_FILES:
            shutil.copyfile(HERE / name, tool / name)
        for key in ("models/mlp", "equations/gate-f"):
            (kit / "Fixtures" / "cases" / key).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile((CASES / key).with_suffix(".json"), (kit / "Fixtures" / "cases" / key).with_suffix(".json"))
        self.assertIsNone(la.package_assignment(kit))  # no manifest: the reference solution, Assignment 3
        for text in ("not json", '{"assignment": 4}', '{"assignment": "2"}'):
            (kit / la.KIT_MANIFEST).write_text(text, encoding="utf-8")
            self.assertIsNone(la.package_assignment(kit), text)  # as Course: taken for Assignment 3
        (kit / la.KIT_MANIFEST).write_text('{"assignment": 2}\n', encoding="utf-8")  # as StarterKit writes it
        self.assertEqual(la.package_assignment(kit), 2)
        out = self.out()
        mode = MODES[0]
        result = subprocess.run([sys.executable, str(tool / "learn_answers.py"), str(EXAMPLE), "--out", str(out),
                                 *(["--no-sandbox"] if mode == "no-sandbox" else [])],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(set(self.written(out)), {"models/mlp"})
        self.assertIn("Assignment 2 (Part I 30 points, Part II 30, Part III 40): 1 of the 2 cases are of its kinds; the other 1 "
                      "(gate) are left out", result.stderr)
        self.assertIn(f"grade it with `Course verify --answers {out}`", result.stderr)  # Course takes the kit's too

    def test_assignment_2_needs_no_lstm_or_gan(self):
        keep = ("Linear ReLU softmax_cross_entropy SGD MLP Conv2d MaxPool2d BatchNorm2d Adam rnn_hidden_state "
                "prediction RNN RMSprop").split()
        gone = [e for e in la.ENTRY_POINTS if e not in keep]
        run = self.answers(self.variant(f"del {', '.join(gone)}\n"), la.of_assignment(la.load_cases(CASES), 2)[0])
        self.assertEqual(run.skipped, {})
        self.assertEqual(run.failed, {})
        self.assertEqual(failing(self.expected2, run.answers), set())


def padded(key, case):
    return case["options"].get("padding", 0) > 0


def training(key, case):
    return case["options"].get("mode") == "training"


class CNNLayers(StudentFiles):
    """Assignment 2's Conv2d, MaxPool2d and BatchNorm2d on N×C×H×W images, from the
    cases' N × (C·H·W) rows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cnn_cases = [c for c in la.load_cases(CASES) if c.kind in ("conv2d", "maxPool2d", "batchNorm2d")]
        everything = load_expected(CASES, 2)
        cls.cnn_expected = {c.key: everything[c.key] for c in cls.cnn_cases}

    def cnn_run(self, body, base=True, finite_differences=False, kinds=None):
        cases = [c for c in self.cnn_cases if kinds is None or c.kind in kinds]
        run = self.answers(self.variant(body, base=base), cases, finite_differences=finite_differences)
        return run, failing({c.key: self.cnn_expected[c.key] for c in cases}, run.answers)

    def test_the_example_and_torchs_own_layers_match_the_committed_cases(self):
        self.assertEqual(len(self.cnn_cases), 11)
        for title, body, base in (
            ("the example's", "", True),
            ("torch.nn's", "from torch import nn\nConv2d, MaxPool2d, BatchNorm2d = nn.Conv2d, nn.MaxPool2d, "
                           "nn.BatchNorm2d\n", False),
        ):
            with self.subTest(layers=title):
                run, failed = self.cnn_run(body, base=base, finite_differences=True)
                self.assertEqual(run.failed, {})
                self.assertEqual(failed, set())
                for key, case in self.cnn_expected.items():
                    entry = run.answers[key]
                    self.assertEqual(set(entry["gradients"]), set(case["gradients"]), key)
                    fd = entry["finiteDifferences"]
                    wanted = sum(min(la.FD_ELEMENTS, math.prod(t["shape"])) for t in case["gradients"].values())
                    self.assertEqual(fd["checked"], wanted, key)
                    self.assertLessEqual(fd["worstRelativeError"], FD_BAR, key)
                self.assertIn("Conv2d built as Conv2d(in_channels=C_in, out_channels=C_out, kernel_size=kernel, "
                              "stride=stride, padding=padding", "\n".join(run.notes))

    def test_cnn_mistakes_fail_their_cases(self):
        for title, body, fails in (
            ("a convolution with the kernel flipped (the textbook's, not PyTorch's cross-correlation)", """
                class Conv2d(Conv2d):
                    def forward(self, x):
                        flipped = self.weight.flip(2, 3)
                        return F.conv2d(x, flipped, self.bias, stride=self.stride, padding=self.padding)
                """, lambda key, case: case["kind"] == "conv2d"),
            ("max pooling that pads with zeros", """
                class MaxPool2d(MaxPool2d):
                    def forward(self, x):
                        (kh, kw), s, p = self.kernel_size, self.stride, self.padding
                        windows = F.pad(x, (p, p, p, p)).unfold(2, kh, s).unfold(3, kw, s)
                        return windows.reshape(*windows.shape[:4], -1).max(dim=-1).values
                """, lambda key, case: case["kind"] == "maxPool2d" and padded(key, case)),
            ("max pooling whose gradient goes to the last of tied maxima", """
                class MaxPool2d(MaxPool2d):
                    def forward(self, x):
                        (kh, kw), s, p = self.kernel_size, self.stride, self.padding
                        windows = F.pad(x, (p, p, p, p), value=-math.inf).unfold(2, kh, s).unfold(3, kw, s)
                        return windows.reshape(*windows.shape[:4], -1).flip(-1).max(dim=-1).values
                """, lambda key, case: key == "layers/max-pool2d-ties"),
            ("BatchNorm2d whose running variance is the biased one", """
                class BatchNorm2d(BatchNorm2d):
                    @torch.no_grad()
                    def update_running_statistics(self, mean, var, n):
                        m = self.momentum
                        self.running_mean.mul_(1 - m).add_(m * mean)
                        self.running_var.mul_(1 - m).add_(m * var)
                """, lambda key, case: case["kind"] == "batchNorm2d" and training(key, case)),
            ("BatchNorm2d with statistics over the batch alone, per pixel", """
                class BatchNorm2d(BatchNorm2d):
                    def forward(self, x):
                        if not self.training:
                            return super().forward(x)
                        mean, var = x.mean(dim=0), x.var(dim=0, unbiased=False)
                        x_hat = (x - mean) / torch.sqrt(var + self.eps)
                        return self.weight[:, None, None] * x_hat + self.bias[:, None, None]
                """, lambda key, case: case["kind"] == "batchNorm2d" and training(key, case)),
        ):
            with self.subTest(mistake=title):
                run, failed = self.cnn_run(body)
                self.assertEqual(run.failed, {})
                self.assertEqual(failed, {k for k, c in self.cnn_expected.items() if fails(k, c)})

    def test_cnn_layers_as_students_write_them(self):
        run, failed = self.cnn_run("""
            del Conv2d, MaxPool2d, BatchNorm2d

            class ConvLayer(nn.Module):
                \"\"\"Its weight kept as im2col uses it, C_out × (C_in·K_h·K_w); the kernel always a pair.\"\"\"
                def __init__(self, c_in, c_out, kernel_size, stride=1, pad=0):
                    super().__init__()
                    kh, kw = kernel_size
                    self.k, self.stride, self.pad = (kh, kw), stride, pad
                    self.W = nn.Parameter(torch.randn(c_out, c_in * kh * kw))
                    self.b = nn.Parameter(torch.zeros(c_out, 1))

                def forward(self, x):
                    n, _, h, w = x.shape
                    (kh, kw), s, p = self.k, self.stride, self.pad
                    y = self.W @ F.unfold(x, self.k, padding=p, stride=s) + self.b
                    return y.reshape(n, -1, (h + 2 * p - kh) // s + 1, (w + 2 * p - kw) // s + 1)

            class MaxPool2D(nn.Module):
                def __init__(self, kernel_size, stride, padding):
                    super().__init__()
                    self.pool = lambda x: F.max_pool2d(x, kernel_size, stride, padding)

                def forward(self, x):
                    return self.pool(x)

            class SpatialBatchNorm(nn.BatchNorm2d):
                pass
            """)
        notes = "\n".join(run.notes)
        self.assertEqual(run.failed, {})
        self.assertEqual(failed, set())
        self.assertIn("Conv2d built as ConvLayer(c_in=C_in, c_out=C_out, kernel_size=kernel, stride=stride, "
                      "pad=padding)", notes)  # `kernel_size` given (3, 3) where 3 was refused
        self.assertIn("MaxPool2d built as MaxPool2D(kernel_size=kernel, stride=stride, padding=padding)", notes)
        self.assertIn("BatchNorm2d built as SpatialBatchNorm(", notes)

    def test_a_layer_that_does_not_fit_says_why(self):
        run, failed = self.cnn_run("""
            class Conv2d(Conv2d):
                def __init__(self, in_channels, out_channels, kernel_size, padding=0):  # no stride: always 1
                    super().__init__(in_channels, out_channels, 3, padding=padding)  # and always 3×3
            """, kinds=("conv2d",))
        # Only the case of stride 1 and a 3×3 kernel passes.
        self.assertEqual(failed, {k for k, c in self.cnn_expected.items() if c["kind"] == "conv2d"} - {"layers/conv2d"})
        self.assertIn("Conv2d's constructor takes no stride: the case's were not given to it, the layer's own were "
                      "used", run.notes)
        self.assertEqual(run.failed["layers/conv2d-stride-2"],
                         "InterfaceError: Conv2d.forward returned 2×3×7×6 on the case's 2×2×7×6 images (N×C×H×W); the "
                         "case expects 2×3×4×3 (kernel 3×3, stride 2, padding 1; Conv2d's constructor takes no stride: "
                         "the case's were not given to it, the layer's own were used)")
        self.assertEqual(run.failed["layers/conv2d-kernel-2x3"],
                         "InterfaceError: Conv2d parameter weight has shape 2×2×3×3, but the case's w is 2×12, a "
                         "2×2×2×3 (C_out×C_in×K_h×K_w) weight reshaped, so it must be 2×2×2×3")

    def test_a_declaration_names_a_layer_the_tool_cannot_read(self):
        path = self.variant("""
            class Filter(Conv2d):
                def __init__(self, a, b, c, d, e):
                    super().__init__(a, b, c, stride=d, padding=e)
            del Conv2d
            """)
        cases = [c for c in self.cnn_cases if c.kind == "conv2d"]
        self.assertEqual(set(self.answers(path, cases).skipped), {"no Conv2d"})
        student = la.Student.of(la.import_student(path), {
            "Conv2d": {"class": "Filter", "arguments": {"a": "C_in", "b": "C_out", "c": "kernel", "d": "stride",
                                                        "e": "padding"}}})
        run = la.answer_all(student, cases, finite_differences=False)
        self.assertEqual(run.failed, {})
        self.assertEqual(failing({c.key: self.cnn_expected[c.key] for c in cases}, run.answers), set())
        self.assertIn("Conv2d built as Filter(a=C_in, b=C_out, c=kernel, d=stride, e=padding)", run.notes)


class CommandLine(StudentFiles):
    def test_an_unimportable_file_is_one_line_and_status_2(self):
        for title, body, text in (
            ("raises", 'raise RuntimeError("cannot find the MNIST files")\n',
             "RuntimeError: cannot find the MNIST files"),
            ("syntax", "def broken(:\n", "SyntaxError"),
            ("exits", "import sys\nsys.exit(3)\n", "SystemExit: 3"),
        ):
            with self.subTest(file=title):
                path = self.variant(body, base=False)
                result = self.tool(path, "--out", Path(self.folder.name) / "never.json")
                self.assertEqual(result.returncode, 2)
                lines = own_lines(result.stderr)
                self.assertEqual(len(lines), 1, result.stderr)
                self.assertIn(f"cannot import {path}", lines[0])
                self.assertIn(text, lines[0])
                self.assertFalse((Path(self.folder.name) / "never.json").exists())

    def test_verbose_prints_the_traceback(self):
        path = self.variant('raise RuntimeError("no")\n', base=False)
        result = self.tool(path, "--out", Path(self.folder.name) / "never.json", "--verbose")
        self.assertEqual(result.returncode, 2)
        self.assertIn("Traceback", result.stderr)

    def test_bad_arguments_exit_2(self):
        folder = Path(self.folder.name)
        empty = folder / "empty"
        empty.mkdir()
        for title, args, text in (
            ("no --out", [EXAMPLE], "--out"),
            ("no such student", [folder / "absent.py", "--out", folder / "a.json"], "no student file"),
            ("no such cases", [EXAMPLE, "--cases", folder / "absent", "--out", folder / "a.json"],
             "no cases directory"),
            ("empty cases", [EXAMPLE, "--cases", empty, "--out", folder / "a.json"], "no case files"),
            ("no such --out folder", [EXAMPLE, "--out", folder / "absent" / "a.json"], "no folder"),
            ("a timeout of 0", [EXAMPLE, "--out", folder / "a.json", "--import-timeout", "0"],
             "not a positive number"),
        ):
            with self.subTest(arguments=title):
                result = self.tool(*args)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn(text, result.stderr)


def linear_case():
    key = "layers/linear-worked-example"
    return la.CaseFile.load((CASES / key).with_suffix(".json"), key), load_expected(CASES)[key]


class Validation(unittest.TestCase):
    """The tool's process checks every answer the child sends (no torch needed)."""

    def setUp(self):
        self.case, raw = linear_case()
        self.good = {"outputs": copy.deepcopy(raw["outputs"]), "gradients": copy.deepcopy(raw["gradients"]),
                     "finiteDifferences": {"checked": 8, "worstRelativeError": 2.5e-9,
                                           "worstAt": {"tensor": "w", "row": 1, "column": 0}}}

    def rejects(self, change, text):
        entry = copy.deepcopy(self.good)
        change(entry)
        with self.assertRaises(la.Garbage) as raised:
            la.validated_entry(self.case, entry)
        self.assertIn(text, str(raised.exception))

    def test_a_correct_answer_passes(self):
        self.assertEqual(la.validated_entry(self.case, self.good), self.good)
        for worst in ("NaN", "Infinity", 0, 1e300):
            entry = copy.deepcopy(self.good)
            entry["finiteDifferences"]["worstRelativeError"] = worst
            la.validated_entry(self.case, entry)

    def test_a_worst_relative_error_below_0_or_not_a_number_is_rejected(self):
        for worst in (-1, -1.0, -1e-300, "-Infinity"):
            with self.subTest(worst=worst):
                self.rejects(lambda e: e["finiteDifferences"].update(worstRelativeError=worst), "never below 0")
        for worst in ("abc", "nan", True, None, [0.0], {"a": 1}):
            with self.subTest(worst=worst):
                self.rejects(lambda e: e["finiteDifferences"].update(worstRelativeError=worst), "not a number")

    def test_the_rest_of_the_finite_difference_report_is_checked(self):
        for title, change, text in (
            ("too few checked", lambda e: e["finiteDifferences"].update(checked=0), "the check takes 8"),
            ("checked a boolean", lambda e: e["finiteDifferences"].update(checked=True), "not a count"),
            ("no worstAt", lambda e: e["finiteDifferences"].pop("worstAt"), "no worstAt"),
            ("an unknown tensor", lambda e: e["finiteDifferences"]["worstAt"].update(tensor="q"), "not one of"),
            ("a row outside", lambda e: e["finiteDifferences"]["worstAt"].update(row=2), "below 2"),
            ("an extra field", lambda e: e["finiteDifferences"].update(trusted=True), "unexpected trusted"),
            ("no report", lambda e: e.pop("finiteDifferences"), "no finiteDifferences"),
        ):
            with self.subTest(title):
                self.rejects(change, text)

    def test_outputs_and_gradients_are_checked_by_name_shape_and_type(self):
        for title, change, text in (
            ("a wrong shape", lambda e: e["outputs"]["y"].update(shape=[2, 1]), "has shape"),
            ("too few values", lambda e: e["outputs"]["y"]["values"].pop(), "1 values, not 2"),
            ("a string", lambda e: e["outputs"]["y"]["values"].__setitem__(0, "1.5"), "not a number"),
            ("a boolean", lambda e: e["gradients"]["b"]["values"].__setitem__(0, True), "not a number"),
            ("a huge integer", lambda e: e["gradients"]["b"]["values"].__setitem__(0, 10 ** 400), "too large"),
            ("a missing gradient", lambda e: e["gradients"].pop("x"), "no x"),
            ("an expected value", lambda e: e.update(expected={}), "unexpected expected"),
            ("not an object", lambda e: e.update(outputs=[1]), "not an object"),
        ):
            with self.subTest(title):
                self.rejects(change, text)

    def test_replies_are_checked(self):
        entry, trace = la.validated_reply(self.case, {"key": self.case.key, "error": "ValueError: boom",
                                                      "traceback": "Traceback"})
        self.assertEqual((entry, trace), ({"error": "ValueError: boom"}, "Traceback"))
        for reply, text in (({"key": "layers/relu", "answer": self.good}, "when 'layers/linear-worked-example'"),
                            ({"key": self.case.key, "answer": self.good, "more": 1}, "unexpected more"),
                            ({"key": self.case.key, "error": 3, "traceback": ""}, "not text"),
                            ([1, 2], "a reply for null")):
            with self.subTest(reply=str(reply)[:40]), self.assertRaises(la.Garbage) as raised:
                la.validated_reply(self.case, reply)
            self.assertIn(text, str(raised.exception))
        for line in (b'{"key": NaN}', b"not json", b"\xff\xfe"):
            with self.subTest(line=line), self.assertRaises(la.Garbage):
                la.parse_message(line)

    def test_the_expected_values_never_leave_the_tools_process(self):
        _, raw = linear_case()
        message = json.dumps(self.case.message())
        self.assertNotIn("tolerance", message)
        self.assertEqual(json.loads(message)["outputs"], {"y": [1, 2]})  # a name and a shape, no value
        self.assertNotIn("-1.25", message)


class Protocol(StudentFiles):
    """The child through the tool, whatever the student's code does to it."""

    def test_printing_to_stdout_does_not_corrupt_the_protocol(self):
        body = """
            import os, sys
            print('{"ready": {"found": [], "layout": "out_in"}}')
            os.write(1, b'{"key": "layers/relu", "answer": {}}\\n')
            sys.__stdout__.write("no newline at the end")
            sys.__stdout__.flush()

            class ReLU(ReLU):
                def forward(self, x):
                    print('{"key": "layers/relu", "error": "forged", "traceback": ""}')
                    os.write(1, b"\\x1b[2Jgarbage\\n")
                    return super().forward(x)
            """
        keys = ("layers/linear-worked-example", "layers/relu")
        cases = self.subset(*keys)
        for mode in MODES:
            with self.subTest(mode=mode):
                out = self.out()
                result = self.tool(self.variant(body), "--cases", cases, "--out", out, mode=mode)
                self.assertEqual(result.returncode, 0, result.stderr)
                written = self.written(out)
                self.assertEqual(set(written), set(keys))
                self.assertEqual(failing({k: self.expected[k] for k in keys}, written), set())
                self.assertIn('[student] {"ready": {"found": [], "layout": "out_in"}}', result.stderr)
                self.assertIn("[student] ?[2Jgarbage", result.stderr)  # no escape sequence reaches the terminal
                self.assertNotIn("\x1b", result.stderr)

    def test_a_forged_finite_difference_report_is_rejected(self):
        body = """
            import sys
            _tool = sys.modules["__main__"]  # the child is the tool itself
            _report = _tool.FiniteDifferences.json
            def _forged(self):
                report = _report(self)
                report["worstRelativeError"] = -1
                return report
            _tool.FiniteDifferences.json = _forged
            """
        out = self.out()
        cases = self.subset("layers/relu", "layers/sigmoid")
        result = self.tool(self.variant(body), "--cases", cases, "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        written = self.written(out)
        self.assertEqual(written["layers/relu"]["error"], "Rejected: the answer broke the protocol: "
                         "finiteDifferences.worstRelativeError is -1.0: a relative error is never below 0")
        self.assertEqual(written["layers/sigmoid"]["error"],
                         "NotRun: the process running the student's code broke the protocol at layers/relu")
        self.assertIn("answered 0 of 2 cases, 1 raised, 0 skipped, 1 not run", result.stderr)

    def test_a_child_that_dies_costs_only_its_case(self):
        body = """
            import os, signal
            class Sigmoid(Sigmoid):
                def forward(self, x):
                    os.kill(os.getpid(), signal.SIGKILL)
            class Tanh(Tanh):
                def forward(self, x):
                    os._exit(3)
            """
        keys = ("layers/relu", "layers/sigmoid", "layers/tanh", "optimizers/sgd-plain")
        out = self.out()
        result = self.tool(self.variant(body), "--cases", self.subset(*keys), "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        written = self.written(out)
        self.assertEqual(failing({k: self.expected[k] for k in keys}, written), {"layers/sigmoid", "layers/tanh"})
        self.assertRegex(written["layers/sigmoid"]["error"],
                         r"^Died: the process running the student's code ended during this case \(killed by SIGKILL")
        self.assertEqual(written["layers/tanh"]["error"],
                         "Died: the process running the student's code ended during this case (exit status 3)")
        self.assertIn("a new process took the remaining cases from layers/tanh on (restart 1 of 3)", result.stderr)
        self.assertIn("from optimizers/sgd-plain on (restart 2 of 3)", result.stderr)

    def test_the_memory_limit_holds(self):
        body = """
            class Tanh(Tanh):
                def forward(self, x):
                    self.hoard = bytearray(3 << 30)
                    return super().forward(x)
            """
        out = self.out()
        result = self.tool(self.variant(body), "--cases", self.subset("layers/relu", "layers/tanh"), "--out", out,
                           "--memory", "2048")
        self.assertEqual(result.returncode, 0, result.stderr)
        written = self.written(out)
        self.assertEqual(written["layers/tanh"], {"error": "MemoryError: "})
        self.assertEqual(problems(self.expected["layers/relu"], written["layers/relu"]), [])

    @needs_sandbox
    def test_the_answers_are_the_same_in_and_out_of_the_sandbox(self):
        cases = self.subset("layers/batch-norm-training", "models/lstm-T3-H4", "optimizers/adam-gan")
        texts = []
        for mode in ("sandbox", "no-sandbox"):
            out = self.out()
            result = self.tool(EXAMPLE, "--cases", cases, "--out", out, mode=mode)
            self.assertEqual(result.returncode, 0, result.stderr)
            texts.append(out.read_text(encoding="utf-8"))
        self.assertEqual(texts[0], texts[1])



# A Sigmoid whose forward pass never returns: a case that runs past its time limit.
SPINNING_SIGMOID = """
    class Sigmoid(Sigmoid):
        def forward(self, x):
            while True:
                pass
    """

class Limits(StudentFiles):
    """The import, each case and the whole run are bounded; nothing the student's code
    starts outlives the tool."""

    def test_an_import_that_never_ends_is_stopped(self):
        path = self.variant("while True:\n    pass\n", base=False)
        for mode in MODES:
            with self.subTest(mode=mode):
                out = self.out()
                started = time.monotonic()
                result = self.tool(path, "--out", out, "--import-timeout", "6", mode=mode)
                elapsed = time.monotonic() - started
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertEqual(own_lines(result.stderr), [
                    f"learn_answers: cannot import {path}: the import did not finish within 6 s (--import-timeout), "
                    "so it was stopped: training code belongs under `if __name__ == \"__main__\":`"])
                self.assertLess(elapsed, 30)
                self.assertFalse(out.exists())
                self.assertEqual(running(path.name), [])

    def test_a_case_past_case_timeout_costs_only_that_case(self):
        body, keys = SPINNING_SIGMOID, ("layers/relu", "layers/sigmoid", "layers/tanh")
        out = self.out()
        result = self.tool(self.variant(body), "--cases", self.subset(*keys), "--out", out, "--case-timeout", "2")
        self.assertEqual(result.returncode, 0, result.stderr)
        written = self.written(out)
        self.assertEqual(written["layers/sigmoid"],
                         {"error": "Timeout: the case took longer than --case-timeout 2 s"})
        self.assertEqual(failing({k: self.expected[k] for k in keys}, written), {"layers/sigmoid"})

    def test_the_whole_run_is_bounded_by_timeout(self):
        body, keys = SPINNING_SIGMOID, ("layers/relu", "layers/sigmoid", "layers/tanh")
        out = self.out()
        started = time.monotonic()
        result = self.tool(self.variant(body), "--cases", self.subset(*keys), "--out", out, "--timeout", "12")
        self.assertLess(time.monotonic() - started, 40)
        self.assertEqual(result.returncode, 0, result.stderr)
        written = self.written(out)
        self.assertEqual(problems(self.expected["layers/relu"], written["layers/relu"]), [])
        self.assertEqual(written["layers/sigmoid"],
                         {"error": "Timeout: the run passed --timeout 12 s during this case"})
        self.assertEqual(written["layers/tanh"], {"error": "NotRun: the run passed --timeout 12 s"})

    def test_detached_processes_do_not_outlive_the_tool(self):
        for mode in MODES:
            with self.subTest(mode=mode):
                marker = f"learn-detached-{uuid.uuid4().hex}"
                body = f"""
                    import os, subprocess, sys, time
                    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "{marker}-popen"],
                                     start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    if os.fork() == 0:  # a daemon: fork, setsid, fork again
                        os.setsid()
                        if os.fork() == 0:
                            os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(600)",
                                                      "{marker}-daemon"])
                        os._exit(0)
                    time.sleep(2)  # long enough to be seen running
                    """
                out = self.out()
                tool = subprocess.Popen(
                    [sys.executable, str(TOOL), str(self.variant(body)), "--cases", str(self.subset("layers/relu")),
                     "--out", str(out)] + (["--no-sandbox"] if mode == "no-sandbox" else []),
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                seen = set()
                while tool.poll() is None:
                    seen |= {line.rsplit("-", 1)[1] for line in running(marker)}
                    time.sleep(0.05)
                stderr = tool.communicate()[1]
                self.assertEqual(tool.returncode, 0, stderr)
                self.assertEqual(seen, {"popen", "daemon"})  # they did start
                self.assertEqual(running(marker), [])


@needs_sandbox
class Isolation(StudentFiles):
    """What a nosy student file gets in the sandbox: its import tries everything and
    reports the outcomes through the one channel it has, the error of a case."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        root = Path(cls.folder.name)
        cls.hidden = root / "hidden"
        (cls.hidden / "layers").mkdir(parents=True)
        shutil.copyfile(CASES / "layers" / "relu.json", cls.hidden / "layers" / "relu.json")
        students = root / "students"
        students.mkdir()
        (students / "other_student.py").write_text("SECRET = 'the other student'\n")
        cls.out_folder = root / "out"
        cls.out_folder.mkdir()
        cls.answers_path = cls.out_folder / "answers.json"
        cls.forged = HERE / f"forged-{uuid.uuid4().hex}.json"
        cls.addClassCleanup(cls.forged.unlink, missing_ok=True)  # even when set-up fails
        cls.listener = socket.create_server(("127.0.0.1", 0))
        cls.addClassCleanup(cls.listener.close)
        cls.listener.setblocking(False)
        paths = {
            "cases": str(CASES), "case file": str(CASES / "layers" / "relu.json"),
            "hidden": str(cls.hidden), "hidden file": str(cls.hidden / "layers" / "relu.json"),
            "student folder": str(students), "other student": str(students / "other_student.py"),
            "repository": str(HERE.parent.parent), "sources": str(HERE.parent.parent / "Sources"),
            "example": str(EXAMPLE), "out folder": str(cls.out_folder),
        }
        cls.student = students / "nosy.py"
        body = f"""
            import json, os, socket, sys
            REPORT = {{"uid": os.getuid(), "file": __file__}}
            def attempt(name, action):
                try:
                    action()
                    REPORT[name] = "ok"
                except Exception as error:
                    REPORT[name] = type(error).__name__
            def read(path):
                with open(path, "rb") as f:
                    f.read()
            def forge(path):
                with open(path, "w") as f:
                    f.write('{{"cases": {{"equations/gate-f": {{"outputs": {{}}}}}}}}')
            for name, path in {paths!r}.items():
                attempt("list " + name, lambda: os.listdir(path))
                attempt("read " + name, lambda: read(path))
            attempt("read self", lambda: read({str(cls.student)!r}))
            attempt("forge out", lambda: forge({str(cls.answers_path)!r}))
            attempt("forge repository", lambda: forge({str(cls.forged)!r}))
            attempt("forge own file", lambda: forge(__file__))
            attempt("write tmp", lambda: forge("/tmp/mine.json"))
            attempt("read parent cmdline", lambda: read(f"/proc/{{os.getppid()}}/cmdline"))
            attempt("read parent environ", lambda: read(f"/proc/{{os.getppid()}}/environ"))
            attempt("read pid 1 cmdline", lambda: read("/proc/1/cmdline"))
            REPORT["command lines"] = []
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    with open(f"/proc/{{pid}}/cmdline", "rb") as f:
                        REPORT["command lines"].append(f.read().decode(errors="replace"))
                except OSError:
                    pass
            attempt("connect local", lambda: socket.create_connection(("127.0.0.1", {cls.listener.getsockname()[1]}),
                                                                      timeout=3))
            attempt("connect outside", lambda: socket.create_connection(("1.1.1.1", 443), timeout=3))
            attempt("list root home", lambda: REPORT.update(home=os.listdir("/root")))
            REPORT["root"] = sorted(os.listdir("/"))

            def gate(*arguments):
                raise RuntimeError(json.dumps(REPORT))
            """
        cls.student.write_text(textwrap.dedent(body), encoding="utf-8")
        cls.result = run_tool(cls.student, "--cases", CASES, "--hidden", cls.hidden, "--out", cls.answers_path,
                              mode="sandbox")
        cls.text = cls.answers_path.read_text(encoding="utf-8") if cls.answers_path.exists() else ""
        cls.written = json.loads(cls.text)["cases"] if cls.text else {}
        error = cls.written.get("equations/gate-f", {}).get("error", "")
        try:
            cls.report = json.loads(error.partition(": ")[2])
        except ValueError:
            cls.report = {}
        try:
            cls.reached = bool(cls.listener.accept())
        except BlockingIOError:
            cls.reached = False

    def outcome(self, name):
        self.assertIn(name, self.report, self.result.stderr)
        return self.report[name]

    def test_the_run_went_through(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        self.assertIn("sandbox: pid+mount+net+ipc+uts namespaces, uid 65534", self.result.stderr)
        gates = {k for k, c in self.expected.items() if c["kind"] == "gate"}
        self.assertEqual(set(self.written), gates)  # the hidden ReLU case has no entry point: skipped
        self.assertEqual(self.outcome("uid"), 65534)
        self.assertEqual(self.outcome("file"), "/student/nosy.py")

    def test_the_cases_and_the_hidden_set_are_out_of_reach(self):
        for name in ("cases", "case file", "hidden", "hidden file"):
            for action in ("list", "read"):
                with self.subTest(f"{action} {name}"):
                    self.assertIn(self.outcome(f"{action} {name}"), ("FileNotFoundError", "PermissionError"))

    def test_the_answers_show_no_expected_value(self):
        for key, case in self.expected.items():
            for section in ("outputs", "gradients"):
                for name, tensor in case[section].items():
                    for value in tensor["values"]:
                        if len(repr(value).strip("-0.")) > 8:  # a value with digits enough to be telling
                            self.assertNotIn(repr(value), self.text, f"{key} {section}.{name}")

    def test_the_students_folder_the_repository_and_the_tool_are_out_of_reach(self):
        for name in ("student folder", "other student", "repository", "sources", "example", "out folder"):
            for action in ("list", "read"):
                with self.subTest(f"{action} {name}"):
                    self.assertIn(self.outcome(f"{action} {name}"), ("FileNotFoundError", "PermissionError"))
        self.assertIn(self.outcome("read self"), ("FileNotFoundError", "PermissionError"))  # the original
        python = {Path(p).relative_to("/root").parts[0] for p in (sys.prefix, sys.base_prefix) if p.startswith("/root/")}
        self.assertLessEqual(set(self.report.get("home", [])), python)  # /root shows the way to Python, no more
        self.assertEqual(set(self.outcome("root")) - {"bin", "dev", "etc", "learn", "lib", "lib32", "lib64", "libx32",
                                                      "proc", "root", "sbin", "student", "tmp", "usr"}, set())

    def test_a_forged_answers_file_is_not_the_answers_file(self):
        self.assertIn(self.outcome("forge out"), ("FileNotFoundError", "PermissionError"))
        self.assertIn(self.outcome("forge repository"), ("FileNotFoundError", "PermissionError"))
        self.assertEqual(self.outcome("forge own file"), "OSError")  # read-only: EROFS
        self.assertEqual(self.outcome("write tmp"), "ok")  # its own /tmp works
        self.assertFalse(self.forged.exists())
        self.assertTrue(all(e["error"].startswith("RuntimeError: ") for e in self.written.values()))
        self.assertEqual([p.name for p in self.out_folder.iterdir()], ["answers.json"])

    def test_the_graders_command_line_is_unreadable(self):
        for name in ("read parent cmdline", "read parent environ", "read pid 1 cmdline"):
            with self.subTest(name):
                self.assertIn(self.outcome(name), ("FileNotFoundError", "PermissionError"))
        for line in self.outcome("command lines"):  # only its own processes
            self.assertNotIn(str(self.hidden), line)
            self.assertNotIn("--out", line)

    def test_the_network_is_refused(self):
        self.assertNotEqual(self.outcome("connect local"), "ok")
        self.assertNotEqual(self.outcome("connect outside"), "ok")
        self.assertFalse(self.reached)

    def test_the_self_test_refuses_a_sandbox_that_shows_a_protected_folder(self):
        exposed = Path("/etc")  # a folder the sandbox binds
        targets = la.Targets(CASES, exposed, EXAMPLE.resolve(), Path(self.folder.name) / "a.json")
        workspace = la.Workspace(EXAMPLE.resolve())
        try:
            sandbox = la.Sandbox(workspace, la.Limits(60, 60, 60, 4096), [str(CASES), str(HERE)])
            with self.assertRaisesRegex(la.SetupError, r"refusing to run: .*could list /etc \(the hidden set\)"):
                la.self_test(sandbox, targets)
            self.assertTrue(la.self_test(sandbox, la.Targets(CASES, None, EXAMPLE.resolve(),
                                                             Path(self.folder.name) / "a.json")).startswith("sandbox:"))
        finally:
            workspace.cleanup()


class Refusals(unittest.TestCase):
    """Where the sandbox cannot be built the tool refuses, unless told --no-sandbox."""

    def test_without_root_the_tool_refuses(self):
        with tempfile.TemporaryDirectory() as folder, mock.patch.object(la.os, "geteuid", return_value=1000), \
                contextlib.redirect_stderr(io.StringIO()) as stderr:
            status = la.main([str(EXAMPLE), "--out", str(Path(folder) / "a.json")])
            self.assertFalse((Path(folder) / "a.json").exists())
        self.assertEqual(status, 2)
        self.assertIn("learn_answers: cannot sandbox the student's code:", stderr.getvalue())
        self.assertIn("pass --no-sandbox", stderr.getvalue())
        if sys.platform.startswith("linux"):
            self.assertIn("it needs root", stderr.getvalue())

    def test_a_probe_report_that_saw_anything_is_refused(self):
        request = {"read": ["/c/a.json"], "list": ["/", "/c", "/root"], "write": ["/"], "connect": [["1.1.1.1", 1]]}
        clean = {"status": {"Uid": ["65534"] * 4, "Gid": ["65534"] * 4, "Groups": [], "NoNewPrivs": ["1"],
                            **{c: ["0000000000000000"] for c in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")}},
                 "reads": {"/c/a.json": "FileNotFoundError", "/proc/1/cmdline": "FileNotFoundError"},
                 "lists": {"/": ["root", "tmp", "usr"], "/c": "FileNotFoundError", "/root": [".pyenv"]},
                 "writes": {"/": "OSError"}, "connects": {"1.1.1.1:1": "OSError"}, "interfaces": ["lo"]}
        bound, visible = ["/usr", "/root/.pyenv/v"], ["/usr", "/root/.pyenv/v", "/tmp"]
        self.assertEqual(la.probe_problems(clean, request, {}, bound, visible), [])
        for title, change, text in (
            ("uid 0", lambda r: r["status"].update(Uid=["0"] * 4), "Uid 0 0 0 0"),
            ("a case read", lambda r: r["reads"].update({"/c/a.json": "ok"}), "it could read /c/a.json"),
            ("the cases listed", lambda r: r["lists"].update({"/c": ["a.json"]}), "it could list /c"),
            ("more of /root", lambda r: r["lists"].update({"/root": [".pyenv", ".ssh"]}), ".ssh"),
            ("a capability", lambda r: r["status"].update(CapEff=["0000000000200000"]), "capabilities"),
            ("a write", lambda r: r["writes"].update({"/": "ok"}), "it could write in /"),
            ("a connection", lambda r: r["connects"].update({"1.1.1.1:1": "ok"}), "connect to 1.1.1.1:1"),
            ("an interface", lambda r: r.update(interfaces=["eth0", "lo"]), "eth0"),
            ("garbage", lambda r: r.pop("status"), "a report it cannot read"),
        ):
            with self.subTest(title):
                report = copy.deepcopy(clean)
                change(report)
                self.assertIn(text, "; ".join(la.probe_problems(report, request, {}, bound, visible)))
        exposed = copy.deepcopy(clean)
        exposed["lists"]["/c"] = []
        self.assertTrue(la.probe_problems(exposed, request, {}, ["/usr", "/"], visible))  # inside a bound folder

    @unittest.skipIf(torch is None, "torch is not importable")
    def test_no_sandbox_warns_loudly(self):
        with tempfile.TemporaryDirectory() as folder:
            cases = Path(folder) / "cases"
            (cases / "layers").mkdir(parents=True)
            shutil.copyfile(CASES / "layers" / "relu.json", cases / "layers" / "relu.json")
            result = run_tool(EXAMPLE, "--cases", cases, "--out", Path(folder) / "a.json", mode="no-sandbox")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stderr.startswith("learn_answers: WARNING: --no-sandbox: the student's code is NOT "
                                                 "sandboxed."), result.stderr)
        self.assertNotIn("sandbox: pid", result.stderr)


class WithoutTorch(unittest.TestCase):
    """Runs with or without torch installed (so the suite never consists only of skips)."""

    def test_the_tool_says_it_needs_torch(self):
        with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as out:
            os.chmod(folder, 0o755)  # the sandbox's uid 65534 must be able to read it
            fake = Path(folder) / "torch"
            fake.mkdir()
            (fake / "__init__.py").write_text('raise ImportError("No module named torch")\n')
            result = run_tool(EXAMPLE, "--out", Path(out) / "a.json", env={**os.environ, "PYTHONPATH": folder})
            self.assertFalse((Path(out) / "a.json").exists())
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertEqual(own_lines(result.stderr), [
            f"learn_answers: needs PyTorch (No module named torch); {la.TORCH_HINT}"], result.stderr)


if __name__ == "__main__":
    unittest.main()
