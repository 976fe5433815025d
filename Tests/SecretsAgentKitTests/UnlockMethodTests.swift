import SecretsAgentKit
import SecretsCrypto
import SecretsStore
import Testing

@Suite struct UnlockMethodTests {
    @Test func eachMethodOpensTheSlotKindOfItsName() {
        #expect(UnlockMethod.passphrase(SecureBytes(count: 1)).slotKind == "passphrase")
        #expect(UnlockMethod.keyFile(SecureBytes(count: 1)).slotKind == "key-file")
        #expect(UnlockMethod.systemdCredential(SecureBytes(count: 1)).slotKind == "systemd-credential")
    }

    @Test func theKindsAreTheOnesTheStoreAccepts() {
        let kinds = [UnlockMethod.passphrase(SecureBytes(count: 1)), .keyFile(SecureBytes(count: 1)),
                     .systemdCredential(SecureBytes(count: 1))].map(\.slotKind)
        #expect(kinds == KeyslotRecord.kinds)
    }
}
