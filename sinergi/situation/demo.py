"""Today's laporan situasi harian for Kukar, so the archive has something to download."""

from sinergi.core.demo_context import DemoContext
from sinergi.situation.providers import discover
from sinergi.situation.services import daily_report_generate


def load(context: DemoContext) -> None:
    report = daily_report_generate(area_code="64.02")
    modules = ", ".join(p.name for p in discover()) or "none"
    context.say(f"Situation: daily report {report.report_date} for Kukar (modules: {modules})")
