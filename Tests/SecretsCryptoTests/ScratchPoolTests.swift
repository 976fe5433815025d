import Dispatch
import Glibc
@testable import SecretsCrypto
import Synchronization
import Testing

@Suite struct ScratchPoolTests {
    /// Sixteen threads on four slots: no two ever hold the same memory at once (each fills
    /// its scratch with its own byte and finds it intact after yielding), every scratch
    /// is lent zeroed, and every slot comes back.
    @Test func concurrentBorrowersNeverShareAndAlwaysGetZeroedMemory() {
        let pool = ScratchPool(slotCount: 4, slotByteCount: 256)
        let problems = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 16) { thread in
            let mark = UInt8(thread + 1)
            for _ in 0..<2_000 {
                pool.withScratch(byteCount: 256) { scratch in
                    if scratch.contains(where: { $0 != 0 }) { problems.add(1, ordering: .relaxed) }
                    for index in scratch.indices { scratch[index] = mark }
                    for _ in 0..<10 { sched_yield() }
                    if scratch.contains(where: { $0 != mark }) { problems.add(1, ordering: .relaxed) }
                }
            }
        }
        #expect(problems.load(ordering: .relaxed) == 0)
        #expect(pool.lentCount == 0)
    }

    @Test func aRequestLargerThanASlotOrMadeWhileAllAreLentGetsItsOwnMemory() {
        let pool = ScratchPool(slotCount: 1, slotByteCount: 16)
        pool.withScratch(byteCount: 16) { outer in
            #expect(pool.lentCount == 1)
            outer[0] = 7
            pool.withScratch(byteCount: 16) { inner in
                #expect(inner.allSatisfy { $0 == 0 }, "not the lent slot")
                #expect(inner.baseAddress != outer.baseAddress)
            }
            #expect(outer[0] == 7)
        }
        #expect(pool.lentCount == 0)
        pool.withScratch(byteCount: 17) { big in #expect(big.count == 17 && pool.lentCount == 0) }
    }
}
