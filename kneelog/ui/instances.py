"""One kneelog window per journal. A second kneelog started on a journal that a window has open
finds the window's lock and offers to bring that window forward, instead of opening another.

Two windows would not lose data (each save checks the version it edits), but each would show
the other's changes only when it next looks, and the runner would not know which to use.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer

log = logging.getLogger(__name__)
ANSWER_MS = 2000  # how long the second kneelog waits for the open window to answer


def lock_path(journal: Path) -> Path:
    return journal.with_name(journal.name + ".lock")


class JournalLock(QObject):
    """The lock a kneelog window holds on its journal (a QLockFile beside it), and a local
    socket by which a second kneelog asks that window to come forward.

    Signals: raise_requested() when a second kneelog asks for the window.
    """

    raise_requested = Signal()

    def __init__(self, journal: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.journal = Path(journal).resolve()
        self._file = QLockFile(str(lock_path(self.journal)))
        # Stale only when the kneelog that took it is gone (killed, crashed), however old: the
        # default also calls a lock stale after 30 s, which would let a second window in.
        self._file.setStaleLockTime(0)
        self._server: QLocalServer | None = None
        self._held = False

    @property
    def server_name(self) -> str:
        """One socket per journal and user; the path itself may be too long for a socket name."""
        import hashlib  # with QtNetwork below, after the first paint: 6-8 ms of start-up

        digest = hashlib.sha256(
            f"{os.getuid() if hasattr(os, 'getuid') else ''}:{self.journal}".encode()
        ).hexdigest()[:24]
        return f"kneelog-{digest}"

    def acquire(self, listen: bool = True) -> bool:
        """Take the lock; False when another kneelog window holds it. A lock that cannot be
        made at all (a read-only folder) is no reason to refuse: True, and nothing held.
        `listen=False`: call listen() later for the socket a second kneelog knocks on."""
        try:
            self.journal.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as error:  # opening the journal will say what is wrong, in its words
            log.warning("No lock on %s: %s", self.journal, error)
            return True
        if not self._file.tryLock(0):
            if self._file.error() == QLockFile.LockError.LockFailedError:
                return False
            log.warning("No lock on %s: %s", self.journal, self._file.error())
            return True
        with contextlib.suppress(OSError):  # the lock works anyway: a process id and a host name
            os.chmod(lock_path(self.journal), 0o600)
        self._held = True
        if listen:
            self.listen()
        return True

    def listen(self) -> None:
        """Answer a second kneelog on this journal (see ask_to_raise), once the lock is held."""
        if not self._held or self._server is not None:
            return
        from PySide6.QtNetwork import QLocalServer

        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(self.server_name)  # a socket left by a kneelog that was killed
        if not self._server.listen(self.server_name):
            log.warning(
                "No second-instance socket for %s: %s", self.journal, self._server.errorString()
            )
        self._server.newConnection.connect(self._on_server_new_connection)

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._held = False
        self._file.unlock()

    def holder(self) -> str:
        """Who holds the lock, in words: "process 1234 on laptop"."""
        info = self._file.getLockInfo()  # PySide6: (pid, host name, app name); pid 0 if unknown
        if isinstance(info, tuple) and len(info) == 3 and info[0]:
            return f"process {info[0]} on {info[1]}"
        return "another kneelog"

    def ask_to_raise(self) -> bool:
        """From a second kneelog: ask the window holding the lock to come forward."""
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        socket.connectToServer(self.server_name)
        if not socket.waitForConnected(ANSWER_MS):
            log.warning(
                "The kneelog that has %s open does not answer: %s",
                self.journal,
                socket.errorString(),
            )
            return False
        socket.disconnectFromServer()  # the connection is the request
        return True

    def _on_server_new_connection(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.disconnected.connect(socket.deleteLater)
            socket.close()  # the connection is the request; nothing is read from it
            self.raise_requested.emit()


def bring_forward(window: QWidget) -> None:
    """Show a window in front, restored if it was minimised."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


def offer_the_open_window(lock: JournalLock, parent: QWidget | None = None) -> QMessageBox:
    """The box a second kneelog shows for a journal that is open already. Its first button asks
    the open window to come forward; either button ends this kneelog."""
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "kneelog is already open",
        f"Your journal {lock.journal.name} is already open in another kneelog window.",
        parent=parent,
    )
    box.setInformativeText(
        "Use that window: kneelog opens a journal in one window at a time. "
        f"({lock.journal}, {lock.holder()})"
    )
    forward = box.addButton("Bring that window forward", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(forward)
    box.finished.connect(lambda: lock.ask_to_raise() if box.clickedButton() is forward else None)
    return box
