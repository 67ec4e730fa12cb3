"""The ``sellkit`` command: ``python -m sellkit ...`` and the ``sellkit`` console script.

Both run the command of the Rust crate ``sellkit-cli`` from the native module, so it is the same
program with the same flags, output and exit codes as ``cargo install sellkit-cli`` gives.
"""

from __future__ import annotations

import signal
import sys
from typing import List, Optional

from sellkit import _native

__all__ = ["main"]


def main(argv: Optional[List[str]] = None) -> None:
    """Run ``sellkit`` with ``argv`` (default: this process's arguments) and exit with its code."""
    args = sys.argv[1:] if argv is None else argv
    # The command runs in Rust with the GIL released, where Python's own SIGINT handler (which
    # only sets a flag for the interpreter) would leave Ctrl-C unanswered: give the signal its
    # default action, ending the process as it ends the Rust program.
    if sys.platform != "win32":
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    # Python's buffered streams are flushed first: the command writes to the same descriptors.
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(_native.cli_main(["sellkit", *args]))


if __name__ == "__main__":
    main()
