"""Writes a Word document (DOCX) from Siaran's document description, with python-docx.

Run by siaran-serve as a child process: `python3 -c SCRIPT INPUT.json OUTPUT.docx`. INPUT holds
{"title", "language", "blocks": [...]}, each block one of
  {"kind": "heading", "level": 1-3, "text"}
  {"kind": "paragraph", "runs": [{"text", "bold"?, "italic"?}], "style"?}
  {"kind": "image", "data": BASE64 JPEG, "caption"?}
  {"kind": "table", "header": [...], "rows": [[...], ...]}
  {"kind": "bullets", "items": [...]}
The text is data only: nothing in it is read as markup. Exit 3 when python-docx is missing.
"""
import base64
import io
import json
import re
import sys

try:
    import docx
    from docx.shared import Inches
except ImportError:
    sys.stderr.write("python-docx is not installed: install the Debian package python3-docx (Scripts/setup does)\n")
    sys.exit(3)

# Characters XML 1.0 cannot hold (python-docx refuses them).
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text):
    return UNWRITABLE.sub("", str(text or ""))


def write(description, output):
    document = docx.Document()
    properties = document.core_properties
    properties.title = clean(description.get("title", ""))[:250]
    properties.language = clean(description.get("language", "id"))[:20]
    properties.author = "Siaran"
    for block in description.get("blocks", []):
        kind = block.get("kind")
        if kind == "heading":
            document.add_heading(clean(block.get("text")), level=max(0, min(3, int(block.get("level", 1)))))
        elif kind == "paragraph":
            paragraph = document.add_paragraph(style=block.get("style") if block.get("style") in ("Quote", "Caption") else None)
            for run in block.get("runs", []):
                added = paragraph.add_run(clean(run.get("text")))
                added.bold = bool(run.get("bold"))
                added.italic = bool(run.get("italic"))
        elif kind == "image":
            document.add_picture(io.BytesIO(base64.b64decode(block.get("data", ""))), width=Inches(6))
            if block.get("caption"):
                document.add_paragraph(clean(block["caption"]), style="Caption")
        elif kind == "table":
            header = [clean(cell) for cell in block.get("header", [])]
            rows = [[clean(cell) for cell in row] for row in block.get("rows", [])]
            table = document.add_table(rows=1 + len(rows), cols=max(1, len(header)))
            table.style = "Table Grid"
            for column, text in enumerate(header):
                table.rows[0].cells[column].paragraphs[0].add_run(text).bold = True
            for index, row in enumerate(rows):
                for column, text in enumerate(row[:len(header)]):
                    table.rows[index + 1].cells[column].text = text
        elif kind == "bullets":
            for item in block.get("items", []):
                document.add_paragraph(clean(item), style="List Bullet")
        else:
            raise ValueError("unknown block kind %r" % kind)
    document.save(output)


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: docx-writer INPUT.json OUTPUT.docx\n")
        return 2
    with open(sys.argv[1], encoding="utf-8") as handle:
        description = json.load(handle)
    write(description, sys.argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
