import SecretsScan
import Testing

@Suite struct GitHubChecksumTests {
    @Test func helperAgreesWithZlib() {
        // zlib.crc32(b"123456789") == 0xCBF43926 (the CRC-32 check value).
        #expect(Fixture.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Fixture.base62(0) == "000000")
        #expect(Fixture.base62(61) == "00000z")
        #expect(Fixture.base62(62) == "000010")
        #expect(Fixture.base62(0xFFFF_FFFF) == "4gfFC3")
    }

    @Test(arguments: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], 0..<8)
    func validChecksumsAreFound(_ prefix: String, _ seed: Int) {
        let token = Fixture.githubToken(prefix, seed: 600 + UInt64(seed))
        #expect(matches(token).map(\.text) == [token])
    }

    @Test(arguments: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"])
    func wrongChecksumsAreRejected(_ prefix: String) {
        let token = Fixture.githubToken(prefix, seed: 610)
        let body = Array(token.dropFirst(4))
        // Any one character changed, in the random part or in the checksum.
        for position in [0, 7, 29, 30, 33, 35] {
            var changed = body
            changed[position] = changed[position] == "Q" ? "R" : "Q"
            #expect(matches(prefix + String(changed)) == [], "changed at \(position)")
        }
        // A checksum of the prefixed token, or of the wrong 30 characters, does not verify.
        let random = String(body.prefix(30))
        #expect(matches(prefix + random + Fixture.base62(Fixture.crc32(Array((prefix + random).utf8)))) == [])
        #expect(matches(prefix + String(body.dropFirst().prefix(30)) + String(body.suffix(5))) == [])
        // A well-formed random token almost never has a valid checksum.
        for seed in UInt64(0)..<50 {
            #expect(matches(prefix + Fixture.random(36, Fixture.alnum, seed: 620 + seed)) == [])
        }
    }

    @Test func aChecksumWithLeadingZeroes() {
        // Search a random part whose CRC is small, so the checksum is padded with 0.
        var seed: UInt64 = 700
        var random = Fixture.random(30, Fixture.alnum, seed: seed)
        while Fixture.crc32(Array(random.utf8)) >= 62 * 62 * 62 * 62 * 62 {
            seed += 1
            random = Fixture.random(30, Fixture.alnum, seed: seed)
        }
        let token = Fixture.githubToken("ghp_", random: random)
        #expect(token.dropFirst(34).first == "0")
        #expect(matches(token) == [Match("github-pat", token)])
    }
}
