"""The example submissions in examples/, each in a style students hand in, through the
tool and the Swift grader: the points each gets, and what the report says.

    python3 -m unittest discover -s Scripts/pytorch -v

One tool run per example (several at once), shared by its assertions. The points need a
built grader (`Course`): the repository's .build/release/Course, /tmp/course-bin/Course,
or $LEARN_COURSE; without one those assertions are skipped, with the reason.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE / "examples"
REPOSITORY = HERE.parent.parent
sys.path.insert(0, str(HERE))
import learn_answers as la  # noqa: E402
from test_learn_answers import CASES, run_tool, torch  # noqa: E402

FULL_MARKS = 67  # example_student.py's points
# Assignment 2's points that answers can earn: 18 of Part I's 30, all 14 of Part II's (the
# CNN's Conv2d, MaxPool2d and BatchNorm2d, 12, and Adam, 2) and 24 of Part III's 40 (the
# moons, circles and palindrome training checks run the pieces themselves).
FULL_MARKS_2 = 18 + 14 + 24


def course_binary() -> Path | None:
    candidates = [os.environ.get("LEARN_COURSE"), REPOSITORY / ".build" / "release" / "Course", "/tmp/course-bin/Course"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


COURSE = course_binary()


@dataclass
class Outcome:
    tool: subprocess.CompletedProcess
    tool_seconds: float
    points: int | None = None
    verify_seconds: float = 0.0
    verify_output: str = ""


# example → (its files, the points it gets, the report lines that name its style or its bug)
# Assignment 3's unless ASSIGNMENT says otherwise.
EXPECTED = {
    "a_training_script.py": (FULL_MARKS, [
        "its module level trains or loads data",
        "not installed here, replaced by a stub: torchvision",
        "RNN: the class VanillaRNN",
        "LSTM built as LSTM(seq_length=T, input_dim=D, hidden_dim=H, output_dim=K, batch_size=N, device=device)",
        "bg←Wgx.bias (+Wgh.bias set to 0)",
        "LSTM.forward returns probabilities",
    ]),
    "b_gan_hardcoded.py": (22, [
        "has eps=0.8, the case's is 1e-05: BatchNorm1d(n, 0.8) gives 0.8 to eps",
        "the generator has 4 hidden layers written in, the case has 3",
        "the generator has its sizes written in: its layers were rebuilt at the case's sizes",
        "the discriminator ends in a sigmoid: its logits were read at its last linear layer",
        "discriminator_loss takes D's probabilities, not its logits",
        "clamps its log (nn.BCELoss at −100",
        "discriminator_loss's loss is 0.5 × (real + fake)",
    ]),
    "c_notebook_export.py": (FULL_MARKS, [
        "its notebook lines (`!…` / `%…`, lines 12) were left out",
        "not installed here, replaced by a stub: matplotlib, tqdm",
        "LSTM: the class LSTMModel",
        "LSTM.forward returns one 2-D tensor: p and h were read at the prediction layer",
    ]),
    "d_in_out_parameters.py": (2, [
        "its weights are stored in×out (y = x·W), as their shapes show",
        "forward makes a 4×4 tensor (d_in_out_parameters.py line 24: `h = torch.zeros(self.hidden_dim, "
        "self.hidden_dim)`) where the batch needs 3×4",
    ]),
    "e_torch_lstm.py": (FULL_MARKS, [
        "FORBIDDEN: lstm is torch.nn.LSTM, which the assignment forbids",
        "FORBIDDEN: rnn is torch.nn.RNN",
        "bi←lstm.bias_ih_l0[0:3] (+lstm.bias_hh_l0[0:3] set to 0)",
    ]),
    "f_split": (FULL_MARKS - 4, [
        "learn_answers: lstm.py, my_gan.py:",
        "LSTM: the class MyLSTM",
        "wix←input_gate.x.weight",
        "has momentum=0.8, the case's is 0.1: PyTorch's momentum is the weight of the new batch",
    ]),
    "g_assignment2_notebook.py": (FULL_MARKS_2, [
        "entry points found (13 of 13): prediction, softmax_cross_entropy, rnn_hidden_state, RNN, Linear, ReLU, "
        "Conv2d, MaxPool2d, BatchNorm2d, SGD, RMSprop, Adam, MLP",
        "its notebook lines (`!…` / `%…`, lines 14) were left out",
        "not installed here, replaced by a stub: matplotlib",
        "Linear: the class LinearLayer",
        "ReLU: the function relu, run as a layer",
        "RMSprop: RMSProp (the documented name is RMSprop)",
        "RNN: the class VanillaRNN",
        "bh←bh, bp←by, whh←Whh, whx←Wxh, wph←Why",
        "MLP built as MLP(n_inputs=D, n_hidden=hidden, n_classes=K)",
        "Conv2d: the class ConvLayer",
        "Conv2d built as ConvLayer(c_in=C_in, c_out=C_out, k=kernel, stride=stride, padding=padding)",
        "MaxPool2d: MaxPool2D (the documented name is MaxPool2d)",
        "BatchNorm2d: the class SpatialBatchNorm",
        "BatchNorm2d built as SpatialBatchNorm(num_channels=C, eps=eps, momentum=momentum)",
        "answered 32 of 32 cases, 0 raised, 0 skipped",
        "Assignment 2 (Part I 30 points, Part II 30, Part III 40): 32 of the 63 cases are of its kinds",
        "--assignment 2`",
    ]),
}
ASSIGNMENT = {"g_assignment2_notebook.py": 2}  # example → its assignment, when not 3


def points(output: str) -> int:
    found = re.search(r"Total: (\d+)/(\d+) points", output)
    if found is None:
        raise AssertionError(f"no total in the grader's output:\n{output[-2000:]}")
    return int(found.group(1))


@unittest.skipIf(torch is None, "torch is not importable")
class Examples(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()

        def run(name: str) -> tuple[str, Outcome]:
            out = Path(cls.folder.name) / f"{name}.json"
            assignment = ["--assignment", str(ASSIGNMENT[name])] if name in ASSIGNMENT else []
            started = time.monotonic()
            result = run_tool(EXAMPLES / name, "--out", out, *assignment)
            outcome = Outcome(result, time.monotonic() - started)
            if COURSE is not None and out.exists():
                started = time.monotonic()
                verify = subprocess.run([str(COURSE), "verify", "--answers", str(out), *assignment],
                                        capture_output=True, text=True, cwd=REPOSITORY)
                outcome.verify_seconds = time.monotonic() - started
                outcome.points = points(verify.stdout + verify.stderr)
                outcome.verify_output = verify.stdout + verify.stderr
            return name, outcome

        with ThreadPoolExecutor(max_workers=3) as pool:
            cls.outcomes = dict(pool.map(run, EXPECTED))

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def test_each_example_is_answered_and_its_report_names_its_style_and_bugs(self):
        for name, (_, lines) in EXPECTED.items():
            with self.subTest(example=name):
                result = self.outcomes[name].tool
                self.assertEqual(result.returncode, 0, result.stderr)
                for line in lines:
                    self.assertIn(line, result.stderr)

    @unittest.skipIf(COURSE is None, "no Course binary: build it (swift build -c release) or set $LEARN_COURSE")
    def test_each_example_gets_its_points(self):
        for name, (expected, _) in EXPECTED.items():
            with self.subTest(example=name):
                outcome = self.outcomes[name]
                self.assertEqual(outcome.points, expected, outcome.tool.stderr[-3000:])
                if name in ASSIGNMENT:  # graded as its own assignment: all the points its answers can earn
                    self.assertIn(f"Total: {expected}/{FULL_MARKS_2} points. Every check passed.",
                                  outcome.verify_output)
                    self.assertIn("Part II: 14/14 points", outcome.verify_output)  # the CNN's layers and Adam
                    self.assertIn("Part I: 18 of its 30 points can be earned from answers", outcome.verify_output)
                    self.assertIn("Part III: 24 of its 40 points can be earned from answers", outcome.verify_output)

    def test_an_assignment_2_submission_answers_only_assignment_2s_kinds(self):
        name = "g_assignment2_notebook.py"
        result = self.outcomes[name].tool
        self.assertEqual(result.returncode, 0, result.stderr)
        written = json.loads((Path(self.folder.name) / f"{name}.json").read_text(encoding="utf-8"))["cases"]
        from test_learn_answers import failing, load_expected
        expected = load_expected(CASES, 2)
        self.assertEqual(set(written), set(expected))
        self.assertEqual(failing(expected, written), set())
        worst = {key: entry["finiteDifferences"]["worstRelativeError"] for key, entry in written.items()
                 if "finiteDifferences" in entry}
        self.assertEqual({key for key, error in worst.items() if not error <= la.FD_BAR}, set(), worst)
        self.assertNotIn("skipped (no LSTM)", result.stderr)


@unittest.skipIf(torch is None, "torch is not importable")
class Settings(unittest.TestCase):
    """The instructor's settings: a declaration once per class of submissions, and
    whether torch.nn.LSTM earns the points."""

    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)
        self.cases = [c for c in la.load_cases(CASES) if c.key in ("models/lstm-T3-H4", "models/rnn-T1-H3")]

    def test_forbidden_refuse_costs_the_cases_and_says_why(self):
        student = la.Student.of(la.import_student(EXAMPLES / "e_torch_lstm.py"), {"forbidden": "refuse"})
        run = la.answer_all(student, self.cases, finite_differences=False)
        self.assertIn("torch.nn.LSTM, which the assignment forbids", run.failed["models/lstm-T3-H4"])
        self.assertIn("this grading refuses it (--forbidden refuse)", run.failed["models/lstm-T3-H4"])

    def test_a_declaration_names_the_class_its_arguments_and_its_tensors(self):
        path = Path(self.folder.name) / "odd_names.py"
        path.write_text(textwrap.dedent("""
            import torch
            from torch import nn

            class Recurrent(nn.Module):
                def __init__(self, a, b, c):
                    super().__init__()
                    self.b = b
                    self.U, self.V, self.beta = nn.Linear(a, b, bias=False), nn.Linear(b, b), None
                    self.head = nn.Linear(b, c)

                def forward(self, x):
                    h = x.new_zeros(x.shape[0], self.b)
                    for t in range(x.shape[1]):
                        h = torch.tanh(self.U(x[:, t]) + self.V(h))
                    return self.head(h), h
            """), encoding="utf-8")
        declaration = Path(self.folder.name) / "declaration.py"
        declaration.write_text('DECLARATION = {"RNN": {"class": "Recurrent", "arguments": {"a": "D", "b": "H", '
                               '"c": "K"}, "parameters": {"whx": "U.weight", "whh": "V.weight", "bh": "V.bias"}}}\n',
                               encoding="utf-8")
        student = la.Student.of(la.import_student(path), la.read_declaration(declaration))
        run = la.answer_all(student, self.cases, finite_differences=False)
        self.assertEqual(run.failed, {})
        expected = json.loads((CASES / "models/rnn-T1-H3.json").read_text())
        from test_learn_answers import problems
        self.assertEqual(problems(expected, run.answers["models/rnn-T1-H3"]), [])
        self.assertTrue(any("whx←U.weight" in note for note in run.notes), run.notes)

    def test_a_bad_declaration_is_refused(self):
        declaration = Path(self.folder.name) / "bad.json"
        declaration.write_text('{"LSTM": {"klass": "X"}}', encoding="utf-8")
        with self.assertRaisesRegex(la.SetupError, "must be an entry point"):
            la.read_declaration(declaration)


if __name__ == "__main__":
    unittest.main()
