"""E-mail drafts that mail clients treat as meeting invitations (iMIP, RFC 6047), built with
Python's `email` package:

    multipart/mixed
      multipart/alternative
        text/plain                      the document as text
        text/html                       the document as HTML
        text/calendar; method=REQUEST   the iCalendar object (its METHOD, REQUEST or CANCEL)
      application/vnd…wordprocessingml.document   the Word document, attached

`X-Unsent: 1` makes Outlook open the file as a draft ready to send rather than as a received
message. The `method` parameter of the calendar part equals the METHOD inside it (RFC 6047 §2.4),
and there is exactly one calendar part.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


@dataclass
class Attachment:
    filename: str
    data: bytes
    maintype: str = DOCX_TYPE[0]
    subtype: str = DOCX_TYPE[1]


@dataclass
class Draft:
    sender: tuple[str, str]  # (name, address)
    to: list[tuple[str, str]]
    subject: str
    text: str
    html: str
    calendar: bytes
    method: str  # REQUEST | CANCEL: must equal the METHOD in `calendar`
    language: str = "nb-NO"
    attachments: list[Attachment] = field(default_factory=list)
    date: dt.datetime | None = None


def _address(name: str, addr: str) -> Address:
    user, _, domain = addr.partition("@")
    return Address(display_name=name, username=user, domain=domain)


def _method_of(calendar: bytes) -> str | None:
    for line in calendar.decode("utf-8").splitlines():
        if line.upper().startswith("METHOD:"):
            return line.split(":", 1)[1].strip().upper()
    return None


def build(draft: Draft) -> bytes:
    """The draft as the bytes of an .eml file (CRLF line ends)."""
    if _method_of(draft.calendar) != draft.method.upper():
        raise ValueError(f"the calendar's METHOD is {_method_of(draft.calendar)}, not {draft.method}")
    body = EmailMessage(policy=SMTP)
    body.set_content(draft.text, subtype="plain", charset="utf-8")
    body.add_alternative(draft.html, subtype="html", charset="utf-8")
    body.add_alternative(draft.calendar.decode("utf-8"), subtype="calendar", charset="utf-8",
                         params={"method": draft.method.upper()}, cte="base64")
    msg = EmailMessage(policy=SMTP)
    msg.make_mixed()  # before any header: it would move Content-* headers into a part of their own
    msg.attach(body)
    for a in draft.attachments:
        msg.add_attachment(a.data, maintype=a.maintype, subtype=a.subtype, filename=a.filename)
    msg["MIME-Version"] = "1.0"
    msg["From"] = _address(*draft.sender)
    msg["To"] = [_address(n, a) for n, a in draft.to] or [_address(*draft.sender)]
    msg["Subject"] = draft.subject
    msg["Date"] = format_datetime(draft.date or dt.datetime.now(dt.UTC))
    msg["Message-ID"] = make_msgid(domain=draft.sender[1].partition("@")[2] or None)
    msg["Content-Language"] = draft.language
    msg["X-Unsent"] = "1"
    # headers are written unfolded: Python's folder leaves a space at the end of a line before an
    # encoded word, which readers then see twice ("kl.  10:00")
    return msg.as_bytes(policy=SMTP.clone(max_line_length=998))
