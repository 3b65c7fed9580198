"""Printed labels → official municipalities with the national list; never a guess."""

from __future__ import annotations

import pytest

from ingest import labels


def test_national_list_is_complete_and_checked():
    ms = labels.all_municipalities()
    kinds = {}
    for m in ms:
        kinds[m.kind] = kinds.get(m.kind, 0) + 1
        assert len(m.code) == 6 and m.code.isdigit()
        total = sum(int(d) * w for d, w in zip(m.code[:5], (6, 5, 4, 3, 2)))
        assert str((11 - total % 11) % 10) == m.code[5], m  # JIS X 0402 check digit
        assert m.prefecture_kana and (m.is_prefecture or m.name_kana)
    assert kinds["prefecture"] == 47 and kinds["special_ward"] == 23 and kinds["designated_city"] == 20
    assert kinds["ward"] >= 170 and len(ms) > 1900


@pytest.mark.parametrize(
    "label,code,method",
    [
        ("石川県金沢市", "172014", "exact"),
        ("熊本県", "430005", "exact"),
        ("熊本市上天草市", "432121", "misprint"),
        ("上天草市", "432121", "name"),
        ("鹿足郡津和野町", "325015", "name"),
        ("島根県鹿足郡津和野町", "325015", "name"),
        ("東京都新宿区", "131041", "exact"),
        ("横浜市金沢区", "141089", "name"),
        ("石川県 金沢市", "172014", "exact"),
        ("沖縄県うるま市", "472131", "exact"),
        ("福岡県北九州市", "401005", "exact"),
        ("北海道札幌市", "011002", "exact"),
        ("盛岡", "032018", "short"),
        ("石川県金沢", "172014", "short"),
        # ケ/ヶ/ヵ as printed, whichever the national list uses
        ("神奈川県茅ケ崎市", "142077", "exact"),
        ("神奈川県茅ヶ崎市", "142077", "exact"),
        ("茨城県龍ヶ崎市", "082082", "exact"),
        ("茨城県龍ケ崎市", "082082", "exact"),
        ("千葉県鎌ヶ谷市", "122246", "exact"),
        ("千葉県袖ヶ浦市", "122297", "exact"),
        ("埼玉県鶴ケ島市", "112411", "exact"),
        ("長野県駒ケ根市", "202100", "exact"),
        ("長野県駒ヵ根市", "202100", "exact"),
        ("茅ケ崎市", "142077", "name"),
    ],
)
def test_resolves(label, code, method):
    r = labels.resolve(label)
    assert r.municipality is not None and r.municipality.code == code
    assert r.method == method
    assert (r.warning == "") == (method in ("exact", "name") or label.startswith("石川県"))


def test_same_name_in_two_places_needs_context():
    r = labels.resolve("金沢")
    assert r.municipality is None and r.method == "ambiguous"
    assert set(r.candidates) == {"石川県金沢市", "神奈川県横浜市金沢区"} and r.warning
    assert labels.resolve("金沢", prefecture="石川県").municipality.code == "172014"
    assert labels.resolve("金沢", prefecture="神奈川県").municipality.code == "141089"
    fuchu = labels.resolve("府中市")
    assert fuchu.municipality is None and len(fuchu.candidates) == 2
    assert labels.resolve("府中市", prefecture="広島県").municipality.code == "342084"


@pytest.mark.parametrize("label", ["台北市", "大韓民国ソウル特別市", "ニューヨーク市", "交流会", "株式会社", "東京都大阪市"])
def test_unknown_labels_are_reported_never_guessed(label):
    r = labels.resolve(label)
    assert r.municipality is None and r.method in ("unknown", "ambiguous") and r.warning


def test_readings_for_search():
    kanazawa = labels.by_code("172014")
    assert (kanazawa.reading, kanazawa.short_name, kanazawa.short_reading, kanazawa.romaji) == (
        "かなざわし",
        "金沢",
        "かなざわ",
        "kanazawa",
    )
    ward = labels.by_code("141089")
    assert (ward.local_name, ward.reading, ward.short_name) == ("金沢区", "かなざわく", "金沢")
    assert labels.by_code("010006").romaji == "hokkaido"
    assert labels.by_code("130001").romaji == "tokyo"
    assert labels.by_code("325015").romaji == "tsuwano"


def test_partner_abroad_keeps_printed_name(tmp_path):
    from ingest.build import records_from_rows
    from ingest.rows import Location, Row

    rows = [Row(Location(page=1), 0, 10, "姉妹都市交流", "国際課", "R6.8.1", printed_name="大韓民国ソウル特別市")]
    records, warnings = records_from_rows(rows, 2024, "x.pdf")
    assert records[0].municipality == "大韓民国ソウル特別市" and records[0].municipality_code is None
    assert any("大韓民国ソウル特別市" in w for w in warnings)
