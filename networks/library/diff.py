"""A readable diff between two versions of a library document (difflib on the text).

The page shows the newer text with what was removed struck through (``<del>``) and what
was added underlined (``<ins>``), word by word inside a changed paragraph; each mark
carries a visually hidden "Removed:"/"Added:" for screen readers, since ``<ins>`` and
``<del>`` are not announced. A unified diff is offered as the plain-text alternative,
and the API returns both plus the change blocks."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass
class Block:
    """One run of lines: ``equal``, ``insert``, ``delete`` or ``replace``."""

    op: str
    old: str
    new: str
    html: SafeString


def _mark(tag, text):
    label = _("Removed:") if tag == "del" else _("Added:")
    hidden = '<span class="ds-sr-only">'
    return f"<{tag}>{hidden}[{label} </span>{escape(text)}{hidden}]</span></{tag}>"


def word_diff_html(old: str, new: str) -> SafeString:
    """``old`` → ``new`` with removed words in ``<del>`` and added ones in ``<ins>``."""
    a, b = TOKENS.findall(old), TOKENS.findall(new)
    out = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(_mark("del", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(_mark("ins", "".join(b[j1:j2])))
    html = "".join(out)
    return mark_safe(html)  # noqa: S308  # nosec B703  # every piece escaped above


def diff_texts(old: str, new: str) -> list[Block]:
    """Line blocks of the change from ``old`` to ``new``."""
    a, b = (old or "").splitlines(), (new or "").splitlines()
    blocks = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_text, new_text = "\n".join(a[i1:i2]), "\n".join(b[j1:j2])
        if op == "equal":
            html = escape(new_text)
        elif op == "delete":
            html = _mark("del", old_text)
        elif op == "insert":
            html = _mark("ins", new_text)
        else:
            html = word_diff_html(old_text, new_text)
        safe = mark_safe(html)  # noqa: S308  # nosec B703  # escaped above
        blocks.append(Block(op, old_text, new_text, safe))
    return blocks


def unified(old: str, new: str, old_label: str, new_label: str) -> str:
    return "\n".join(
        difflib.unified_diff(
            (old or "").splitlines(),
            (new or "").splitlines(),
            fromfile=old_label,
            tofile=new_label,
            lineterm="",
        )
    )


def diff_versions(old, new, old_label=None, new_label=None) -> dict:
    """Everything the diff page and the API show for two
    :class:`~networks.library.models.DocumentVersion` rows (of one document or, for an adopted
    copy, of the copy and the origin)."""
    old_label = old_label or _("version %(n)s") % {"n": old.number}
    new_label = new_label or _("version %(n)s") % {"n": new.number}
    blocks = diff_texts(old.body, new.body)
    return {
        "old": old,
        "new": new,
        "title_changed": old.title != new.title,
        "title_html": word_diff_html(old.title, new.title),
        "blocks": blocks,
        "changed": any(b.op != "equal" for b in blocks) or old.title != new.title,
        "added_lines": sum(
            len(b.new.splitlines()) for b in blocks if b.op in ("insert", "replace")
        ),
        "removed_lines": sum(
            len(b.old.splitlines()) for b in blocks if b.op in ("delete", "replace")
        ),
        "unified": unified(
            f"{old.title}\n" + old.body if old.title != new.title else old.body,
            f"{new.title}\n" + new.body if old.title != new.title else new.body,
            old_label,
            new_label,
        ),
        "file_changed": (old.file.name or "") != (new.file.name or ""),
        "checklist_changed": old.checklist != new.checklist,
    }
