#!/bin/sh
# The sealed 公文 of make run's demo city → PNG pages, and its seal checked (issue 15, docs/documents-output.md).
#   bench/document_render_png.sh [文号] [OUT_DIR]
# Runs on the database make run uses (DATABASE_URL, default tongban.sqlite3): `make demo` first.
# Needs poppler-utils (pdftoppm, pdfsig). Exit 1 when a check does not come out as expected.
set -eu
NUMBER=${1:-云州府办〔2026〕3号}
OUT=${2:-/tmp/demo-document}
PY=${PY:-.venv/bin/python}
mkdir -p "$OUT"
ID=$($PY manage.py shell -c "from tongban.documents.models import OfficialDocument as D; print(D.objects.get(document_number='$NUMBER').pk)" 2>/dev/null | tail -1)
$PY manage.py export_document_package "$ID" "$OUT/package.zip" >/dev/null
unzip -o -q "$OUT/package.zip" document.pdf -d "$OUT"
pdftoppm -r 100 -png "$OUT/document.pdf" "$OUT/page"
echo "PNG pages: $(ls "$OUT"/page-*.png | tr '\n' ' ')"
echo "--- tongban verify-document (expect 印章有效, exit 0)"
$PY manage.py verify_document "$OUT/document.pdf" 2>/dev/null
echo "--- pdfsig (expect Signature is Valid.)"
pdfsig "$OUT/document.pdf" | grep -E "Signature Validation|Total document signed"
$PY -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[len(b)//2]^=1; open(sys.argv[2],'wb').write(b)" \
  "$OUT/document.pdf" "$OUT/changed.pdf"
echo "--- one byte changed: verify-document must fail"
if $PY manage.py verify_document "$OUT/changed.pdf" 2>/dev/null; then echo "UNEXPECTED: still valid"; exit 1; fi
if pdfsig "$OUT/changed.pdf" 2>/dev/null | grep -q "Signature is Valid"; then echo "UNEXPECTED: pdfsig still valid"; exit 1; fi
echo "changed copy refused by both"
