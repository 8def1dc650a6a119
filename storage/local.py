"""Archive in a local directory: one file per key, written atomically.

Files are created with mode 0666 less the umask (0644 under the usual 022), as ``open`` would: a replay
server or web server running under another account can read a shared archive.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from storage.base import StorageError
from storage.keys import checked_key


class LocalStorage:
    lock_wait = 60.0  # seconds a compare-and-swap write waits for its directory's lock before it fails

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).absolute()
        self.location = str(self.root)

    def _path(self, key: str) -> Path:
        return self.root / checked_key(key)

    def put(self, key: str, data: bytes, *, replace: bool = False) -> bool:
        path = self._path(key)
        if not replace and path.exists():
            return False
        tmp = None
        try:
            tmp = self._write_temporary(path, data)
            if replace:
                os.replace(tmp, path)
                return True
            try:
                os.link(tmp, path)  # atomic create-if-absent: never overwrites a concurrent writer
            except FileExistsError:
                return False
            finally:
                os.unlink(tmp)
            return True
        except OSError as exc:
            if tmp is not None:  # a full disk leaves no partial .tmp-* file behind
                Path(tmp).unlink(missing_ok=True)
            raise StorageError(f"cannot write {path}: {exc.strerror or exc}") from exc

    def _write_temporary(self, path: Path, data: bytes) -> Path:
        """``data`` in a new temporary file beside ``path``; a failed write (a full disk) leaves none."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.parent / f".tmp-{uuid.uuid4().hex}"
        try:
            # Not mkstemp: its files are 0600 whatever the umask.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError:
            tmp.unlink(missing_ok=True)
            raise
        return tmp

    def read_versioned(self, key: str) -> tuple[bytes | None, str | None]:
        try:
            data = self._path(key).read_bytes()
        except FileNotFoundError:
            return None, None
        except OSError as exc:
            raise StorageError(f"cannot read {self._path(key)}: {exc.strerror or exc}") from exc
        return data, hashlib.sha256(data).hexdigest()

    def put_versioned(self, key: str, data: bytes, version: str | None) -> str | None:
        """Under an exclusive ``flock`` of the key's directory (held by every compare-and-swap writer on
        this file system): compare the file's SHA-256 with ``version``, then rename the new file over it.
        The lock is held for a read and a rename; a writer stopped while holding it (SIGSTOP, a paused
        VM) makes the others fail after ``lock_wait`` seconds instead of waiting for it for ever."""
        path = self._path(key)
        tmp = None
        try:
            tmp = self._write_temporary(path, data)
            fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                self._lock(fd, path)
                if self.read_versioned(key)[1] != version:
                    return None
                os.replace(tmp, path)
                tmp = None
            finally:
                os.close(fd)  # releases the lock
            return hashlib.sha256(data).hexdigest()
        except OSError as exc:
            raise StorageError(f"cannot write {path}: {exc.strerror or exc}") from exc
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)

    def _lock(self, fd: int, path: Path) -> None:
        deadline = time.monotonic() + self.lock_wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StorageError(f"cannot write {path}: another writer has held the lock of its directory for "
                                       f"{self.lock_wait:g} s (a stopped process?)") from None
                time.sleep(0.005)  # polling a lock another process holds for a read and a rename

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except OSError as exc:
            raise StorageError(f"cannot read {self._path(key)}: {exc.strerror or exc}") from exc

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot delete {self._path(key)}: {exc.strerror or exc}") from exc

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def keys(self, prefix: str) -> Iterator[str]:
        base = self._path(prefix.rstrip("/")) if prefix.rstrip("/") else self.root
        if not base.is_dir():
            return
        for dirpath, _dirs, files in os.walk(base):
            for name in sorted(files):
                if not name.startswith(".tmp-"):
                    yield Path(dirpath, name).relative_to(self.root).as_posix()

    def check_writable(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.root, prefix=".tmp-probe-"):
                pass
        except OSError as exc:
            raise StorageError(f"archive directory {self.root} is not writable: {exc.strerror or exc}") from exc
