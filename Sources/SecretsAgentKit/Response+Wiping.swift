import Foundation
import SecretsProtocol
#if canImport(Glibc)
import Glibc
#endif

extension SecretsAgent_V1_Response {
    /// Zeroes the secret bytes this response carries (a get's value, a batch's values, a
    /// derived key) in the buffers that hold them. Called once the response is sent.
    ///
    /// Wiping through the oneof's accessors alone (`response.get.value.resetBytes(…)`) did
    /// not do it: the getter hands out a copy while the response still holds the payload,
    /// so `Data` copied on write, the copy was zeroed and the original bytes were freed
    /// intact. `Data.wipe()` zeroes the shared buffer itself.
    mutating func wipeSecrets() {
        switch result {
        case .get(var reply)?:
            result = nil  // so the payload is normally unique and nothing is copied
            reply.value.wipe()
            result = .get(reply)
        case .batchGet(var reply)?:
            result = nil
            for index in reply.items.indices { reply.items[index].value.wipe() }
            result = .batchGet(reply)
        case .derive(var reply)?:
            result = nil
            reply.key.wipe()
            result = .derive(reply)
        default:
            break
        }
    }
}

extension Data {
    /// Zeroes these bytes where they lie, whoever else shares them: first the buffer the
    /// bytes are in (heap storage is shared between copies of a `Data`), then the value's
    /// own bytes (a short `Data` keeps them inline, which the first step only sees a copy of).
    mutating func wipe() {
        withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return }
            explicit_bzero(UnsafeMutableRawPointer(mutating: base), raw.count)
        }
        withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return }
            explicit_bzero(base, raw.count)
        }
    }
}
