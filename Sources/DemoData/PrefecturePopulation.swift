/// Approximate population of each prefecture in units of 10,000 (2020 census, rounded), used
/// to spread cases over Japan: 東京 (13) is the heaviest, 鳥取 (31) the lightest.
///
/// Within a prefecture the census figures of municipalities are not in the dictionaries, so
/// `MunicipalityWeight` stands in for them.
enum PrefecturePopulation {
    static let tenThousands: [String: Int] = [
        "01": 522, "02": 124, "03": 121, "04": 230, "05": 96, "06": 107, "07": 183, "08": 287,
        "09": 193, "10": 194, "11": 734, "12": 628, "13": 1405, "14": 924, "15": 220, "16": 103,
        "17": 113, "18": 77, "19": 81, "20": 205, "21": 198, "22": 363, "23": 754, "24": 177,
        "25": 141, "26": 258, "27": 884, "28": 547, "29": 132, "30": 92, "31": 55, "32": 67,
        "33": 189, "34": 280, "35": 134, "36": 72, "37": 95, "38": 133, "39": 69, "40": 514,
        "41": 81, "42": 131, "43": 174, "44": 112, "45": 107, "46": 159, "47": 147,
    ]
}

/// A municipality's share of its prefecture's cases, in units of 14,000 people: the 2020
/// population of each designated city (政令指定都市), else a typical population for its kind —
/// a Tokyo special ward (420,000), a city (110,000), a town (14,000), a village (4,000).
enum MunicipalityWeight {
    /// Population in units of 10,000 of the 20 designated cities, by municipality code.
    private static let designatedCities: [String: Double] = [
        "011002": 197, "041009": 110, "111007": 132, "121002": 98, "141003": 378, "141305": 154,
        "141500": 73, "151009": 79, "221007": 69, "221309": 79, "231002": 233, "261009": 146,
        "271004": 275, "271403": 83, "281000": 153, "331007": 72, "341002": 120, "401005": 94,
        "401307": 161, "431001": 74,
    ]

    /// - Parameters:
    ///   - code: the 6-digit municipality code. Other codes whose 3-digit municipal part lies in
    ///     100–199 are Tokyo's special wards (a designated city's wards are not authorities).
    ///   - name: the municipality's name, whose last character says city, ward, town or village.
    static func of(code: String, name: String) -> Double {
        if let population = designatedCities[code] { return population / 1.4 }
        let digits = Array(code.utf8)
        let municipal = digits.count == 6 ? Int(digits[2] - 48) * 100 + Int(digits[3] - 48) * 10 + Int(digits[4] - 48) : 0
        if (100...199).contains(municipal) { return code.hasPrefix("13") ? 30 : 100 }
        switch name.last {
        case "市": return 8
        case "区": return 30
        case "町": return 1
        case "村": return 0.3
        default: return 1
        }
    }
}
