/// Learn stands on ``LearnEngine``: matrices and their kernels, threads, file codecs
/// and checkpoint encoding. Importing Learn imports the engine too, so a training loop
/// of your own needs only `import Learn`.
///
/// The engine is a separate module so that editing a piece recompiles only this one:
/// nothing a piece's body says can change the engine, or what the modules above see.
@_exported import LearnEngine
