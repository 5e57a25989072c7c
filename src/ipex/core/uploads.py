"""Uploads stop at IPEX_IMPORT_MAX_BYTES: a 2 GB upload is cut off while it streams in,
never written in full to a temporary file."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler


class LimitedUploadHandler(TemporaryFileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit = settings.IPEX_IMPORT_MAX_BYTES
        self.received = 0
        # A declared length far over the limit stops at the first chunk.
        self.request.upload_too_large = bool(content_length and content_length > self.limit * 1.01)
        return super().handle_raw_input(input_data, META, content_length, boundary, encoding)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.request.upload_too_large or self.received > self.limit:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        return super().receive_data_chunk(raw_data, start)
