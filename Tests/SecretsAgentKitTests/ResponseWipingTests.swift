import Foundation
@testable import SecretsAgentKit
import SecretsProtocol
import Testing

/// After a reply is sent, the agent zeroes the secret bytes it carried in the buffer that
/// held them: a copy made before the wipe (sharing that buffer) sees zeros too.
@Suite struct ResponseWipingTests {
    static let zeros = Data(count: 40)

    @Test(arguments: [3, 14, 15, 40, 4096])
    func aGetValueIsZeroedInTheBufferThatHeldIt(length: Int) {
        var response = SecretsAgent_V1_Response()
        response.get.value = Data(repeating: 0x5a, count: length)
        let witness = response.get.value  // shares the buffer, if there is one
        response.wipeSecrets()
        #expect(response.get.value == Data(count: length))
        if length > 14 {  // a heap buffer (shorter values live inline in each copy)
            #expect(witness == Data(count: length), "the shared buffer itself was zeroed, not a copy of it")
        }
    }

    @Test func everyBatchValueIsZeroedInTheBufferThatHeldIt() {
        var response = SecretsAgent_V1_Response()
        var reply = SecretsAgent_V1_BatchGetReply()
        for byte in [UInt8(1), 2, 3] {
            var item = SecretsAgent_V1_GetReply()
            item.value = Data(repeating: byte, count: 40)
            reply.items.append(item)
        }
        response.batchGet = reply
        let witnesses = response.batchGet.items.map(\.value)
        response.wipeSecrets()
        #expect(response.batchGet.items.allSatisfy { $0.value == Self.zeros })
        #expect(witnesses.allSatisfy { $0 == Self.zeros })
    }

    @Test func aDerivedKeyIsZeroedInTheBufferThatHeldIt() {
        var response = SecretsAgent_V1_Response()
        response.derive.key = Data(repeating: 0x33, count: 40)
        let witness = response.derive.key
        response.wipeSecrets()
        #expect(response.derive.key == Self.zeros)
        #expect(witness == Self.zeros)
    }

    @Test func otherRepliesAreLeftAlone() {
        var response = SecretsAgent_V1_Response()
        response.requestID = 7
        response.status.locked = true
        let before = response
        response.wipeSecrets()
        #expect(response == before)
    }
}
