"""What every download shares: the exercise mark, content types, file names, the response."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, overload

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from portal.exports.times import today

#: Stamped on everything made from an exercise, in Norwegian whatever the interface
#: language, as it would be on a paper document.
EXERCISE_MARK = "ØVELSE"

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
PDF_TYPE = "application/pdf"
XML_TYPE = "application/xml; charset=utf-8"
CONTENT_TYPES = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE, "pdf": PDF_TYPE, "xml": XML_TYPE}


def dated_filename(
    stem: str, extension: str, *, exercise: bool = False, prefix: str = "", default: str = "eksport"
) -> str:
    """``[ovelse-]<prefix><slug of stem, at most 60>-<today in Oslo>.<extension>``."""
    slug = slugify(stem)[:60] or default
    mark = "ovelse-" if exercise else ""
    return f"{mark}{prefix}{slug}-{today():%Y-%m-%d}.{extension}"


@overload
def download_response(
    content: bytes | str, filename: str, content_type: str, *, streaming: Literal[False] = ...
) -> HttpResponse: ...
@overload
def download_response(
    content: Iterable[bytes], filename: str, content_type: str, *, streaming: Literal[True]
) -> StreamingHttpResponse: ...
def download_response(
    content: bytes | str | Iterable[bytes],
    filename: str,
    content_type: str,
    *,
    streaming: bool = False,
) -> HttpResponse | StreamingHttpResponse:
    """The file as an attachment; ``streaming`` for an iterable of byte chunks."""
    response_class = StreamingHttpResponse if streaming else HttpResponse
    response: HttpResponse | StreamingHttpResponse = response_class(
        content, content_type=content_type
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
