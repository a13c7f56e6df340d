#!/usr/bin/env python3
"""Writes dictionaries/foreign-names.tsv: Latin spellings <-> katakana transcriptions of names
common among foreign residents of Japan (China, Viet Nam, Korea, the Philippines, Brazil,
Nepal, Indonesia, Peru, and English-speaking countries).

Source: the table below, written by hand from general knowledge of how these names are
spelled on residence cards and passports and transcribed into katakana in Japanese
administrative use and media. No list or database was copied, so no third-party licence
applies. Extend the table and re-run: python3 scripts/gen_foreign_names.py

Each row: Latin spellings (|), katakana transcriptions (|, the usual one first), origins.
Rows that share a spelling are different names written alike (PHAM and PHAN both appear as
ファン): the search treats every transcription in a row as the same name, at most a `likely`
match, so a row must list only spellings that really stand for that name.
"""
import os
import sys

TABLE = """
# Viet Nam: family names
NGUYEN|NGUYỄN	グエン|グェン|ニュエン|グウェン|ウェン|ングエン	VN
TRAN|TRẦN	チャン|トラン|チャーン	VN
LE|LÊ	レ|レー	VN
PHAM|PHẠM	ファム|ファン|ファーム	VN
PHAN	ファン	VN
HOANG|HUYNH|HOÀNG|HUỲNH	ホアン|ホァン|フォアン|フイン|ホアング	VN
VU|VO|VŨ|VÕ	ヴー|ブー|ヴォー|ボー|ヴ|ボ	VN
DANG|ĐẶNG	ダン|ダング	VN
BUI|BÙI	ブイ|ブーイ	VN
DO|ĐỖ	ドー|ド	VN
NGO|NGÔ	ゴー|ゴ|ンゴ	VN
DUONG|DƯƠNG	ズオン|ユオン	VN
LY|LÝ	リー|リ	VN
TRUONG|TRƯƠNG	チュオン|トゥルオン	VN
DINH|ĐINH	ディン|ジン	VN
# Viet Nam: given names
AN	アン	VN
MINH	ミン|ミーン	VN
DUC|ĐỨC	ドゥック|ドゥク|ズック|ドック	VN
HUNG|HÙNG	フン|フング	VN
KHANG	カン|カング|クァン	VN
BAO|BẢO	バオ	VN
NAM	ナム	VN
QUANG	クアン|クァン|クワン	VN
LINH	リン|リーン	VN
THAO|THẢO	タオ|タオー	VN
HUONG|HƯƠNG	フオン|フォン|フーン|フオング	VN
MAI	マイ	VN
NGOC|NGỌC	ゴック|ゴク|ンゴック|ゴォック	VN
TRANG	チャン|トラン|チャング	VN
VY	ヴィー|ビー|ヴィ	VN
ANH	アイン|アン|アィン	VN
TUAN|TUẤN	トゥアン|トアン|ツアン	VN
THANH	タイン|タン|ターン	VN
HOA	ホア	VN
# China (pinyin): family names
WANG	ワン|ワング	CN
LI	リー|リ	CN
ZHANG	チャン|ジャン|ザン	CN
LIU	リュウ|リウ|リュー	CN
CHEN	チェン|チン|チエン	CN
YANG	ヤン|ヤング	CN
ZHAO	チャオ|ジャオ|ザオ	CN
HUANG	ホアン|フアン|ホワン	CN
ZHOU	ジョウ|チョウ|ゾウ|ジョー	CN
WU	ウー|ウ	CN
XU	シュー|シュ|スー	CN
SUN	スン|ソン	CN
MA	マー|マ	CN
ZHU	ジュー|チュー|ズー	CN
HU	フー|フ	CN
GUO	グオ|クオ	CN
LIN	リン	CN
HE	ホー|ハー|フー	CN
GAO	ガオ|カオ	CN
# China (pinyin): given names
WEI	ウェイ|ウエイ|ウェー	CN
HAOYU	ハオユー|ハオユ	CN
ZIXUAN	ズーシュエン|ズーシュアン|ジーシュエン	CN
JUNJIE	ジュンジエ|ジュンジェ|チュンチエ	CN
MING	ミン|ミング	CN
YUHANG	ユーハン|ユハン	CN
FANG	ファン|ファング|ファーン	CN
ZIHAN	ズーハン|ジーハン|ツーハン	CN
XINYI	シンイー|シンイ|シンイイ	CN
JING	ジン|チン|ジング	CN
YUHAN	ユーハン|ユハン	CN
YUXUAN	ユーシュエン|ユーシュアン	CN
HAORAN	ハオラン|ハオラーン	CN
YUTONG	ユートン|ユートン	CN
# Korea (Revised Romanization and common passport spellings)
KIM|GIM	キム	KR
LEE|YI|RHEE|RI	イ|リ|リー|イー	KR
PARK|PAK|BAK	パク|パーク|バク	KR
CHOI|CHOE	チェ|チョイ|チェー	KR
JUNG|JEONG|CHUNG	チョン|ジョン|チュン	KR
KANG|GANG	カン|カング	KR
YOON|YUN	ユン|ユーン	KR
CHO|JO	チョ|チョー|ジョ	KR
LIM|IM	イム|リム	KR
HAN	ハン	KR
SHIN|SIN	シン	KR
MINJUN|MIN-JUN	ミンジュン|ミンジューン	KR
JIHU|JI-HU	ジフ|ジフー|チフ	KR
DOYUN|DO-YUN	ドユン|トユン	KR
JUNWOO|JUN-WOO|JUNU	ジュヌ|ジュンウ|ジュンウー	KR
HYUNWOO|HYUN-WOO|HYEONU	ヒョヌ|ヒョンウ|ヒョンウー	KR
SEOYEON|SEO-YEON	ソヨン|ソヨーン|ソヨン	KR
SUBIN|SU-BIN	スビン|スービン	KR
HAEUN|HA-EUN	ハウン|ハウン|ハエウン	KR
JIWOO|JI-WOO|JIU	ジウ|ジウー|チウ	KR
MINSEO|MIN-SEO	ミンソ|ミンソー	KR
# The Philippines, Peru, other Spanish names
SANTOS	サントス|サントース	PH BR
REYES	レイエス|レジェス|レイェス|レエス	PH PE
CRUZ	クルス|クルーズ|クルズ	PH PE
BAUTISTA	バウティスタ|バウチスタ|バティスタ	PH
GARCIA|GARCÍA	ガルシア|ガーシア|ガルシーア|ガルシャ	PH PE
MENDOZA	メンドーサ|メンドサ|メンドーザ|メンドザ	PH PE
RAMOS	ラモス|ラモース	PH PE BR
TORRES	トーレス|トレス	PH PE
FLORES	フローレス|フロレス	PE PH
GONZALES|GONZALEZ|GONZÁLEZ	ゴンザレス|ゴンサレス	PE PH
RODRIGUEZ|RODRÍGUEZ	ロドリゲス|ロドリーゲス	PE
QUISPE	キスペ	PE
JOHN	ジョン|ジョーン	PH US
MARK|MARCO	マーク|マルク|マルコ	PH US
JOSHUA	ジョシュア|ジョシュワ|ジョシュア	PH US
CARLO|CARLOS	カルロ|カルロス|カーロ	PH BR PE
ANGELO	アンジェロ|アンジェロー|アンヘロ	PH
JAMES	ジェームズ|ジェームス|ジェイムズ|ジェイムス	PH US
MARIA|MARÍA	マリア|マリーア|マライア	PH BR PE
ANGEL	エンジェル|エンジエル|アンヘル	PH
PRINCESS	プリンセス	PH
JASMINE	ジャスミン|ジャズミン	PH US
NICOLE	ニコル|ニコール	PH US
ANGELICA	アンジェリカ|アンジェリーカ|アンヘリカ	PH
JOSE|JOSÉ	ホセ|ホゼ|ジョゼ	PH PE BR
LUIS	ルイス	PE
# Brazil
SILVA	シルバ|シルヴァ|シウバ|シウヴァ	BR
OLIVEIRA	オリベイラ|オリヴェイラ|オリベーラ	BR
SOUZA|SOUSA	ソウザ|ソーザ|ソウサ|ソウザ	BR
PEREIRA	ペレイラ|ペレーラ	BR
COSTA	コスタ|コスター	BR
RODRIGUES	ロドリゲス|ホドリゲス|ロドリーゲス	BR
ALMEIDA	アルメイダ|アウメイダ	BR
FERREIRA	フェレイラ|フェヘイラ	BR
LIMA	リマ|リーマ	BR
LUCAS	ルーカス|ルカス	BR
GABRIEL	ガブリエル|ガブリエウ	BR
MATHEUS|MATEUS	マテウス|マチウス|マテーウス	BR
PEDRO	ペドロ|ペードロ	BR
RAFAEL	ハファエル|ラファエル|ラファエウ	BR
GUILHERME	ギリェルメ|ギレルメ|ギリェルミ	BR
JULIA|JÚLIA	ジュリア|ジューリア|フリア	BR
ANA	アナ|アンナ	BR
BEATRIZ	ベアトリス|ベアトリーズ|ベアトリズ	BR
LARISSA	ラリッサ|ラリサ	BR
GABRIELA	ガブリエラ|ガブリエーラ	BR
MARIANA	マリアナ|マリアーナ	BR
# Nepal
SHRESTHA	シュレスタ|シレスタ|スレスタ|シュレスター	NP
GURUNG	グルン|グルング	NP
TAMANG	タマン|タマング	NP
RAI	ライ	NP
MAGAR	マガル|マガール	NP
THAPA	タパ|ターパ|タッパ	NP
ADHIKARI	アディカリ|アディカーリ|アディカリー|アディカーリー	NP
ANISH	アニシュ|アニッシュ|アニス	NP
SUJAN	スジャン|スザン	NP
BIKASH	ビカス|ビカシュ|ビカーシュ	NP
ROHAN	ロハン|ローハン	NP
AAYUSH|AYUSH	アーユス|アユス|アーユシュ|アユシュ	NP
SITA	シタ|シーター|シータ	NP
ANJALI	アンジャリ|アンジャリー	NP
PRIYA	プリヤ|プリア|プリーヤ	NP
SUNITA	スニタ|スニータ	NP
ASMITA	アスミタ|アスミータ	NP
# Indonesia
SITI	シティ|シチ	ID
PUTRI	プトゥリ|プトリ	ID
DEWI	デウィ|デウイ|デヴィ	ID
AGUS	アグス	ID
BUDI	ブディ|ブジ	ID
WAHYU	ワフユ|ワユ	ID
RIZKY|RIZKI	リズキ|リズキー	ID
NUR	ヌル|ヌール	ID
# English names
SMITH	スミス	US
JOHNSON	ジョンソン	US
WILLIAMS	ウィリアムズ|ウィリアムス|ウイリアムズ|ウイリアムス	US
BROWN	ブラウン	US
JONES	ジョーンズ|ジョーンス	US
MILLER	ミラー	US
DAVIS	デイビス|デイヴィス|デービス|デーヴィス	US
LIAM	リアム	US
NOAH	ノア|ノーア	US
ETHAN	イーサン|イーサーン|イサン	US
MICHAEL	マイケル|ミカエル|ミハエル	US
DANIEL	ダニエル|ダニエウ	US BR
EMMA	エマ|エンマ	US
OLIVIA	オリビア|オリヴィア	US
SOPHIA|SOFIA	ソフィア|ソフィヤ|ソフィーア	US BR
EMILY	エミリー|エミリ	US
AVA	エバ|エヴァ|エイバ|エイヴァ	US
MIA	ミア|ミーア	US
"""


def rows():
    seen = set()
    result = []
    for number, line in enumerate(TABLE.strip().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            sys.exit(f"gen_foreign_names: table line {number}: expected 3 tab-separated fields: {line!r}")
        latin = [s for s in fields[0].split("|") if s]
        katakana = []
        for kana in fields[1].split("|"):
            if kana and kana not in katakana:
                katakana.append(kana)
        origins = fields[2].split()
        for kana in katakana:
            if not all("\u30a1" <= c <= "\u30fc" for c in kana):
                sys.exit(f"gen_foreign_names: table line {number}: {kana!r} is not katakana")
        key = (latin[0], katakana[0])
        if key in seen:
            sys.exit(f"gen_foreign_names: table line {number}: {latin[0]} {katakana[0]} twice")
        seen.add(key)
        result.append(("|".join(latin), "|".join(katakana), " ".join(origins)))
    return result


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "dictionaries", "foreign-names.tsv")
    table = rows()
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write("latin\tkatakana\torigin\n")
        for row in table:
            out.write("\t".join(row) + "\n")
    print(f"gen_foreign_names: wrote {len(table)} rows to dictionaries/foreign-names.tsv")


if __name__ == "__main__":
    main()
