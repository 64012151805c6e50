/// Learn stands on two modules a student reads but never edits, and re-exports both,
/// so a training loop of your own needs only `import Learn`:
///
/// - `LearnSetup`: what a training run is given and gives back — its datasets, its
///   options (checked before it starts) and its records;
/// - `LearnEngine`: matrices and their kernels, threads, file codecs and checkpoint
///   encoding.
///
/// They are separate modules so that editing a piece recompiles only this one: nothing
/// a piece's body says can change them, or what the modules above see.
@_exported import LearnEngine
@_exported import LearnSetup
