import Store

extension UploadProblem {
    /// Why the file was refused and what to do, in Japanese (pages; the API answers the
    /// Store's English description).
    var japanese: String {
        switch self {
        case .unrecognised:
            "このファイルは画像（PNG・JPEG・WebP）またはPDFではありません。ファイルの中身を確認してください。"
        case .declaredType(let declared, let actual):
            "ファイルの種類が内容と一致しません（\(declared.prefix(40))とされていますが、内容は\(actual.rawValue)です）。"
        case .unreadableImage(let kind):
            "この\(kind.name)画像は壊れているか途中で切れているため、読み取れません。元の画像を保存し直してから選んでください。"
        case .imageTooLarge(_, let width, let height):
            "画像の画素数が多すぎます（\(width)×\(height)）。4000万画素（例: 8000×5000）以内、一辺\(UploadInspection.maxImageSide)画素以内に縮小してから選んでください。"
        case .animatedImage:
            "動く画像（アニメーション）は添付できません。静止画を選んでください。"
        case .unreadablePDF:
            "このPDFは壊れているか形式に誤りがあるため、読み取れません。作成したソフトで保存し直すか、「PDFに印刷」で作り直してから選んでください。"
        case .encryptedPDF:
            "暗号化（パスワード保護）されたPDFは添付できません。保護を解除したPDFを選んでください。"
        case .activePDF(let content, let found):
            "このPDFには\(content.japanese(found))が含まれているため、安全のため添付できません。「PDFに印刷」で作り直したPDFを選んでください。"
        case .complexPDF:
            "このPDFは構造が大きすぎるため確認できません。「PDFに印刷」で作り直すか、分割してから選んでください。"
        case .beyondLimits(let kind):
            kind == .pdf
                ? "このPDFは確認に必要なメモリや時間が上限を超えるため、受け付けられません。「PDFに印刷」で作り直すか、分割してから選んでください。"
                : "この画像は確認に必要なメモリや時間が上限を超えるため、受け付けられません。画像を縮小してから選んでください。"
        case .notInspected:
            "ただいまファイルを確認できません。しばらくしてからもう一度お試しください。"
        }
    }
}

extension PDFActiveContent {
    /// What was found, in Japanese (`found` is the PDF's own name for it, e.g. "/S /SubmitForm").
    func japanese(_ found: String) -> String {
        switch self {
        case .javaScript: "JavaScript（スクリプト）"
        case .automaticAction: "自動で実行される動作（/AA）"
        case .openAction: "開いたときに実行される動作（/OpenAction）"
        case .launch: "プログラムやファイルを起動する動作（/Launch）"
        case .otherAction: "許可されていない動作（\(found.prefix(40))）"
        case .localLink: "ウェブやメール以外（ファイルなど）へのリンク"
        case .embeddedFile: "埋め込みファイル"
        case .xfa: "XFAフォーム"
        case .multimedia: "動画・音声・3Dなどのマルチメディア"
        }
    }
}
