"""Time to render (套红) and seal (用印, PAdES) a 5-page 公文: the median and p95 over N runs. Prints
numbers; asserts nothing.

    .venv/bin/python bench/document_seal.py [--runs 30] [--png /tmp/document-sealed]

Uses a throw-away SQLite file unless DATABASE_URL is set (migrated, then one department, its seal and
the platform seal CA are made in it: never point it at real data). Each run renders the GB/T 9704 layout
of the same 5-page 通知 (fonts loaded once, before the first run), adds the seal field and seals it through
the signer plug-in; verification is timed separately. ``--png`` also writes the sealed PDF and its pages
as PNG (pdftoppm) for a look.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")
if "DATABASE_URL" not in os.environ:
    # A fresh throw-away file each run: one left by an older checkout may hold other migrations.
    THROW_AWAY = Path(tempfile.gettempdir()) / "tongban-bench-document-seal.sqlite3"
    THROW_AWAY.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{THROW_AWAY}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from tongban.documents import sealing  # noqa: E402
from tongban.documents.layout import render_layout  # noqa: E402
from tongban.documents.tests.output_helpers import sample_layout  # noqa: E402
from tongban.licenses.models import Seal  # noqa: E402
from tongban.licenses.services import ensure_seal  # noqa: E402
from tongban.organizations.tests.factories import DepartmentFactory  # noqa: E402


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--png", help="write the sealed PDF and its pages as PNG under this path prefix")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    department = DepartmentFactory(name="云州市人民政府办公室")
    seal = Seal.objects.get(key_id=ensure_seal(department_id=department.pk))
    layout = sample_layout()

    started = time.perf_counter()
    first = render_layout(layout)  # loads and registers the fonts
    print(f"first render (fonts loaded): {1000 * (time.perf_counter() - started):.0f} ms")
    sealing.seal_pdf(sealing.add_seal_field(first), seal=seal, issuer_name=layout.issuer_name)  # certificates

    render_ms, seal_ms, total_ms, verify_ms = [], [], [], []
    sealed = b""
    for _ in range(args.runs):
        t0 = time.perf_counter()
        rendered = render_layout(layout)
        prepared = sealing.add_seal_field(rendered)
        t1 = time.perf_counter()
        sealed = sealing.seal_pdf(prepared, seal=seal, issuer_name=layout.issuer_name)
        t2 = time.perf_counter()
        check = sealing.verify_pdf_seal(sealed)
        t3 = time.perf_counter()
        assert check.valid, check.reason
        render_ms.append(1000 * (t1 - t0))
        seal_ms.append(1000 * (t2 - t1))
        total_ms.append(1000 * (t2 - t0))
        verify_ms.append(1000 * (t3 - t2))

    print(f"5-page document ({rendered.page_count} pages, {len(sealed)} bytes sealed), {args.runs} runs")
    for name, values in (
        ("render (套红)", render_ms),
        ("seal (用印)", seal_ms),
        ("render + seal", total_ms),
        ("verify", verify_ms),
    ):
        print(
            f"  {name:14} median {statistics.median(values):7.1f} ms   p95 {percentile(values, 0.95):7.1f} ms"
        )

    if args.png:
        pdf_path = Path(f"{args.png}.pdf")
        pdf_path.write_bytes(sealed)
        subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf_path), args.png], check=True)
        print(f"wrote {pdf_path} and {args.png}-N.png")


if __name__ == "__main__":
    main()
