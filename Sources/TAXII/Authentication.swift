import Foundation
import Store

/// Reads the credentials TAXII clients send: HTTP Basic (any user name, the token as password;
/// Microsoft Sentinel's only option), `Authorization: Bearer <token>` and taxii2-client's
/// `Authorization: Token <token>`.
public enum Credentials {
    /// The token secret in an Authorization header, or nil when there is none or it is malformed.
    public static func secret(fromAuthorization header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        let value = String(parts[1]).trimmingSpaces
        switch parts[0].lowercased() {
        case "bearer", "token":
            return value.isEmpty ? nil : value
        case "basic":
            guard let data = Data(base64Encoded: value), let decoded = String(data: data, encoding: .utf8),
                  let colon = decoded.firstIndex(of: ":") else { return nil }
            let password = String(decoded[decoded.index(after: colon)...])
            return password.isEmpty ? nil : password
        default:
            return nil
        }
    }
}
