#!/usr/bin/env bash
# The pictures in docs/documents.md: page 1 of each document on the embedded repository, as Word laid
# out by LibreOffice, and as the PDF/A. Needs soffice and pdftoppm (Debian: libreoffice-writer-nogui,
# poppler-utils). Run from the project folder: bash docs/make_images.sh
set -euo pipefail
cd "$(dirname "$0")/.."
H="${HRCOORD:-.venv/bin/hrcoord} --repo ."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
$H meeting agenda -n trafficking -f docx -o "$work/saksliste.docx"
$H meeting notice -n trafficking --dry-run -f docx -o "$work/innkalling.docx" 2>/dev/null
$H meeting minutes -n trafficking --meeting 2014-10-21 -f docx -o "$work/referat.docx"
$H report action-plan --year 2014 -f docx -o "$work/tiltaksrapport.docx"
$H report quarterly --quarter 2014-Q4 -f docx -o "$work/kvartalsrapport.docx"
$H meeting notice -n trafficking --dry-run -f pdf -o "$work/innkalling-pdfa.pdf" 2>/dev/null
$H report quarterly --quarter 2014-Q4 -f pdf -o "$work/kvartalsrapport-pdfa.pdf"
soffice "-env:UserInstallation=file://$work/profile" --headless --convert-to pdf --outdir "$work" "$work"/*.docx >/dev/null
for pdf in "$work"/*.pdf; do
  name="$(basename "$pdf" .pdf)"
  pdftoppm -r 70 -png -f 1 -l 1 -singlefile "$pdf" "docs/images/$name"
done
ls -la docs/images
