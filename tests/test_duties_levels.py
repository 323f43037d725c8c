"""One typed name finds a body however a directive spells its level (``assistant.duties.levels``): "UBND tỉnh"
is "Ủy ban nhân dân cấp tỉnh" and "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"; "Chủ tịch UBND
cấp huyện" is "Ủy ban nhân dân huyện, thành phố" and "Ủy ban nhân dân quận - huyện". Names and rows come from
real State documents of ../shared/data/congbot (the tuning set E of benchmarks/heldout.py)."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pytest

from assistant.duties.extract import extract_duties, select
from assistant.duties.levels import Family, family, same_family
from assistant.duties.model import Duty
from tests.support import congbot_document

DOCS = ("12_2012_QĐ_UBND", "22_2013_QĐ_TTg", "2638_2019_CV_LĐTBXH_KHTC", "49_2012_QĐ_UBND", "62_2011_QD_TTg",
        "986_2024_QĐ_UBND")


@functools.cache
def _rows() -> tuple[Duty, ...]:
    with tempfile.TemporaryDirectory() as tmp:
        return tuple(r for d in DOCS for r in extract_duties(congbot_document(d, Path(tmp))))


@pytest.mark.parametrize(("name", "expected"), [
    ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", Family("uy ban nhan dan", "tỉnh", None)),
    ("Chủ tịch UBND cấp tỉnh", Family("uy ban nhan dan", "tỉnh", None)),
    ("Ủy ban nhân dân tỉnh Tuyên Quang", Family("uy ban nhan dan", "tỉnh", "tuyen quang")),
    ("Ủy ban nhân dân huyện, thành phố", Family("uy ban nhan dan", "huyện", None)),
    ("Kho bạc Nhà nước quận - huyện", Family("kho bac nha nuoc", "huyện", None)),
    ("Ủy ban nhân dân phường - xã, thị trấn", Family("uy ban nhan dan", "xã", None)),
    ("ubnd cap xa", Family("uy ban nhan dan", "xã", None)),
    ("Ủy ban nhân dân các cấp", Family("uy ban nhan dan", "các cấp", None)),
    ("Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố", Family("so lao dong thuong binh va xa hoi", "tỉnh",
                                                                       None)),
    ("Sở LĐTBXH", Family("so lao dong thuong binh va xa hoi", None, None)),
    # no level: "xã hội" is no commune, "Tỉnh ủy" a Party committee, "quân sự" no district
    ("Cục Bảo trợ xã hội", Family("cuc bao tro xa hoi", None, None)),
    ("Ban Tổ chức Tỉnh ủy", Family("ban to chuc tinh uy", None, None)),
    ("Ban Chỉ huy quân sự", Family("ban chi huy quan su", None, None)),
])
def test_family_splits_organ_level_and_place(name: str, expected: Family) -> None:
    assert family(name) == expected


def test_a_level_is_not_the_whole_name() -> None:
    assert family("Tỉnh") is None and family("UBND") == Family("uy ban nhan dan", None, None)


def test_same_family_keeps_levels_and_places_apart() -> None:
    assert same_family("UBND tỉnh", "Ủy ban nhân dân cấp tỉnh")
    assert same_family("Ủy ban nhân dân", "Ủy ban nhân dân quận - huyện")  # no level typed: every level
    assert same_family("UBND huyện", "Ủy ban nhân dân các cấp")  # "các cấp" includes each level
    assert not same_family("UBND huyện", "Ủy ban nhân dân cấp tỉnh")
    assert not same_family("UBND tỉnh Quảng Ngãi", "Ủy ban nhân dân tỉnh Tuyên Quang")
    assert not same_family("Bộ Tài chính", "Bộ Tài chính")  # no level on either side: the exact name decides
    assert not same_family("Sở Tài chính", "Sở Xây dựng các tỉnh")
    # a short name typed alone covers the longer names that begin with it, not the other way round
    assert same_family("Đoàn Thanh niên", "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh")
    assert same_family("Hội Liên hiệp Phụ nữ", "Hội Liên hiệp Phụ nữ Việt Nam")
    assert not same_family("Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh", "Đoàn Thanh niên")
    assert not same_family("Ủy ban kiểm tra các cấp", "Ủy ban Kiểm tra Trung ương")  # a level typed: organ exact
    assert not same_family("Sở", "Sở Xây dựng")


def _bodies(typed: str) -> set[str]:
    return {r.body for r in select(_rows(), typed)}


def test_a_province_level_name_finds_every_spelling_of_it() -> None:
    assert _bodies("UBND tỉnh") == _bodies("Chủ tịch Ủy ban nhân dân tỉnh") == {
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", "Ủy ban nhân dân cấp tỉnh",
        "Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương", "Ủy ban nhân dân các cấp",
        "Ủy ban nhân dân tỉnh"}  # QĐ 12/2012: "mức quà do Ủy ban nhân dân tỉnh quy định cụ thể"


def test_a_district_level_name_finds_districts_only() -> None:
    found = _bodies("Chủ tịch UBND cấp huyện")
    assert {"Ủy ban nhân dân huyện, thành phố", "Ủy ban nhân dân quận - huyện", "Ủy ban nhân dân cấp huyện"} <= found
    assert not any("tỉnh" in b or "xã" in b for b in found)


def test_a_commune_level_name_typed_without_diacritics() -> None:
    found = _bodies("ubnd cap xa")
    assert {"Ủy ban nhân dân cấp xã", "Ủy ban nhân dân phường - xã, thị trấn"} <= found
    assert not any("huyện," in b or "tỉnh" in b for b in found)


def test_a_department_named_with_or_without_its_provinces() -> None:
    found = _bodies("Sở LĐTBXH")
    assert {"Sở Lao động - Thương binh và Xã hội",
            "Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố trực thuộc Trung ương"} <= found
    assert "Phòng Lao động - Thương binh và Xã hội quận - huyện" not in found


def test_rows_of_another_spelling_show_the_name_the_document_gives() -> None:
    """The register tab (and ``tracuu duties``) lists "UBND tỉnh" rows written "Ủy ban nhân dân cấp tỉnh": each such
    row says how its document names the body; a row named as asked says nothing more."""
    from webui.render_duties import duties_html

    page = duties_html(select(_rows(), "UBND tỉnh"), "UBND tỉnh")
    assert "<div class='tr-muted'>Ủy ban nhân dân cấp tỉnh</div>" in page
    exact = duties_html(select(_rows(), "Ủy ban nhân dân cấp tỉnh"), "Ủy ban nhân dân cấp tỉnh")
    assert exact.count("tr-muted'>Ủy ban nhân dân cấp tỉnh<") == 0 and "Ủy ban nhân dân các cấp" in exact
