import Foundation
import HTTPTypes
import Logging
import NIOCore
import Metrics
import NIOHTTPTypes

/// Answers plain `GET …/collections/{id}/objects/` requests straight from the connection's
/// event loop, in front of Hummingbird's asynchronous request handling.
///
/// Polling clients send these requests more than all others together, and the asynchronous
/// channel costs about as much as reading the page. The handler answers only the plain
/// success case and hands everything else, untouched and in order, to the normal routes:
/// other paths and methods, any Accept other than the exact TAXII type, a request body, a
/// `Connection` header, a filter the routes would reject, a bad token, an unknown or hidden
/// collection, and any request that arrives while an earlier one on the same connection is
/// still being answered by the routes (so pipelined responses keep their order). Both paths
/// build the body and headers with the same code (`TAXIIResponse`), log the same line and
/// count the same metrics.
final class ObjectsFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The page for a request, or nil to leave it to the routes.
    typealias Answer = @Sendable (_ path: Substring, _ query: Substring?, _ authorization: String, _ address: String?) -> (HTTPFields, ByteBuffer)?

    private let answer: Answer
    private let logger: Logger
    /// A GET head held until its end arrives (then answered here or passed on).
    private var held: HTTPRequest?
    /// Requests passed to the routes whose response has not ended yet.
    private var outstanding = 0
    private var date = (second: 0, text: "")

    init(answer: @escaping Answer, logger: Logger) {
        self.answer = answer
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if outstanding == 0, Self.isCandidate(head) {
                held = head
                return
            }
            outstanding += 1
            context.fireChannelRead(data)
        case .body:
            passHeld(context)
            context.fireChannelRead(data)
        case .end:
            if let head = held {
                held = nil
                if let response = respond(head, address: context.channel.remoteAddress?.ipAddress) {
                    context.write(wrapOutboundOut(.head(response.head)), promise: nil)
                    context.write(wrapOutboundOut(.body(response.body)), promise: nil)
                    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                    return
                }
                outstanding += 1
                context.fireChannelRead(wrapInboundOut(.head(head)))
            }
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), outstanding > 0 { outstanding -= 1 }
        context.write(data, promise: promise)
    }

    /// Hands a held head to the routes (a GET with a body is theirs to judge).
    private func passHeld(_ context: ChannelHandlerContext) {
        guard let head = held else { return }
        held = nil
        outstanding += 1
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    /// The path shape, method and headers this handler may answer.
    static func isCandidate(_ head: HTTPRequest) -> Bool {
        guard head.method == .get, let path = head.path, path.utf8.starts(with: prefix),
              head.headerFields[.accept] == MediaTypes.taxii, head.headerFields[.authorization] != nil,
              head.headerFields[.connection] == nil else { return false }
        // `{key}/objects` or `{key}/objects/`, then the end or a query: scanned without copies.
        let rest = path.utf8.dropFirst(prefix.count).prefix { $0 != UInt8(ascii: "?") }
        guard let slash = rest.firstIndex(of: UInt8(ascii: "/")), slash != rest.startIndex else { return false }
        let tail = rest[rest.index(after: slash)...]
        return tail.elementsEqual("objects".utf8) || tail.elementsEqual("objects/".utf8)
    }

    private static let prefix = Array("/api/collections/".utf8)

    private func respond(_ head: HTTPRequest, address: String?) -> (head: HTTPResponse, body: ByteBuffer)? {
        let start = DispatchTime.now().uptimeNanoseconds
        guard let path = head.path, let authorization = head.headerFields[.authorization] else { return nil }
        let parts = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard let (fields, body) = answer(parts[0], parts.count > 1 ? parts[1] : nil, authorization, address) else { return nil }
        var headers = fields
        headers[.server] = "Accord"
        headers[.date] = httpDate()
        logger.info("Request", metadata: ["hb.request.path": .string(path), "hb.request.method": .string("GET")])
        FastPathMetrics.served(nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
        return (HTTPResponse(status: .ok, headerFields: headers), body)
    }

    /// The `Date` header (RFC 9110 IMF-fixdate), formatted once a second per connection.
    private func httpDate() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let second = Int(now.tv_sec)
        if second != date.second {
            var t = time_t(second)
            var parts = tm()
            gmtime_r(&t, &parts)
            let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"], months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
            date = (second, "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT")
        }
        return date.text
    }
}

/// The request metrics of answers given by `ObjectsFastPath`, under the labels and dimensions
/// Hummingbird's `MetricsMiddleware` uses for the same route, so `/metrics` counts every
/// request once whichever path served it.
enum FastPathMetrics {
    private static let dimensions = [
        ("http.route", "/api/collections/{collection}/objects"), ("http.request.method", "GET"), ("http.response.status_code", "200"),
    ]
    private static let counter = Counter(label: "hb.requests", dimensions: dimensions)
    private static let timer = Metrics.Timer(label: "http.server.request.duration", dimensions: dimensions, preferredDisplayUnit: .seconds)

    static func served(nanoseconds: UInt64) {
        counter.increment()
        timer.recordNanoseconds(nanoseconds)
    }
}
