"""Log filter that keeps NIK and No KK (16-digit numbers) out of every log line."""

import logging
import re

SIXTEEN_DIGITS = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")


def mask_numbers(text: str) -> str:
    return SIXTEEN_DIGITS.sub(r"\1********\2", text)


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


def samarkan_hasil_tugas(sender, instance, **kwargs) -> None:
    """pre_save of django-tasks' DBTaskResult: a failed job's traceback (the exception's message
    included) is stored in the database and shown in the admin, so it is masked before it is
    written, as the log lines are. Connected in TkskConfig.ready."""
    if instance.traceback:
        instance.traceback = mask_numbers(instance.traceback)
