"""The `--config` file, kept up to date with every rotated refresh token.

Paycor refresh tokens work once. Airbyte stores each new config from the CONNECTOR_CONFIG control message;
outside Airbyte (commands run one after another from a shell, `docker run` with a mounted folder) nothing
would, and the next command would present a spent token. So after every rotation the connector also writes
the whole config back to the file it was read from: a temporary file in the same folder, given the file's
permissions, then `os.replace` (a reader sees the old file or the new one, never half of one). When the file
cannot be written (a read-only mount, a single-file bind mount that cannot be replaced) it says so once, with
the path and the reason, and the control message stays the way the new config leaves the process.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import tempfile
from pathlib import Path
from typing import Any, Mapping, Optional

logger = logging.getLogger("airbyte")

NOT_WRITABLE = (
    "The refreshed config could not be written back to {path} ({reason}) — Paycor refresh tokens work once, so "
    "run the next command with the config of the last CONNECTOR_CONFIG control message instead, or mount the "
    "config's folder writable."
)


class ConfigFile:
    """Where a command's config came from; `save(config)` writes a rotated config back there."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._refused = False

    def save(self, config: Mapping[str, Any]) -> bool:
        """Write `config` to the file atomically, with the file's permissions; False (said once) when it cannot."""
        if self._refused:
            return False
        target = Path(os.path.realpath(self.path))
        temporary: Optional[str] = None
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
            handle, temporary = tempfile.mkstemp(dir=str(target.parent), prefix=f".{target.name}.", suffix=".tmp")
            with os.fdopen(handle, "w") as file:
                os.fchmod(file.fileno(), mode)
                file.write(json.dumps(config, indent=2) + "\n")
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, target)
            temporary = None
            return True
        except (OSError, TypeError, ValueError) as error:
            self._refused = True
            reason = error.strerror if isinstance(error, OSError) and error.strerror else type(error).__name__
            logger.warning(NOT_WRITABLE.format(path=self.path, reason=reason))
            return False
        finally:
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
