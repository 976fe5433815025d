import SecretsScan
import Testing

@Suite struct JWTTests {
    @Test func base64urlHelperMatchesRFC4648() {
        #expect(Fixture.base64url("") == "")
        #expect(Fixture.base64url("f") == "Zg")
        #expect(Fixture.base64url("fo") == "Zm8")
        #expect(Fixture.base64url("foo") == "Zm9v")
        #expect(Fixture.base64url("foob") == "Zm9vYg")
        #expect(Fixture.base64url(#"{"alg":"HS256","typ":"JWT"}"#) == "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9")
    }

    @Test(arguments: [
        Fixture.jwt(),
        Fixture.jwt(header: #"{"typ":"JWT","alg":"RS256","kid":"k1"}"#, signatureLength: 342, seed: 2),
        Fixture.jwt(header: #"{"alg" : "ES256" }"#, payload: #"{"iss":"https://issuer","exp":9999999999}"#, seed: 3),
        Fixture.jwt(header: "{\"typ\":\"JWT\",\n  \"alg\": \"EdDSA\"\n}", seed: 4),
    ])
    func findsTokensWhoseHeaderHasAnAlgorithm(_ jwt: String) {
        #expect(matches(jwt) == [Match("jwt", jwt)])
        #expect(matches("Authorization: Bearer \(jwt)\r\n") == [Match("jwt", jwt)])
        #expect(matches("{\"id_token\":\"\(jwt)\"}") == [Match("jwt", jwt)])
        #expect(matches("https://app/callback#access_token=\(jwt)&state=1") == [Match("jwt", jwt)])
    }

    @Test func position() {
        let jwt = Fixture.jwt(seed: 5)
        let text = "line one\nsession=\(jwt); Path=/\n"
        #expect(scan(text) == [Finding(rule: "jwt", confidence: .medium, start: 17, end: 17 + jwt.utf8.count,
                                       line: 2, column: 9, endLine: 2, endColumn: 9 + jwt.utf8.count)])
    }

    @Test(arguments: [
        Fixture.jwt(header: #"{"typ":"JWT"}"#),  // no "alg"
        Fixture.jwt(header: #"{"algorithm":"HS256"}"#),
        Fixture.jwt(header: #"["alg","HS256"]"#),  // not an object (and not eyJ)
        Fixture.jwt(header: #"{"alg":"HS256""#),  // not closed
        Fixture.jwt(payload: "not json"),  // payload does not start eyJ
        Fixture.jwt(signatureLength: 0),  // two segments
        Fixture.jwt(signatureLength: 1),  // a base64url length of 4n+1 is impossible
        Fixture.base64url(#"{"alg":"HS256"}"#) + "." + Fixture.base64url(#"{"a":1}"#),
        "x" + Fixture.jwt(),  // glued to a word
        "eyJ" + Fixture.random(40, Fixture.base64url, seed: 6) + "." + "eyJ" + Fixture.random(40, Fixture.base64url, seed: 7)
            + "." + Fixture.random(43, Fixture.base64url, seed: 8),  // random bytes, no JSON header
        "eyJhbGciOiJIUzI1NiJ9...",
    ])
    func rejectsWhatIsNoJWT(_ text: String) {
        #expect(matches(text).allSatisfy { $0.rule != "jwt" })
    }

    @Test func aJWTIsOneFindingEvenUnderATokenKey() {
        let jwt = Fixture.jwt(seed: 9)
        #expect(matches("access_token: \(jwt)\n") == [Match("jwt", jwt)])
        #expect(matches("\"token\": \"Bearer \(jwt)\"") == [Match("jwt", jwt)])
    }
}
