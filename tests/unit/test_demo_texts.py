"""Demo complaints make sense (issue 15, item 16): every fault is told alike in Chinese, English and
Spanish, and the plan combines a fault only with an offering it can happen to."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest

from kesu_desk.demo.plan import _templates, fitting
from kesu_desk.demo.texts import CATEGORIES, CATEGORY, FAULTS, LANGS, OFFERING

SIZES = {"zh": 4000, "en": 600, "es": 600}  # what make_plan draws, per language

# Words that only make sense for some offerings, per language; checked on the finished complaint,
# independently of the traits the plan works with.
ELECTRIC = {
    "zh": ("电源线", "涂层", "内胆", "开机", "插电", "漏电", "按键", "屏", "电池", "充电", "安装", "维修", "配件"),
    "en": ("power cord", "coating", "switch on", "plugged", "screen", "battery", "charger", "install",
           "repair", "spare part", "button"),
    "es": ("cable", "antiadherente", "enciende", "enchufo", "pantalla", "batería", "cargador", "instal",
           "repar", "repuesto", "botones"),
}
PARTS = {
    "zh": ("电源线", "屏幕", "显示屏", "按键", "电池", "滤芯", "配件", "内胆", "键盘", "外壳", "充电器"),
    "en": ("power cord", "screen", "battery", "filter", "spare part", "keyboard", "casing", "charger"),
    "es": ("cable", "pantalla", "batería", "filtro", "repuesto", "teclado", "carcasa", "cargador"),
}
CORD = {"zh": ("电源线",), "en": ("power cord",), "es": ("cable de alimentación",)}
COATING = {"zh": ("涂层",), "en": ("coating",), "es": ("antiadherente",)}
SHIPPING = {"zh": ("快递", "发货", "到货", "物流", "送到"), "en": ("courier", "deliver", "tracking", "arrived"),
            "es": ("repartidor", "entrega", "paquete")}


def rows() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for lang in LANGS:
        for row in _templates(random.Random(7), lang, SIZES[lang]):
            found.append({**row, "lang_code": lang})
    return found


ROWS = rows()


def mentions(text: str, words: tuple[str, ...]) -> list[str]:
    lowered = text.lower()
    return [w for w in words if w in lowered]


def test_every_fault_is_the_same_complaint_in_every_language() -> None:
    for fault in FAULTS:
        assert set(fault.texts) == set(LANGS), fault
        placeholders = {lang: sorted(re.findall(r"\{\w+\}", text)) for lang, text in fault.texts.items()}
        # the same product and the same number in each language: the same complaint
        assert placeholders["zh"] == placeholders["en"] == placeholders["es"], fault.texts
        assert fault.remedies, fault
        assert fitting(fault), f"no offering fits {fault.texts['en']}"
    for cat in CATEGORIES:
        assert any(f.category == cat.code and not f.danger for f in FAULTS), cat.code


@pytest.mark.parametrize("lang", LANGS)
def test_each_demo_complaint_fits_what_it_is_about(lang: str) -> None:
    mine = [r for r in ROWS if r["lang_code"] == lang]
    assert len(mine) > SIZES[lang] * 9 // 10
    for row in mine:
        fault, offering = FAULTS[row["fault"]], OFFERING[row["offering"]]
        text = row["description"]
        assert fault.fits(offering), (text, offering.key)
        assert CATEGORY[row["category"]].department == row["dept"]
        assert row["remedy"] in {r.value for r in fault.remedies}, text
        if "food" in offering.traits:
            assert not mentions(text, ELECTRIC[lang]), text
        if not offering.products():
            assert row["product"] == "" and not mentions(text, PARTS[lang]), text
        else:
            assert row["product"] in {names[LANGS.index(lang)] for names in offering.products()}
        if mentions(text, CORD[lang]):
            assert "cord" in offering.traits, text
        if mentions(text, COATING[lang]):
            assert "coating" in offering.traits, text
        if "room" in offering.traits or "dish" in offering.traits:
            assert not mentions(text, SHIPPING[lang]), text
