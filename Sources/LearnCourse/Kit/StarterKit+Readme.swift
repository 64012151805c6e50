/// The README a starter kit gets in place of the maintainers': how a student works, what
/// the messages mean and how points are earned.
extension StarterKit {
    /// `README.md` of a kit.
    static let studentReadme = """
        # Learn — the starter kit

        Two classic exercises, written by you and graded as you go:

        - **Part I (40 points)**: an LSTM by hand — equations (1)–(9) and
          backpropagation through time — trained to finish palindromes, against a
          vanilla RNN.
        - **Part II (60 points)**: a fully connected GAN on MNIST, its layers and losses,
          a balanced game, and an interpolation in latent space.

        Every equation, layer and loss you write is a stub — `unimplemented("…")` — in
        `Sources/Learn`. The doc comment above each one gives the equation, its
        derivative and the shapes. `STARTER-KIT.md` lists them **in the order to write
        them**: each uses only those above it.

        ## The loop

        Write one piece, then check that piece alone — about 7 seconds after a one-line
        edit on two cores (an edit recompiles `Sources/Learn` alone):

            swift run -c release Course grade --only cell-state.fixtures,cell-state.gradients

        `Course grade` (without `--only`) prints every check with its points and the
        ids to pass to `--only`, and ends with how many pieces are written and the
        next one to write. The tests run the same checks and more:

            swift test -c release --disable-testable-imports                     # everything
            swift test -c release --disable-testable-imports --filter cellState  # tests whose name has it (about 7 s after an edit)

        Keep `--disable-testable-imports`: with it the tests and `swift run` share one
        build; without it each rebuilds the whole package after the other. The first
        build takes a minute or more; later ones rebuild what changed. The tutorials
        show the equations at work once they are written:

            swift run -c release Tutorials list
            swift run -c release Tutorials part1-task1

        ## What the messages mean

        - `not implemented yet: equation (5), cell state c (Sources/Learn/Equations/CellState.swift)`:
          that piece is still a stub. A test or check that needs it is not run; write
          the piece named (the first one it needs), and it will be.
        - `FAIL equations/cell-state (cellState): …`, then a line per tensor, e.g.
          `FAIL outputs.c [2×3]: worst at (1, 2): Learn 0.398, expected 0.4211, relative error 5.5e-02 (tolerance 1e-10)`:
          your value differs from the reference (PyTorch, in double precision). The
          tensor and the element say where to look; a gradient that is wrong while the
          output is right points at the backward pass.
        - `FAIL gradients.x [2×3]: worst relative error … at (0, 1): analytic …, numeric …`: the
          backward pass is not the derivative of your forward pass there (`analytic` is
          your gradient, `numeric` the central difference of your forward pass).
        - `hidden case: …`: a case your instructor keeps to themselves failed. Its
          values are not shown; the visible case of the same kind is the one to debug.
        - `crashed (signal 4) without an answer: … Fatal error: …`: the code stopped, for
          the reason printed (two shapes that do not fit, say). Only that check loses
          its points.
        - `not run: … stops the program on its reference cases` (in `swift test`): a
          piece you wrote stops the program; its tests are skipped so that the rest of
          the run goes on, and the `Course grade --only …` it names prints the message.

        ## How points are earned

        Each piece has checks in `Course grade`'s table: its outputs and gradients must
        match the reference cases (`Fixtures/cases`, and your instructor's hidden ones),
        and its backward pass must agree with finite differences of its forward pass.
        Part I task 2 and Part II task 2 train with your pieces and need the
        assignment's results: the LSTM at ≥ 99% test accuracy, a balanced GAN whose
        samples a digit classifier finds varied and digit-like. Only the files that
        hold pieces are graded: edits elsewhere (tests, the grading catalogue) are not
        part of your submission.

        ## Working in PyTorch instead

        If your course lets you write the pieces in PyTorch, `Scripts/pytorch/README.md`
        says which functions and modules to define; then

            python3 Scripts/pytorch/learn_answers.py mine.py --no-sandbox --out answers.json
            swift run -c release Course verify --answers answers.json

        checks them on the visible cases and shows the points those checks earn.
        (`--no-sandbox` because it is your own code on your own machine: your
        instructor's grader runs it as root, in a sandbox that sees nothing else.)

        """
}
