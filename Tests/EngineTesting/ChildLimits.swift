import Foundation

/// The limits a fuzzing child process runs under: no input may take a minute or
/// gigabytes. A hang is ended by a 60-second alarm, unbounded memory by an 8 GiB
/// address-space limit; either kills the child and fails its exit test.
public func limitFuzzingChild() {
    alarm(60)
    var limit = rlimit(rlim_cur: 8 << 30, rlim_max: 8 << 30)
    setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
}
