"""``get_logger``: the standard library logger of that name."""

import logging


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(name)
