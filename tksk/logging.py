"""Log filter that keeps NIK and No KK (16-digit numbers) out of every log line."""

import logging
import re

# Sixteen digits or more: a NIK or No KK, also run together with other digits (or a hash that
# happens to hold such a run): logs and history never show one, whatever it is.
SIXTEEN_DIGITS = re.compile(r"(?<!\d)(\d{4})(\d{8,})(\d{4})(?!\d)")


def _samarkan(match: re.Match) -> str:
    return match.group(1) + "*" * len(match.group(2)) + match.group(3)


def mask_numbers(text: str) -> str:
    return SIXTEEN_DIGITS.sub(_samarkan, text)


class MaskNIKFilter(logging.Filter):
    """Masks the message, and the traceback and stack text that a formatter appends to it: a
    database error names the duplicate key (`Key (nik)=(…) already exists`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed call is reported by the handler itself
            return True
        masked = mask_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # What Formatter.format would produce; it reuses exc_text once set.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_numbers(record.stack_info)
        return True
