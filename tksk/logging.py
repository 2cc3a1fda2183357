"""Log filter that keeps NIK and No KK (16-digit numbers) out of every log line."""

import logging
import re

SIXTEEN_DIGITS = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")


def mask_numbers(text: str) -> str:
    return SIXTEEN_DIGITS.sub(r"\1********\2", text)


class MaskNIKFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
