import Foundation
import STIX

/// Reads, parses and validates a bundle on a background thread while the store writes the
/// previous batches: the two cores of a small server each do half of an import.
///
/// Memory stays bounded: at most `queueDepth` batches wait between the two stages.
///
/// ```swift
/// let pipeline = BundlePipeline(source: try FileByteSource(path: "bundle.json"))
/// let report = try await store.ingest(from: pipeline, into: collection.id, options: .init())
/// ```
public final class BundlePipeline<Source: ByteSource>: IngestSource, @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [[PreparedElement]] = []
    private var finished = false
    private var cancelled = false
    private var failure: DocumentError?
    private var consumed = 0
    private var bytes = 0
    private var started = false
    private var reader: BundleReader<Source>?
    private let batchSize: Int
    private let queueDepth: Int
    private var preparer: ElementPreparer

    /// Creates a pipeline over `source`, validating against the extension definitions
    /// `extensions` (and those the document holds); reading starts with the first `nextBatch()`.
    public init(source: Source, extensions: ExtensionSchemas = ExtensionSchemas(), batchSize: Int = 512, queueDepth: Int = 8) {
        preparer = ElementPreparer(extensions: extensions)
        reader = BundleReader(source: source)
        self.batchSize = batchSize
        self.queueDepth = queueDepth
    }

    /// Bytes of input read so far (for progress).
    public var bytesRead: Int {
        condition.lock()
        defer { condition.unlock() }
        return bytes
    }

    public func nextBatch() throws -> [PreparedElement]? {
        condition.lock()
        defer { condition.unlock() }
        if !started {
            started = true
            let thread = Thread { [self] in produce() }
            thread.stackSize = 4 << 20
            thread.start()
        }
        while queue.isEmpty && !finished && failure == nil { condition.wait() }
        if let failure { throw failure }
        if queue.isEmpty { return nil }
        let batch = queue.removeFirst()
        condition.broadcast()
        return batch
    }

    /// Stops the producer (the consumer is done, or gave up) and drops queued batches.
    public func finish() {
        condition.lock()
        cancelled = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    private func produce() {
        guard var reader = self.reader else { return }
        self.reader = nil
        var preparer = self.preparer
        var batch: [PreparedElement] = []
        batch.reserveCapacity(batchSize)
        do throws(DocumentError) {
            while let element = try reader.next() {
                batch.append(preparer.prepare(element))
                if batch.count >= batchSize {
                    guard enqueue(batch, offset: reader.offset) else { return }
                    batch.removeAll(keepingCapacity: true)
                }
            }
            let headerIssues = ElementPreparer.checkHeader(shape: reader.shape, header: reader.header)
            if let issue = headerIssues.first {
                throw DocumentError(offset: reader.offset, elementIndex: nil, reason: "\(issue.path): \(issue.reason)")
            }
            if !batch.isEmpty, !enqueue(batch, offset: reader.offset) { return }
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        } catch {
            condition.lock()
            failure = error
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Hands a batch to the consumer, waiting while the queue is full; false once cancelled.
    private func enqueue(_ batch: [PreparedElement], offset: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= queueDepth && !cancelled { condition.wait() }
        if cancelled { return false }
        queue.append(batch)
        bytes = offset
        condition.broadcast()
        return true
    }
}
