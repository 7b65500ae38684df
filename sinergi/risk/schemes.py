"""Turning an instrument version (rows) into a `scoring.Scheme` (arrays), and answers into masks."""

from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from sinergi.core.errors import ValidationFailed
from sinergi.risk import scoring
from sinergi.risk.models import SECURITY_RANK, AnswerType, Indicator, Instrument, SecurityRule, Threshold, Variable


def scheme_for(instrument: Instrument) -> scoring.Scheme:
    variables = list(Variable.objects.filter(instrument=instrument).order_by("id").values_list("id", "code", "weight"))
    var_index = {pk: i for i, (pk, _, _) in enumerate(variables)}
    indicators = list(
        Indicator.objects.filter(instrument=instrument)
        .order_by("position")
        .values_list("code", "position", "weight", "variable_id")
    )
    column = {code: j for j, (code, *_rest) in enumerate(indicators)}
    rules = [
        scoring.Rule(
            rank=SECURITY_RANK[r.security_class],
            columns=np.array([column[c] for c in r.indicator_codes if c in column], dtype=np.int64),
            min_yes=max(r.min_yes, 1),
            special_location=r.special_location,
        )
        for r in SecurityRule.objects.filter(instrument=instrument)
    ]
    return scoring.Scheme(
        codes=[code for code, *_ in indicators],
        positions=np.array([pos for _, pos, _, _ in indicators], dtype=np.int64),
        weights=np.array([float(w) for _, _, w, _ in indicators], dtype=np.float64),
        variable_of=np.array([var_index[v] for *_, v in indicators], dtype=np.int64),
        variable_codes=[code for _, code, _ in variables],
        variable_weights=np.array([float(w) for *_, w in variables], dtype=np.float64),
        rules=rules,
    )


def bounds_for(instrument: Instrument) -> dict[str, list[tuple[float, str]]]:
    """{level or "": [(lower bound, category)]}; a level without its own rows uses the "" rows."""
    bounds: dict[str, list[tuple[float, str]]] = {}
    for level, category, low in Threshold.objects.filter(instrument=instrument).values_list(
        "level", "category", "min_index"
    ):
        bounds.setdefault(level, []).append((float(low), category))
    return bounds


def bounds_at(bounds: dict[str, list[tuple[float, str]]], level: str) -> list[tuple[float, str]]:
    return bounds.get(level) or bounds.get("", [])


# The most incidents one indicator can count at one TPS; beyond it a count is a typing error.
MAX_COUNT = 100_000


def normalise_answers(instrument: Instrument, raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Validate answers keyed by indicator code; every indicator must be answered exactly once."""
    types = dict(Indicator.objects.filter(instrument=instrument).values_list("code", "answer_type"))
    unknown = sorted(set(raw) - set(types))
    if unknown:
        raise ValidationFailed(_("kode indikator tidak dikenal: %(codes)s") % {"codes": ", ".join(unknown)}, field="answers")
    missing = sorted(set(types) - set(raw), key=_code_key)
    if missing:
        raise ValidationFailed(_("indikator belum dijawab: %(codes)s") % {"codes": ", ".join(missing)}, field="answers")
    return {code: _one_answer(code, raw[code], types[code]) for code in sorted(raw, key=_code_key)}


def _one_answer(code: str, value: Any, answer_type: str) -> dict[str, Any]:
    if isinstance(value, dict):
        yes, count = value.get("yes"), value.get("count")
    elif isinstance(value, bool):
        yes, count = value, None
    else:
        yes, count = None, value
    if count is not None:
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_COUNT:
            raise ValidationFailed(_("indikator %(code)s: jumlah harus bilangan bulat 0 sampai %(limit)d") % {"code": code, "limit": MAX_COUNT}, field=code)
        if answer_type != AnswerType.COUNT and count > 1:
            raise ValidationFailed(_("indikator %(code)s dijawab ya/tidak, bukan dengan jumlah") % {"code": code}, field=code)
        yes = count > 0 if yes is None else bool(yes)
        if yes != (count > 0):
            raise ValidationFailed(_("indikator %(code)s: jawaban ya dan jumlah %(count)s tidak sesuai") % {"code": code, "count": count}, field=code)
    if yes is None:
        raise ValidationFailed(_("indikator %(code)s: jawab ya atau tidak") % {"code": code}, field=code)
    return {"yes": bool(yes), "count": count if answer_type == AnswerType.COUNT else None}


def yes_codes(answers: dict[str, dict[str, Any]]) -> list[str]:
    return [code for code, a in answers.items() if a.get("yes")]


def _code_key(code: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in code.split("."))
