import Hummingbird
import NIOCore

/// The request context of Accord's routes: Hummingbird's basic context plus the client's
/// address (for the failed-authentication limit and the logs).
public struct AccordRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connected client's address.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
