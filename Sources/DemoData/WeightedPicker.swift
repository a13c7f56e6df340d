/// Draws indices with probability proportional to integer weights, in O(log n) per draw.
struct WeightedPicker: Sendable {
    /// Running totals: `cumulative[i]` is the sum of the weights of `0...i`.
    private let cumulative: [UInt64]

    /// - Parameter weights: one non-negative weight per index; their sum must be positive.
    init(weights: [UInt64]) {
        var total: UInt64 = 0
        cumulative = weights.map { weight in
            total += weight
            return total
        }
        precondition(total > 0, "WeightedPicker needs at least one positive weight")
    }

    var count: Int { cumulative.count }

    /// An index drawn with probability proportional to its weight.
    func draw(_ random: inout SeededRandom) -> Int {
        let total = cumulative[cumulative.count - 1]
        let target = UInt64(random.below(Int(total)))  // 0..<total
        // The first index whose running total exceeds the target.
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

/// Values paired with weights, drawn proportionally.
struct WeightedTable<Value: Sendable>: Sendable {
    let values: [Value]
    private let picker: WeightedPicker

    init(_ entries: [(Value, UInt64)]) {
        values = entries.map(\.0)
        picker = WeightedPicker(weights: entries.map(\.1))
    }

    func draw(_ random: inout SeededRandom) -> Value {
        values[picker.draw(&random)]
    }
}
