import Evaluation
import Foundation
import MimamoriTesting
import Testing

/// The search-quality evaluation at a small scale, as a regression test: `make eval` runs
/// it at 100k records with the thresholds.
struct EvaluationTests {
    @Test("every variation class finds the true prior record, and negatives get no confident hit")
    func smallEvaluation() throws {
        let folder = TemporaryDirectory("mimamori-eval")
        let report = try SearchEvaluation(records: 3_000, seed: 3, queriesPerClass: 25, dictionaries: TestStore.dictionaries)
            .run(in: folder.url)
        // Modern names held out from the dictionaries, recorded without a reading: found only
        // where a dictionary or the per-kanji guess agrees with the family's reading; reported
        // (`make eval` at 100k), not held at this small scale.
        let notYetHeld: Set<EvaluationQuery.VariationClass> = [.heldOutNoReading]
        for figures in report.classes {
            #expect(figures.queries > 0, "no queries for \(figures.variation.rawValue)")
            guard !notYetHeld.contains(figures.variation) else { continue }
            #expect(figures.recallAtTen >= 0.92, "\(figures.variation.rawValue): recall@10 \(figures.recallAtTen); misses \(figures.misses)")
        }
        let exact = try #require(report.classes.first { $0.variation == .exactKanjiBirthdate })
        #expect(exact.recallAtOne >= 0.92)
        #expect(report.negativeQueries > 0)
        #expect(report.negativeConfidentRate <= 0.04, "\(report.text)")
        #expect(report.negativeAverageHits <= 5)
    }
}
