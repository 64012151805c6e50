#!/usr/bin/env python3
"""Reference timing of one GAN iteration in PyTorch, beside Learn's, on this machine.

One iteration is what Learn's GANTrainer.step() does with k = 1: sample z, run G
once; update D on a real batch and on G(z) held constant; update G through the
freshly updated D. Template architecture, batch 64, Adam(2e-4, betas=(0.5, 0.999)),
Float32, CPU, 2 threads. Random images stand in for MNIST: the arithmetic is the same.

Run from anywhere:  python3 Scripts/benchmark_gan_pytorch.py [--quick] [--skip-swift]
Needs torch (CPU wheel) — never part of the Swift build or tests.
"""
import argparse
import json
import pathlib
import statistics
import subprocess
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def generator():
    return nn.Sequential(
        nn.Linear(100, 128), nn.LeakyReLU(0.2),
        nn.Linear(128, 256), nn.BatchNorm1d(256), nn.LeakyReLU(0.2),
        nn.Linear(256, 512), nn.BatchNorm1d(512), nn.LeakyReLU(0.2),
        nn.Linear(512, 1024), nn.BatchNorm1d(1024), nn.LeakyReLU(0.2),
        nn.Linear(1024, 784), nn.Tanh())


def discriminator():
    # Ends in a logit, as Learn's does: the losses apply the sigmoid stably.
    return nn.Sequential(
        nn.Linear(784, 512), nn.LeakyReLU(0.2),
        nn.Linear(512, 256), nn.LeakyReLU(0.2),
        nn.Linear(256, 1))


def time_iterations(repeats, inner):
    torch.manual_seed(0)
    g, d = generator(), discriminator()
    g_opt = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    d_opt = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    images = torch.rand(1024, 784) * 2 - 1
    ones, zeros = torch.ones(64, 1), torch.zeros(64, 1)

    def iteration(step):
        real = images[(step * 64) % 960:(step * 64) % 960 + 64]
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

    for step in range(inner):  # warm-up
        iteration(step)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for step in range(inner):
            iteration(step)
        times.append((time.perf_counter() - start) * 1000 / inner)
    return statistics.median(times)


def swift_figures(quick):
    root = pathlib.Path(__file__).resolve().parent.parent
    command = ["swift", "run", "-c", "release", "Benchmarks", "--json"] + (["--quick"] if quick else [])
    out = subprocess.run(command, cwd=root, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--skip-swift", action="store_true", help="PyTorch only")
    args = parser.parse_args()
    torch.set_num_threads(2)
    torch_ms = time_iterations(3 if args.quick else 7, 5 if args.quick else 20)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
    print(f"{'measure':<24}{'Learn':>10}{'PyTorch':>10}{'ratio':>8}")
    if args.skip_swift:
        print(f"{'gan iteration ms':<24}{'-':>10}{torch_ms:>10.2f}{'-':>8}")
        return
    swift_ms = swift_figures(args.quick)["gan iteration ms"]
    print(f"{'gan iteration ms':<24}{swift_ms:>10.2f}{torch_ms:>10.2f}{swift_ms / torch_ms:>8.2f}")
    print("ratio = Learn / PyTorch: below 1 means Learn is faster")


if __name__ == "__main__":
    main()
