import Testing
@testable import SecretsUpstream

@Suite struct TokenRenewalTests {
    @Test func aRenewableTokenIsRenewedTwoThirdsThroughItsLife() {
        #expect(TokenRenewal.delay(ttlSeconds: 3600, renewable: true) == 2400)
        #expect(TokenRenewal.delay(ttlSeconds: 30, renewable: true) == 20)
        #expect(TokenRenewal.delay(ttlSeconds: 1, renewable: true) == 1, "never sooner than a second")
    }

    @Test func aTokenThatDoesNotExpireIsNeverRenewed() {
        #expect(TokenRenewal.delay(ttlSeconds: 0, renewable: false) == nil)
        #expect(TokenRenewal.delay(ttlSeconds: 0, renewable: true) == nil)
    }

    @Test func aTokenThatCannotBeRenewedIsReplacedShortlyBeforeItExpires() {
        #expect(TokenRenewal.delay(ttlSeconds: 3600, renewable: false) == 3570)
        #expect(TokenRenewal.delay(ttlSeconds: 60, renewable: false) == 54)
        #expect(TokenRenewal.delay(ttlSeconds: 2, renewable: false) == 2)
    }

    @Test func retriesBackOffExponentiallyUpToThirtySeconds() {
        #expect((1...8).map { TokenRenewal.retryDelay(failures: $0) } == [1, 2, 4, 8, 16, 30, 30, 30])
    }
}
