import Foundation
import TAXII
import Testing

@Suite("Credentials TAXII clients send")
struct CredentialsTests {
    @Test("Basic (token as password), Bearer and Token; anything else is no credential")
    func parse() {
        let basic = "Basic " + Data("sentinel:acc_secret".utf8).base64EncodedString()
        #expect(Credentials.secret(fromAuthorization: basic) == "acc_secret")
        #expect(Credentials.secret(fromAuthorization: "Bearer acc_secret") == "acc_secret")
        #expect(Credentials.secret(fromAuthorization: "Token acc_secret") == "acc_secret")
        #expect(Credentials.secret(fromAuthorization: "bearer  acc_secret ") == "acc_secret")
        for bad in [nil, "", "Bearer", "Basic !!!", "Basic " + Data("nopassword".utf8).base64EncodedString(),
                    "Basic " + Data("user:".utf8).base64EncodedString(), "Digest abc"] as [String?] {
            #expect(Credentials.secret(fromAuthorization: bad) == nil, "\(String(describing: bad))")
        }
    }
}
