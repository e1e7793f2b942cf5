extension String {
    /// Whether every UTF-8 byte passes `test`, read from the string's storage in place: the
    /// generic `utf8.allSatisfy` steps through string indexes one byte at a time, several times
    /// slower on the short texts patterns and observables hold. (Matching uses it too.)
    @inlinable package func allBytes(_ test: (UInt8) -> Bool) -> Bool {
        utf8.withContiguousStorageIfAvailable { $0.allSatisfy(test) } ?? utf8.allSatisfy(test)
    }
}
