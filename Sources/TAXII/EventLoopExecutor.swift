import NIOCore
import NIOPosix

/// A task executor that runs each job on the NIO event loop that scheduled it, so a request
/// handler runs on its connection's own thread from the socket read to the response write.
///
/// Without it every request crosses threads twice (event loop to the concurrency pool and
/// back), and on a two-core machine those wake-ups cost more than serving a page. Handlers
/// here do short synchronous work (a SQLite read of a page), which an event loop can afford;
/// long work (ingest) already runs on its own threads.
///
/// ```swift
/// try await EventLoopExecutor.shared.run { try await application.runService() }
/// ```
public final class EventLoopExecutor: TaskExecutor, @unchecked Sendable {
    /// The executor over Hummingbird's default event loops.
    public static let shared = EventLoopExecutor(group: MultiThreadedEventLoopGroup.singleton)

    private let group: MultiThreadedEventLoopGroup

    /// Creates an executor over `group`'s loops.
    public init(group: MultiThreadedEventLoopGroup) {
        self.group = group
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        // Jobs woken from an event loop stay there; jobs woken elsewhere (a database queue)
        // go to the loops in turn.
        let loop = MultiThreadedEventLoopGroup.currentEventLoop ?? group.next()
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Runs `body`; the tasks it starts in task groups (one per connection in Hummingbird)
    /// prefer this executor.
    public func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(self) { try await body() }
    }
}
