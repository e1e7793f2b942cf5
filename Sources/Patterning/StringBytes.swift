extension String {
    /// Whether every UTF-8 byte passes `test`, read from the string's storage in place: the
    /// generic `utf8.allSatisfy` steps through string indexes one byte at a time, several times
    /// slower on the short texts patterns and observables hold. (Matching uses it too.)
    @inlinable package func allBytes(_ test: (UInt8) -> Bool) -> Bool {
        utf8.withContiguousStorageIfAvailable { $0.allSatisfy(test) } ?? utf8.allSatisfy(test)
    }

    /// `body` applied to the string's UTF-8: lent in place where the storage is contiguous
    /// (native strings, with neither the copy nor the retain `withUTF8` needs a variable for),
    /// from a copy otherwise. (Matching and STIX read timestamps, ids and addresses this way.)
    @inlinable package func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return copy.withUTF8(body)
    }
}
