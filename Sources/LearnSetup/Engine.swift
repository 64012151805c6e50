/// LearnSetup stands on `LearnEngine` (matrices, random numbers, codecs), which it
/// re-exports, as Learn re-exports LearnSetup: `import Learn` brings all three.
@_exported import LearnEngine
