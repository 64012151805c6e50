"""Tests of learn_answers.py against the reference cases in Fixtures/cases.

    python3 -m unittest discover -s Scripts/pytorch -v

Every test that needs torch is skipped when it cannot be imported (CI without PyTorch);
one checks the tool's message in that situation and runs either way. Wrong
implementations are built as small files that run the worked example's source and then
override one piece of it, so each differs from the example by exactly one mistake.
"""

import copy
import json
import math
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOOL = HERE / "learn_answers.py"
EXAMPLE = HERE / "example_student.py"
CASES = HERE.parent.parent / "Fixtures" / "cases"

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None
else:
    sys.path.insert(0, str(HERE))
    import learn_answers as la

FD_BAR = 1e-6


def load_expected(directory):
    """Every case file with its expected values, by key."""
    return {p.relative_to(directory).with_suffix("").as_posix(): json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(directory.rglob("*.json"))}


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
    """Shared set-up: the cases, a temporary folder, and variants of the example."""

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        cls.expected = load_expected(CASES)
        cls.cases = la.load_cases(CASES)
        cls.count = 0

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    @classmethod
    def variant(cls, body, base=True):
        """A student file: the example's source run here, then `body` (which overrides)."""
        cls.count += 1
        path = Path(cls.folder.name) / f"student_{cls.count}.py"
        prelude = (f"with open({str(EXAMPLE)!r}) as _example:\n"
                   f"    exec(compile(_example.read(), {str(EXAMPLE)!r}, 'exec'))\n") if base else ""
        path.write_text(prelude + textwrap.dedent(body), encoding="utf-8")
        return path

    def answers(self, path, cases=None, finite_differences=False):
        student = la.Student.of(la.import_student(path))
        return la.answer_all(student, self.cases if cases is None else cases,
                             finite_differences=finite_differences)

    def tool(self, *args):
        return subprocess.run([sys.executable, str(TOOL), *map(str, args)], capture_output=True, text=True)


class WorkedExample(StudentFiles):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        student = la.Student.of(la.import_student(EXAMPLE))
        cls.example = la.answer_all(student, cls.cases)

    def test_every_case_is_answered(self):
        self.assertEqual(set(self.example.answers), set(self.expected))
        self.assertEqual(self.example.failed, {})
        self.assertEqual(self.example.skipped, {})

    def test_matches_every_case(self):
        for key, case in self.expected.items():
            with self.subTest(case=key):
                self.assertEqual(problems(case, self.example.answers[key]), [])

    def test_finite_differences_agree(self):
        for key, case in self.expected.items():
            entry = self.example.answers[key]
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
        la.write_answers(path, self.example.answers)
        text = path.read_text(encoding="utf-8")
        written = json.loads(text, parse_constant=lambda c: self.fail(f"bare {c} in the file"))
        self.assertEqual(written["cases"], json.loads(json.dumps(self.example.answers)))
        self.assertEqual(written["cases"]["layers/linear-worked-example"]["outputs"]["y"],
                         {"shape": [1, 2], "values": [-1.25, 1.5]})


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
        total = len(la.ENTRY_POINTS)
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


class CommandLine(StudentFiles):
    def test_an_unimportable_file_is_one_line_and_status_2(self):
        for title, body, text in (
            ("raises", 'raise RuntimeError("cannot find the MNIST files")\n',
             "RuntimeError: cannot find the MNIST files"),
            ("syntax", "def broken(:\n", "SyntaxError"),
        ):
            with self.subTest(file=title):
                path = self.variant(body, base=False)
                result = self.tool(path, "--out", Path(self.folder.name) / "never.json")
                self.assertEqual(result.returncode, 2)
                lines = result.stderr.strip().splitlines()
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
        ):
            with self.subTest(arguments=title):
                result = self.tool(*args)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn(text, result.stderr)


class WithoutTorch(unittest.TestCase):
    """Runs with or without torch installed (so the suite never consists only of skips)."""

    def test_the_tool_says_it_needs_torch(self):
        with tempfile.TemporaryDirectory() as folder:
            fake = Path(folder) / "torch"
            fake.mkdir()
            (fake / "__init__.py").write_text('raise ImportError("No module named torch")\n')
            result = subprocess.run([sys.executable, str(TOOL), str(EXAMPLE), "--out", str(Path(folder) / "a.json")],
                                    capture_output=True, text=True, env={**os.environ, "PYTHONPATH": folder})
        self.assertEqual(result.returncode, 2)
        self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
        self.assertIn("learn_answers: needs PyTorch", result.stderr)


if __name__ == "__main__":
    unittest.main()
