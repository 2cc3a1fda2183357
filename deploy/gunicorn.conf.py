"""gunicorn settings of Sistem Informasi TKSK (`gunicorn -c deploy/gunicorn.conf.py ...`).

Only logging lives here; the bind address, workers and timeouts are on the command line of
deploy/tksk-web.service. Both of gunicorn's logs go to standard output/error (journald) through
the filter that masks every 16-digit number (NIK, No KK): the access log holds the request line
with its query and the Referer and User-Agent headers, the error log tracebacks."""

_MASK = {"mask_nik": {"()": "tksk.logging.MaskNIKFilter"}}

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": _MASK,
    "formatters": {
        "generic": {
            "format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
            "datefmt": "[%Y-%m-%d %H:%M:%S %z]",
        },
        "access": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "filters": ["mask_nik"],
            "stream": "ext://sys.stderr",
        },
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "filters": ["mask_nik"],
            "stream": "ext://sys.stdout",
        },
    },
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
}
