import SecretsCore
import Testing

@Suite struct SecretLimitsTests {
    @Test func limits() {
        #expect(SecretLimits.maxValueBytes == 65_536)
        #expect(SecretLimits.maxFrameBytes == 1_048_576)
        #expect(SecretLimits.versionsKept == 10)
    }

    @Test(arguments: [1, 2, 1024, 65_535, 65_536])
    func valuesOf1ByteTo64KiBAreAccepted(_ count: Int) throws {
        try SecretLimits.checkValueSize(count)
    }

    @Test func anEmptyValueIsRefused() {
        let error = #expect(throws: SecretsError.self) { try SecretLimits.checkValueSize(0) }
        #expect(error == .invalidArgument("value is empty (a value is 1 byte to 64 KiB)"))
    }

    @Test(arguments: [65_537, 1_048_576])
    func aValueOver64KiBIsRefused(_ count: Int) {
        let error = #expect(throws: SecretsError.self) { try SecretLimits.checkValueSize(count) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "value is \(count) bytes, over the 64 KiB limit (store large blobs elsewhere and keep their key here)")
    }
}
