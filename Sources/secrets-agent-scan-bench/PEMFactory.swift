/// Random PEM, OpenSSH and PGP private-key blocks (and public ones, as hard negatives).
/// Bodies start with the DER or wire prefix a real key of that kind has, then random bytes
/// of a realistic length.
enum PEMFactory {
    static func block(for rule: String, _ rng: inout SplitMix64) -> String {
        switch rule {
        case "openssh-private-key": return openSSH(&rng)
        case "pgp-private-key": return pgp(&rng)
        default:
            switch rng.below(4) {
            case 0: return pem("RSA PRIVATE KEY", prefix: [0x30, 0x82, 0x04, 0xA4, 0x02, 0x01, 0x00, 0x02, 0x82, 0x01, 0x01, 0x00], count: 1_180, &rng)
            case 1: return ec(&rng)
            case 2: return pkcs8(&rng)
            default:
                return pem("ENCRYPTED PRIVATE KEY", prefix: [0x30, 0x82, 0x05, 0x0E, 0x30, 0x40, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0D],
                           count: 1_285, &rng)
            }
        }
    }

    /// An unencrypted PKCS#8 RSA key (`BEGIN PRIVATE KEY`), as in service-account keys.
    static func pkcs8(_ rng: inout SplitMix64) -> String {
        pem("PRIVATE KEY", prefix: [0x30, 0x82, 0x04, 0xBE, 0x02, 0x01, 0x00, 0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7,
                                    0x0D, 0x01, 0x01, 0x01, 0x05, 0x00, 0x04, 0x82, 0x04, 0xA8], count: 1_190, &rng)
    }

    static func ec(_ rng: inout SplitMix64) -> String {
        let der: [UInt8] = [0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20] + rng.bytes(32)
            + [0xA0, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07, 0xA1, 0x44, 0x03, 0x42, 0x00, 0x04] + rng.bytes(64)
        return armor("EC PRIVATE KEY", Alphabet.base64Encoded(der), width: 64)
    }

    static func openSSH(_ rng: inout SplitMix64) -> String {
        let magic = Array("openssh-key-v1".utf8) + [0]
        let body = magic + [0, 0, 0, 4] + Array("none".utf8) + [0, 0, 0, 4] + Array("none".utf8) + rng.bytes(rng.chance(70) ? 380 : 1_800)
        return armor("OPENSSH PRIVATE KEY", Alphabet.base64Encoded(body), width: 70)
    }

    static func pgp(_ rng: inout SplitMix64) -> String {
        let body = Alphabet.base64Encoded([0x95, 0x05, 0x86, 0x04] + rng.bytes(rng.int(in: 900...2_400)))
        var lines = ["-----BEGIN PGP PRIVATE KEY BLOCK-----"]
        if rng.chance(30) { lines.append("Comment: \(rng.pick(Vocabulary.people)) signing key") }
        lines.append("")
        lines += wrap(body, 64)
        lines.append("=" + Alphabet.base64Encoded(rng.bytes(3)))
        lines.append("-----END PGP PRIVATE KEY BLOCK-----")
        return lines.joined(separator: "\n")
    }

    /// A public key, certificate or PGP public block: PEM-shaped, not a secret.
    static func publicBlock(_ rng: inout SplitMix64) -> String {
        switch rng.below(3) {
        case 0:
            return pem("PUBLIC KEY", prefix: [0x30, 0x82, 0x01, 0x22, 0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00],
                       count: 270, &rng)
        case 1:
            return pem("CERTIFICATE", prefix: [0x30, 0x82, 0x03, 0x55, 0x30, 0x82, 0x02, 0x3D, 0xA0, 0x03, 0x02, 0x01, 0x02], count: 840, &rng)
        default:
            let body = Alphabet.base64Encoded([0x99, 0x01, 0x0D, 0x04] + rng.bytes(rng.int(in: 400...1_000)))
            return (["-----BEGIN PGP PUBLIC KEY BLOCK-----", ""] + wrap(body, 64)
                    + ["=" + Alphabet.base64Encoded(rng.bytes(3)), "-----END PGP PUBLIC KEY BLOCK-----"]).joined(separator: "\n")
        }
    }

    private static func pem(_ label: String, prefix: [UInt8], count: Int, _ rng: inout SplitMix64) -> String {
        armor(label, Alphabet.base64Encoded(prefix + rng.bytes(count)), width: 64)
    }

    private static func armor(_ label: String, _ base64: String, width: Int) -> String {
        (["-----BEGIN \(label)-----"] + wrap(base64, width) + ["-----END \(label)-----"]).joined(separator: "\n")
    }

    static func wrap(_ text: String, _ width: Int) -> [String] {
        let bytes = Array(text.utf8)
        return stride(from: 0, to: bytes.count, by: width).map {
            String(decoding: bytes[$0..<min($0 + width, bytes.count)], as: UTF8.self)
        }
    }
}
