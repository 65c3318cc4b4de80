"""Attachment checks: the declared type must match the file's first bytes, and the size
must stay under the limit. Messages are user-facing (translated)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
#: How many files one entry or message may carry.
MAX_ATTACHMENTS = 20

ZIP = b"PK\x03\x04"
#: extension -> (content type, accepted leading bytes; None = UTF-8 text)
ALLOWED = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    "odt": ("application/vnd.oasis.opendocument.text", (ZIP,)),
    "txt": ("text/plain", None),
    "csv": ("text/csv", None),
}


def check_attachment(upload):
    """Return (content type, extension) for an acceptable upload, or raise
    ValidationError with a message the user can act on."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError(
            _("%(name)s: files of this type cannot be attached. Allowed: %(types)s.")
            % {"name": name, "types": ", ".join(sorted(ALLOWED))},
            code="type",
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("%(name)s is too large (%(size)s MB). The limit is %(limit)s MB.")
            % {
                "name": name,
                "size": f"{upload.size / 1024 / 1024:.1f}",
                "limit": MAX_ATTACHMENT_BYTES // 1024 // 1024,
            },
            code="size",
        )
    content_type, magic = ALLOWED[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if magic is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 4:  # not just a character cut at 2048 bytes
                raise ValidationError(
                    _("%(name)s is not a text file.") % {"name": name}, code="content"
                ) from error
    elif not head.startswith(magic):
        raise ValidationError(
            _("%(name)s is not a real .%(ext)s file.") % {"name": name, "ext": extension},
            code="content",
        )
    return content_type, extension
