#!/usr/bin/env python3
"""Arms a piece file of a starter kit with an attack, for .ci/check-attacks.

    arm.py KIT PIECE_FILE SNIPPET MARK [--honest REFERENCE]

The piece file (e.g. Sources/Learn/Equations/CellState.swift) gets a private function
`attack()` whose body is SNIPPET (Swift; `sh(script)` runs a shell script, `MARK` in
it becomes the run's marker), called first thing in the piece's bodies: in place of each
of the stub's `unimplemented`, followed by a crash (the piece computes nothing), or, with --honest REFERENCE,
at the top of the first solution block of the instructor's file (the piece is right).
"""
import re
import sys
from pathlib import Path

kit, piece, snippet, mark = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4]
honest = sys.argv[6] if len(sys.argv) > 5 and sys.argv[5] == "--honest" else None
target = kit / piece
text = Path(honest).read_text() if honest else target.read_text()
if honest:
    # The first block only: a later one may be a lone expression, returned implicitly.
    armed = re.sub(r"(// BEGIN SOLUTION[^\n]*\n)", r"\1        attack()\n", text, count=1)
else:
    # The stub's call becomes a plain crash, so the grader counts the piece as written
    # and runs it: the attack runs, then the piece fails.
    armed = re.sub(r"(\n\s*)unimplemented\(", r"\1attack()\1fatalError(", text)
assert armed != text, f"no body to arm in {piece}"
body = snippet.read_text().replace("MARK", mark)
target.write_text("import Foundation\n\n" + armed + f"""
/// The attack (.ci/check-attacks): runs as the pieces do.
private func attack() {{
{body}
}}

/// Runs `script` with /bin/sh and waits for it (not for what it leaves running).
private func sh(_ script: String) {{
    _ = system(script)
}}
""")
