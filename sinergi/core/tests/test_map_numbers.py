"""Map legends and tooltips write numbers in the page's language and never show an empty band.

`core/static/core/map.js` is run in Node (skipped where Node is missing) with a minimal `document`
whose `<html lang>` is the language under test."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

MAP_JS = Path(__file__).resolve().parents[1] / "static/core/map.js"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="needs Node to run the map script")

SCRIPT = """
global.window = {}; global.document = { documentElement: { lang: process.argv[1], dataset: {} } };
eval(require("fs").readFileSync(process.argv[2], "utf8"));
var M = window.SinergiMap;
console.log(JSON.stringify({
  turnout: M.bands([[0, "a"], [71.55, "b"], [79.5, "c"], [79.5, "d"]], "%"),
  tps: M.bands([[0, "a"], [50, "b"], [1000, "c"], [5000, "d"]], "TPS", true),
  numbers: [M.number(70.98, 2), M.number(1447), M.number(null)]
}));
"""


def run(language: str) -> dict:
    assert NODE is not None
    shown = subprocess.run([NODE, "-e", SCRIPT, language, str(MAP_JS)], capture_output=True, text=True, check=True)
    return json.loads(shown.stdout)


def test_indonesian_notation_and_no_empty_band():
    shown = run("id")
    # pace = target: the band "79,5-79,5" would be empty, the last stop takes over from 79,5.
    assert shown["turnout"] == [["a", "0–71,55 %"], ["b", "71,55–79,5 %"], ["d", "≥ 79,5 %"]]
    assert shown["tps"] == [["a", "0–49 TPS"], ["b", "50–999 TPS"], ["c", "1.000–4.999 TPS"], ["d", "≥ 5.000 TPS"]]
    assert shown["numbers"] == ["70,98", "1.447", "–"]


def test_english_notation():
    shown = run("en")
    assert shown["turnout"][1] == ["b", "71.55–79.5 %"]
    assert shown["tps"][2] == ["c", "1,000–4,999 TPS"]
    assert shown["numbers"] == ["70.98", "1,447", "–"]
