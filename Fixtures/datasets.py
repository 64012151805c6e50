#!/usr/bin/env python3
"""The noiseless points of scikit-learn's two-dimensional data sets, for Learn's own
generators to be pinned to (Assignment 2, Part I: the MLP on moons and circles).

Learn draws the noise from its own seeded generator, so only the shapes can be compared:
the points `make_moons` and `make_circles` give with `noise=None, shuffle=False`, in
their order (the first class, then the second). A few sample counts are kept, odd ones
too, since both split n into n // 2 points of class 0 and the rest of class 1.

    python3 Fixtures/datasets.py            # rewrite Fixtures/datasets/*.json
    python3 Fixtures/datasets.py --check    # compare with the files, write nothing

The JSON is committed: the tests never run scikit-learn.
"""

import argparse
import json
import os
import sys

import sklearn
from sklearn.datasets import make_circles, make_moons

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "datasets")
SAMPLES = (1000, 7, 2)


def cases(make, **options):
    out = []
    for n in SAMPLES:
        points, labels = make(n_samples=n, shuffle=False, noise=None, **options)
        out.append({"samples": n, "points": [[float(a), float(b)] for a, b in points],
                    "labels": [int(k) for k in labels]})
    return out


def files():
    return {
        "moons.json": {"generator": "sklearn.datasets.make_moons", "options": {},
                       "cases": cases(make_moons)},
        "circles.json": {"generator": "sklearn.datasets.make_circles", "options": {"factor": 0.8},
                         "cases": cases(make_circles, factor=0.8)},
    }


def render(content):
    return json.dumps({"scikit-learn": sklearn.__version__, **content}, sort_keys=True, indent=1) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files; write nothing")
    args = parser.parse_args()
    differ = []
    os.makedirs(OUT, exist_ok=True)
    for name, content in files().items():
        path = os.path.join(OUT, name)
        text = render(content)
        if args.check:
            try:
                with open(path) as f:
                    old = json.load(f)
            except (OSError, ValueError) as error:
                differ.append(f"{name}: {error}")
                continue
            old.pop("scikit-learn", None)
            new = json.loads(text)
            new.pop("scikit-learn", None)
            if old != new:
                differ.append(name)
        else:
            with open(path, "w") as f:
                f.write(text)
            print(f"wrote {path}")
    if differ:
        print("differ from scikit-learn " + sklearn.__version__ + ": " + ", ".join(differ), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
