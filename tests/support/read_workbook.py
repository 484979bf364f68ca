#!/usr/bin/python3
"""Prints an .xlsx workbook as openpyxl reads it, as JSON, for the tests to
check: per sheet its name, frozen pane, column widths and every cell's type
("n" number, "s" text, "d" date, "f" formula, null empty) and value."""
import json
import sys

import openpyxl

workbook = openpyxl.load_workbook(sys.argv[1])
sheets = []
for sheet in workbook.worksheets:
    rows = []
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            if cell.value is None:
                cells.append({"t": None, "v": None})
            elif cell.is_date:
                cells.append({"t": "d", "v": cell.value.isoformat()})
            else:
                cells.append({"t": cell.data_type, "v": cell.value})
        rows.append(cells)
    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    sheets.append({"name": sheet.title, "freeze": sheet.freeze_panes, "widths": widths,
                   "rows": rows})
json.dump({"sheets": sheets}, sys.stdout, ensure_ascii=False)
