"""Why a file cannot be ingested: `IngestError` and its kinds. str(error) is one line for the user,
"<file name>: <Japanese> / <English>"; the CLI and the bot print it as it is."""

from __future__ import annotations


class IngestError(ValueError):
    """A file that cannot be ingested. str(error) is one line for the user."""


class NotAPDF(IngestError):
    """Not a PDF, or a damaged one (a page named when one is to blame)."""


class EncryptedPDF(IngestError):
    """A password-protected PDF."""


class ScannedPDF(IngestError):
    """A PDF without a text layer (a scan)."""


class TooLarge(IngestError):
    """Over the size, page or row limit."""


class NotAReport(IngestError):
    """No report table, no fiscal year, or not an export."""


class UnreadableText(IngestError):
    """Glyphs the text layer gives no Unicode for (a font without a ToUnicode map)."""


class MisreadTable(IngestError):
    """Rows whose fields could not all be read, or text on a page that no field accounts for (`ingest.checks`)."""
