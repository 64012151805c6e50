#!/usr/bin/env python3
"""Reference timings in PyTorch for the work `swift run -c release Benchmarks` measures.

Times, on the CPU with two threads and in Float32:

  * one LSTM training step (forward over T steps, cross-entropy on the last step,
    backward, clip_grad_norm_(10), RMSprop(lr=1e-3)) at batch N = 128, hidden H = 128,
    K = 10 classes, one-hot input D = 10, for T = 5 and T = 20, written two ways:
      - "loop": equations (1)-(9) of the spec with a Python loop over time and the
        weights as separate nn.Parameters (the way students write it);
      - "fused": torch.nn.LSTM + nn.Linear (PyTorch's own kernels);
  * the same for the vanilla RNN (loop, and torch.nn.RNN);
  * one GAN iteration (a D step and a G step, batch 64, the template architecture,
    Adam(2e-4, betas=(0.5, 0.999))), in the "fused" column;
  * the matrix product 128x138 @ 138x512 as A@B, A@B.T and A.T@B, in GFLOP/s;
  * Assignment 2's CNN, the reduced VGG (eight 3x3 Conv2d -> BatchNorm2d -> ReLU blocks,
    five 3x3/2 max-pools, Linear 512 -> 10): one training step at batch 32 on 32x32x3
    inputs with Adam(1e-4), and each of its eight Conv2d layers alone, forward and
    backward (dX, dW, db), with the GFLOP/s each reaches.

A shared machine speeds up and slows down by tens of percent from one minute to
the next, so the two sides are timed in turns: each measure in PyTorch, then the
same measure in Swift (`Benchmarks --only NAME --json`), and again for every
round. Each ratio is taken within one round and the table shows the median ratio
over the rounds, with the lowest and highest. Each figure inside a round is the
median of several repeats after a warm-up.

The Swift benchmark is built first, so the compiler never runs during a measurement.
This script is a measuring tool only: it is not part of the Swift build or tests.

usage: python3 Scripts/benchmark_pytorch.py [--quick] [--rounds R] [--only NAME] [--skip-swift]
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

N, H, K, D = 128, 128, 10, 10
GEMM_M, GEMM_K, GEMM_N = 128, 138, 512
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def median_ms(body, repeats, inner):
    """Median over `repeats` of the time for `inner` calls of `body`, per call, in ms.

    One untimed round first, so allocator and thread-pool start-up are not measured.
    """
    for _ in range(inner):
        body()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            body()
        times.append((time.perf_counter() - start) * 1e3 / inner)
    return statistics.median(times)


def palindrome_batch(t, generator):
    """N random palindromes of length t + 1: t one-hot inputs (N, t, D) and the last digit."""
    half = (t + 2) // 2
    left = torch.randint(0, 10, (N, half), generator=generator)
    mirrored = torch.flip(left[:, : (t + 1) - half], dims=[1])
    digits = torch.cat([left, mirrored], dim=1)
    return F.one_hot(digits[:, :t], D).float(), digits[:, t]


def uniform(*shape):
    # PyTorch's nn.LSTM initialisation: every weight and bias uniform in ±1/√H.
    bound = 1 / H**0.5
    return nn.Parameter(torch.empty(*shape).uniform_(-bound, bound))


class LoopLSTM(nn.Module):
    """Equations (1)-(9): one Parameter per matrix, a Python loop over time."""

    def __init__(self):
        super().__init__()
        for gate in "gifo":
            setattr(self, f"W_{gate}x", uniform(H, D))
            setattr(self, f"W_{gate}h", uniform(H, H))
            setattr(self, f"b_{gate}", uniform(H))
        self.W_ph = uniform(K, H)
        self.b_p = uniform(K)

    def forward(self, x):
        h = x.new_zeros(x.shape[0], H)
        c = x.new_zeros(x.shape[0], H)
        for t in range(x.shape[1]):
            xt = x[:, t]
            g = torch.tanh(xt @ self.W_gx.T + h @ self.W_gh.T + self.b_g)  # (1)
            i = torch.sigmoid(xt @ self.W_ix.T + h @ self.W_ih.T + self.b_i)  # (2)
            f = torch.sigmoid(xt @ self.W_fx.T + h @ self.W_fh.T + self.b_f)  # (3)
            o = torch.sigmoid(xt @ self.W_ox.T + h @ self.W_oh.T + self.b_o)  # (4)
            c = g * i + c * f  # (5)
            h = torch.tanh(c) * o  # (6)
        return h @ self.W_ph.T + self.b_p  # (7); (8)-(9) are in the loss


class LoopRNN(nn.Module):
    """h(t) = tanh(W_hx x(t) + W_hh h(t-1) + b_h), p = W_ph h(T) + b_p."""

    def __init__(self):
        super().__init__()
        self.W_hx, self.W_hh, self.b_h = uniform(H, D), uniform(H, H), uniform(H)
        self.W_ph, self.b_p = uniform(K, H), uniform(K)

    def forward(self, x):
        h = x.new_zeros(x.shape[0], H)
        for t in range(x.shape[1]):
            h = torch.tanh(x[:, t] @ self.W_hx.T + h @ self.W_hh.T + self.b_h)
        return h @ self.W_ph.T + self.b_p


class Fused(nn.Module):
    """torch.nn.LSTM or torch.nn.RNN, then nn.Linear on the last hidden state."""

    def __init__(self, recurrent):
        super().__init__()
        self.recurrent = recurrent(D, H, batch_first=True)
        self.linear = nn.Linear(H, K)

    def forward(self, x):
        out, _ = self.recurrent(x)
        return self.linear(out[:, -1])


def gan_generator():
    return nn.Sequential(
        nn.Linear(100, 128), nn.LeakyReLU(0.2),
        nn.Linear(128, 256), nn.BatchNorm1d(256), nn.LeakyReLU(0.2),
        nn.Linear(256, 512), nn.BatchNorm1d(512), nn.LeakyReLU(0.2),
        nn.Linear(512, 1024), nn.BatchNorm1d(1024), nn.LeakyReLU(0.2),
        nn.Linear(1024, 784), nn.Tanh())


def gan_discriminator():
    # Ends in a logit, as Learn's does: the losses apply the sigmoid stably.
    return nn.Sequential(
        nn.Linear(784, 512), nn.LeakyReLU(0.2),
        nn.Linear(512, 256), nn.LeakyReLU(0.2),
        nn.Linear(256, 1))


def gan_iteration_ms(repeats, inner):
    """Milliseconds for what Learn's GANTrainer.step() does with k = 1: sample z, run G
    once; update D on a real batch and on G(z) held constant; update G through the
    freshly updated D. Random images stand in for MNIST: the arithmetic is the same."""
    torch.manual_seed(0)
    g, d = gan_generator(), gan_discriminator()
    g_opt = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    d_opt = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    images = torch.rand(1024, 784) * 2 - 1
    ones, zeros = torch.ones(64, 1), torch.zeros(64, 1)
    state = {"step": 0}

    def iteration():
        start = (state["step"] * 64) % 960
        state["step"] += 1
        real = images[start:start + 64]
        fake = g(torch.randn(64, 100))
        d_opt.zero_grad()
        d_loss = (F.binary_cross_entropy_with_logits(d(real), ones)
                  + F.binary_cross_entropy_with_logits(d(fake.detach()), zeros))
        d_loss.backward()
        d_opt.step()
        g_opt.zero_grad()
        g_loss = F.binary_cross_entropy_with_logits(d(fake), ones)  # non-saturating
        g_loss.backward()
        g_opt.step()

    return median_ms(iteration, repeats, inner)


# The reduced VGG's convolutions: (input channels, output channels, side) at batch 32.
VGG_CONVOLUTIONS = [(3, 64, 32), (64, 128, 16), (128, 256, 8), (256, 256, 8),
                    (256, 512, 4), (512, 512, 4), (512, 512, 2), (512, 512, 2)]
VGG_BATCH = 32


def vgg():
    """Assignment 2's reduced VGG: a pool after the 1st, 2nd, 4th, 6th and 8th conv block."""
    layers, pooled_after = [], {0, 1, 3, 5, 7}
    for index, (cin, cout, _) in enumerate(VGG_CONVOLUTIONS):
        layers += [nn.Conv2d(cin, cout, 3, 1, 1), nn.BatchNorm2d(cout), nn.ReLU()]
        if index in pooled_after:
            layers.append(nn.MaxPool2d(3, 2, 1))
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(512, 10))


def conv_key(cin, cout, side):
    return f"conv2d {cin}→{cout} {side}×{side} batch {VGG_BATCH} ms"


def conv_flops(cin, cout, side):
    """FLOPs of one forward and backward pass: three products of 2·(N·side²)·cout·(cin·9)."""
    return 3 * 2 * VGG_BATCH * side * side * cout * cin * 9


def conv_ms(cin, cout, side, repeats, inner):
    """Milliseconds for one Conv2d(3x3, padding 1) forward and backward at batch 32."""
    torch.manual_seed(2)
    conv = nn.Conv2d(cin, cout, 3, 1, 1)
    x = torch.rand(VGG_BATCH, cin, side, side, requires_grad=True)
    upstream = torch.rand(VGG_BATCH, cout, side, side)

    def step():
        conv.zero_grad(set_to_none=True)
        x.grad = None
        conv(x).backward(upstream)

    return median_ms(step, repeats, inner)


def cnn_step_ms(repeats, inner):
    """Milliseconds for one training step of the reduced VGG: forward, cross-entropy,
    backward, Adam(1e-4), on a batch of 32 random 32x32x3 images."""
    torch.manual_seed(3)
    model = vgg()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    x = torch.rand(VGG_BATCH, 3, 32, 32) * 2 - 1
    y = torch.randint(0, 10, (VGG_BATCH,))

    def step():
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        optimizer.step()

    return median_ms(step, repeats, inner)


def step_ms(model, t, repeats, inner):
    """Milliseconds for one training step: forward, loss, backward, clip, RMSprop."""
    generator = torch.Generator().manual_seed(t)
    x, y = palindrome_batch(t, generator)
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)  # (8)-(9), mean over the batch
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        optimizer.step()

    return median_ms(step, repeats, inner)


def gemm_gflops(form, repeats, inner):
    """GFLOP/s of C = op(A)·op(B) with op(A) 128×138 and op(B) 138×512."""
    generator = torch.Generator().manual_seed(1)
    a_shape = (GEMM_K, GEMM_M) if form == "Aᵀ·B" else (GEMM_M, GEMM_K)
    b_shape = (GEMM_N, GEMM_K) if form == "A·Bᵀ" else (GEMM_K, GEMM_N)
    a = torch.rand(a_shape, generator=generator) * 2 - 1
    b = torch.rand(b_shape, generator=generator) * 2 - 1
    # Transposes are views, as in the Swift kernel: no copy is timed.
    product = {
        "A·B": lambda: a @ b,
        "A·Bᵀ": lambda: a @ b.T,
        "Aᵀ·B": lambda: a.T @ b,
    }[form]
    ms = median_ms(product, repeats, inner)
    return 2.0 * GEMM_M * GEMM_N * GEMM_K / (ms * 1e6)


def busy_fraction(seconds=1.0):
    """The fraction of all CPU time spent busy over `seconds` (Linux /proc/stat), or None."""

    def sample():
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        return sum(values), values[3] + values[4]  # idle + iowait

    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):
        return None
    return 1 - (idle1 - idle0) / max(total1 - total0, 1)


def warn_if_busy(when):
    # Both sides use both cores: anything else running (a build, a training run)
    # slows whichever side it overlaps, and the ratios mean little.
    busy = busy_fraction()
    if busy is not None and busy > 0.1:
        print(f"warning: the CPUs were {busy:.0%} busy {when}; the figures will be noisy", file=sys.stderr)


def swift_command(arguments):
    """Runs `swift …` in the repository root; returns (exit code, stdout, stderr)."""
    try:
        done = subprocess.run(["swift"] + arguments, cwd=REPO, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return None, "", "swift is not on PATH"
    return done.returncode, done.stdout, done.stderr


def build_swift():
    """Builds the Swift benchmark before anything is timed, so the compiler never
    competes with a measurement. Returns True when it built."""
    print("building the Swift benchmark (swift build -c release --product Benchmarks) ...", file=sys.stderr, flush=True)
    code, _, error = swift_command(["build", "-c", "release", "--product", "Benchmarks"])
    if code != 0:
        print(f"the Swift build failed; timing PyTorch only:\n{error[-2000:]}", file=sys.stderr)
    return code == 0


# The matrix kernel the Swift runs used ("wide": AVX-512, "portable": AVX2).
kernels_seen = set()


def run_swift(key, quick):
    """Runs the built Swift benchmark for one measure and returns its figure, or None."""
    arguments = ["run", "-c", "release", "--skip-build", "Benchmarks", "--json", "--only", key]
    code, output, error = swift_command(arguments + (["--quick"] if quick else []))
    lines = [line for line in output.splitlines() if line.strip()]
    if code != 0 or not lines:
        print(f"the Swift benchmark failed (exit {code}):\n{error[-2000:]}", file=sys.stderr)
        return None
    # Anything printed before is progress; the figures are the last line.
    try:
        data = json.loads(lines[-1])
        kernels_seen.add(data.get("kernel", "?"))
        return data.get(key)
    except json.JSONDecodeError:
        print(f"no JSON on the last line of the Swift output: {lines[-1]!r}", file=sys.stderr)
        return None


def measures(quick):
    """(Swift JSON key, label, unit, PyTorch loop timer or None, PyTorch fused timer)."""
    step_repeats, step_inner = (3, 3) if quick else (9, 10)
    gemm_repeats, gemm_inner = (5, 20) if quick else (15, 200)
    rows = []
    for form in ["A·B", "A·Bᵀ", "Aᵀ·B"]:
        rows.append((f"gemm {form} GFLOP/s", f"matmul {form} 128×138·138×512", "GFLOP/s", None,
                     lambda form=form: gemm_gflops(form, gemm_repeats, gemm_inner)))
    for kind, loop, recurrent in [("lstm", LoopLSTM, nn.LSTM), ("rnn", LoopRNN, nn.RNN)]:
        for t in [5, 20]:
            rows.append((f"{kind} step T={t} ms", f"{kind.upper()} step T={t}", "ms",
                         lambda loop=loop, t=t: step_ms(loop(), t, step_repeats, step_inner),
                         lambda recurrent=recurrent, t=t: step_ms(Fused(recurrent), t, step_repeats, step_inner)))
    rows.append(("gan iteration ms", "GAN iteration", "ms", None,
                 lambda: gan_iteration_ms(3 if quick else 7, 5 if quick else 20)))
    conv_repeats, conv_inner = (3, 2) if quick else (7, 5)
    for cin, cout, side in sorted(set(VGG_CONVOLUTIONS), key=VGG_CONVOLUTIONS.index):  # each shape once
        rows.append((conv_key(cin, cout, side), f"Conv2d {cin}→{cout} {side}×{side}", "ms", None,
                     lambda cin=cin, cout=cout, side=side: conv_ms(cin, cout, side, conv_repeats, conv_inner)))
    rows.append(("cnn step ms", "CNN step (reduced VGG)", "ms", None,
                 lambda: cnn_step_ms(3 if quick else 5, 1 if quick else 3)))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and one round (a smoke run, noisier figures)")
    parser.add_argument("--rounds", type=int, default=None, help="turns of PyTorch then Swift per measure (default 3; 1 with --quick)")
    parser.add_argument("--only", default=None, help="only the measures whose name contains this text (any case)")
    parser.add_argument("--skip-swift", action="store_true", help="time PyTorch only")
    args = parser.parse_args()
    rounds = args.rounds if args.rounds is not None else (1 if args.quick else 3)
    if rounds < 1:
        parser.error(f"--rounds must be at least 1, got {rounds}")
    # Match the measure's key or its table label, ignoring case ("LSTM step T=20" or "lstm step").
    wanted = None if args.only is None else args.only.lower()
    chosen = [m for m in measures(args.quick) if wanted is None or wanted in m[0].lower() or wanted in m[1].lower()]
    if not chosen:
        parser.error(f"no measure's name contains {args.only!r}")

    built = False if args.skip_swift else build_swift()

    warn_if_busy("before the timings")
    torch.set_num_threads(2)
    torch.manual_seed(0)

    # figures[key] = {"swift": [...], "loop": [...], "fused": [...]}, one entry per round.
    figures = {key: {"swift": [], "loop": [], "fused": []} for key, *_ in chosen}
    for round_number in range(1, rounds + 1):
        for key, label, unit, loop_timer, fused_timer in chosen:
            print(f"round {round_number}/{rounds}: {label} ...", file=sys.stderr, flush=True)
            figures[key]["loop"].append(loop_timer() if loop_timer else None)
            figures[key]["fused"].append(fused_timer())
            figures[key]["swift"].append(run_swift(key, args.quick) if built else None)
    warn_if_busy("after the timings")

    print()
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, Float32, CPU "
          f"({platform.processor() or platform.machine()}, {os.cpu_count()} logical cores); "
          f"{rounds} round{'s' if rounds != 1 else ''}")
    if kernels_seen:
        print(f"Swift matrix kernel: {', '.join(sorted(kernels_seen))} (LEARN_GEMM_KERNEL=portable selects the AVX2 one)")
    print("N = 128, H = 128, D = 10 (one-hot), K = 10; step = forward + backward + clip 10 + RMSprop")
    print("GAN: batch 64, template architecture, one D step + one G step, Adam")
    print("CNN: reduced VGG, batch 32, 32×32×3, Adam(1e-4); Conv2d rows: 3×3, padding 1, batch 32")
    print("figures: medians over the rounds; ratio = Swift time / PyTorch time within a round, "
          "median [lowest–highest] over the rounds")
    print("(below 1: Swift is faster; for GFLOP/s, PyTorch rate / Swift rate)")
    print()
    header = ["measure", "unit", "Swift", "PyTorch loop", "PyTorch fused", "Swift/loop", "Swift/fused"]
    table = [header]

    def middle(values):
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None

    def number(v):
        return "—" if v is None else f"{v:.3f}"

    def ratios(swift_values, torch_values, unit):
        pairs = [(s, t) for s, t in zip(swift_values, torch_values) if s is not None and t is not None]
        if not pairs:
            return "—"
        each = sorted((t / s) if unit == "GFLOP/s" else (s / t) for s, t in pairs)
        if len(each) == 1:
            return f"{each[0]:.2f}"
        return f"{statistics.median(each):.2f} [{each[0]:.2f}–{each[-1]:.2f}]"

    failed = False
    for key, label, unit, _, _ in chosen:
        f = figures[key]
        failed = failed or (built and any(v is None for v in f["swift"]))
        table.append([label, unit, number(middle(f["swift"])), number(middle(f["loop"])),
                      number(middle(f["fused"])), ratios(f["swift"], f["loop"], unit),
                      ratios(f["swift"], f["fused"], unit)])
    widths = [max(len(row[c]) for row in table) for c in range(len(header))]
    for r, row in enumerate(table):
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])] + [
            cell.rjust(width) for cell, width in zip(row[2:], widths[2:])]
        print("  ".join(cells))
        if r == 0:
            print("  ".join("-" * w for w in widths))
    convolutions = [(key, label, conv_flops(cin, cout, side))
                     for (cin, cout, side) in sorted(set(VGG_CONVOLUTIONS), key=VGG_CONVOLUTIONS.index)
                     for key, label, *_ in chosen if key == conv_key(cin, cout, side)]
    if convolutions:
        print()
        print("Conv2d forward + backward, achieved GFLOP/s (3 products of 2·N·H·W·C_out·C_in·9 FLOPs):")
        for key, label, flops in convolutions:
            swift, fused = middle(figures[key]["swift"]), middle(figures[key]["fused"])
            rate = lambda ms: "—" if ms is None else f"{flops / (ms * 1e6):.0f}"
            print(f"  {label.ljust(widths[0])}  Swift {rate(swift).rjust(4)}  PyTorch {rate(fused).rjust(4)}")
    if (not built and not args.skip_swift) or failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
