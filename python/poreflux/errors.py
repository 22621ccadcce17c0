"""The engine's errors as Python exceptions. The message is the one the command line prints."""


class ConfigError(ValueError):
    """Anything wrong with a study: unreadable file, TOML syntax, unknown or missing key, wrong
    unit, out-of-range value. ``file``, ``line`` (1-based, 0 when unknown) and ``key``
    ("layer[2].thickness", "" when none) say where; ``message`` is the text without them."""

    def __init__(self, what, file="", line=0, key="", subject="", message=""):
        super().__init__(what)
        self.file = file
        self.line = line
        self.key = key
        self.subject = subject
        self.message = message or what


class OutputRefused(FileExistsError):
    """An output would replace an existing file (pass force=True), an input, or cannot be made."""


class BackendUnavailable(RuntimeError):
    """The backend asked for is not there (backend="cuda" without a device)."""


class CalibrationDataError(ValueError):
    """Calibration data that cannot be fitted: a bad row or column, a time beyond the study."""
