"""OCR of image-only PDF pages with Debian's tesseract (``tesseract-ocr-chi-sim``), when installed."""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache

from crawler.core.orphans import die_with_parent

LANGUAGE = "chi_sim"
RESOLUTION = 200  # dpi the page is rendered at before recognition


@lru_cache(maxsize=1)
def available() -> bool:
    """tesseract is installed and has the Simplified Chinese model."""
    if not shutil.which("tesseract"):
        return False
    done = subprocess.run(["tesseract", "--list-langs"], capture_output=True, timeout=30, check=False)
    return LANGUAGE in done.stdout.decode("utf-8", errors="replace").split()


def recognize(png: bytes, timeout_s: float) -> str:
    """The text of one page image; '' when tesseract finds none or fails."""
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", LANGUAGE, "--psm", "6"],
            input=png, capture_output=True, timeout=timeout_s, check=False,
            preexec_fn=die_with_parent,  # ends with its reader (crawler/core/orphans.py); readers are one thread
        )
    except subprocess.TimeoutExpired:
        return ""
    return done.stdout.decode("utf-8", errors="replace").strip() if done.returncode == 0 else ""
