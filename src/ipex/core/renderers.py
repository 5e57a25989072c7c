"""CSV for list endpoints: ``?format=csv`` on an endpoint that offers it."""

from __future__ import annotations

import csv
import io

from rest_framework import renderers


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data.get("results", data) if isinstance(data, dict) else data
        if isinstance(data, dict) and "error" in data:
            rows = [{"code": data["error"]["code"], "message": data["error"]["message"]}]
        elif isinstance(rows, dict):  # one record (a detail or a step's answer): one row
            rows = [rows]
        buffer = io.StringIO()
        if rows:
            fields = list(rows[0].keys())
            writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        # A BOM so spreadsheet programs read the Chinese and Russian names as UTF-8.
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
