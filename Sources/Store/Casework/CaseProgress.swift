/// The 要保護児童対策地域協議会 (要対協) category a case is registered under.
package enum SupportCategory: String, Vocabulary {
    /// 要保護児童: a child whom the guardian does not care for properly, or should not.
    case protected
    /// 要支援児童: a child whose care needs support.
    case support
    /// 特定妊婦: an expectant mother who needs support before the birth.
    case expectant
    package static let labels: [SupportCategory: String] = [.protected: "要保護児童", .support: "要支援児童", .expectant: "特定妊婦"]
    package static let aliases: [String: SupportCategory] = ["要保護児童": .protected, "要支援児童": .support, "特定妊婦": .expectant]
}

/// How urgent the holder judges a case (緊急度).
package enum RiskLevel: String, Vocabulary {
    case low, medium, high, critical
    package static let labels: [RiskLevel: String] = [.low: "低", .medium: "中", .high: "高", .critical: "最重度"]
    package static let aliases: [String: RiskLevel] = ["低": .low, "中": .medium, "高": .high, "最重度": .critical]
}

/// The holder's progress management of a case (進行管理): who is in charge, the 要対協
/// category, the support plan and when the case is next reviewed. Kept beside the record, in
/// the case's partition, and moved with the case; only the holder changes it.
package struct CaseProgress: Codable, Hashable, Sendable {
    package var category: SupportCategory?
    /// The login of the holder's user in charge (担当者).
    package var assignee: String?
    package var risk: RiskLevel?
    /// 次回確認日, `YYYY-MM-DD`.
    package var nextReview: String?
    /// 支援方針: the current support plan; earlier ones are in `CaseWork.planHistory`.
    package var plan: String?
    package var updatedAt: String?
    package var updatedBy: String?

    package init(
        category: SupportCategory? = nil, assignee: String? = nil, risk: RiskLevel? = nil, nextReview: String? = nil,
        plan: String? = nil, updatedAt: String? = nil, updatedBy: String? = nil
    ) {
        self.category = category
        self.assignee = assignee
        self.risk = risk
        self.nextReview = nextReview
        self.plan = plan
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    enum CodingKeys: String, CodingKey {
        case category, assignee, risk, plan
        case nextReview = "next_review", updatedAt = "updated_at", updatedBy = "updated_by"
    }

    /// The names of the members that differ from `other` (for the audit log: names, never values).
    func changedFields(from other: CaseProgress) -> [String] {
        var changed: [String] = []
        if category != other.category { changed.append("category") }
        if assignee != other.assignee { changed.append("assignee") }
        if risk != other.risk { changed.append("risk") }
        if nextReview != other.nextReview { changed.append("next_review") }
        if plan != other.plan { changed.append("plan") }
        return changed
    }
}

/// One support plan as it was set: who set it and when.
package struct PlanEntry: Codable, Hashable, Sendable {
    package var at: String
    package var author: String
    package var authority: String
    package var plan: String

    package init(at: String, author: String, authority: String, plan: String) {
        self.at = at
        self.author = author
        self.authority = authority
        self.plan = plan
    }
}
