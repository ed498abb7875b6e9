"""OUT as `pyarrow.fs` sees it: a directory every node sees, or an object store prefix.

Publication is atomic either way: on a file system a file is written under a temporary name in
OUT and renamed (rename within a directory is atomic on POSIX file systems, NFS included); on
an object store a single PUT makes the object appear whole or not at all.
"""

from __future__ import annotations

import os
import shutil
import uuid

import pyarrow.fs as pafs

PARTS = ".parts"  # per-chunk commit records and attempt markers, removed once the manifest is written


class Out:
    """OUT: a local or shared directory, or `s3://BUCKET/PREFIX[?endpoint_override=...]`."""

    def __init__(self, uri: str):
        self.uri = uri
        if "://" in uri:
            self.fs, self.base = pafs.FileSystem.from_uri(uri)
            self.is_object_store = True
        else:
            self.fs, self.base = pafs.LocalFileSystem(), os.path.abspath(uri)
            self.is_object_store = False
        self.base = self.base.rstrip("/")

    def path(self, name: str) -> str:
        return f"{self.base}/{name}"

    def make_dirs(self) -> None:
        if not self.is_object_store:
            self.fs.create_dir(self.base, recursive=True)
            self.fs.create_dir(self.path(PARTS), recursive=True)
            self.fs.create_dir(self.path(f"{PARTS}/attempts"), recursive=True)

    def exists(self, name: str) -> bool:
        return self.fs.get_file_info(self.path(name)).type == pafs.FileType.File

    def size(self, name: str) -> int | None:
        info = self.fs.get_file_info(self.path(name))
        return info.size if info.type == pafs.FileType.File else None

    def list(self, folder: str = "") -> list[str]:
        """Names of the files directly in FOLDER (relative to OUT)."""
        selector = pafs.FileSelector(self.path(folder) if folder else self.base, allow_not_found=True)
        return sorted(info.base_name for info in self.fs.get_file_info(selector)
                      if info.type == pafs.FileType.File)

    def read(self, name: str) -> bytes:
        with self.fs.open_input_stream(self.path(name)) as f:
            return f.read()

    def write_atomic(self, name: str, data: bytes) -> None:
        """NAME holds DATA, all of it or (after a crash) its old content; never a torn file."""
        if self.is_object_store:
            with self.fs.open_output_stream(self.path(name)) as f:
                f.write(data)
            return
        folder, _, leaf = self.path(name).rpartition("/")
        tmp = f"{folder}/.{leaf}.tmp-{uuid.uuid4().hex}"
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path(name))
        _sync_dir(folder)

    def publish_file(self, name: str, local_path: str) -> None:
        """Copy LOCAL_PATH to NAME atomically."""
        if self.is_object_store:
            pafs.copy_files(local_path, self.path(name), source_filesystem=pafs.LocalFileSystem(),
                            destination_filesystem=self.fs)
            return
        folder, _, leaf = self.path(name).rpartition("/")
        tmp = f"{folder}/.{leaf}.tmp-{uuid.uuid4().hex}"
        shutil.copyfile(local_path, tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, self.path(name))
        _sync_dir(folder)

    def delete(self, name: str) -> None:
        try:
            self.fs.delete_file(self.path(name))
        except FileNotFoundError:
            pass

    def delete_folder(self, folder: str) -> None:
        try:
            self.fs.delete_dir(self.path(folder))
        except FileNotFoundError:
            pass
        except OSError:
            if self.is_object_store:  # an object store has no folders, only prefixes
                self.fs.delete_dir_contents(self.path(folder), missing_dir_ok=True)
            else:
                raise

    def remove_temporaries(self) -> None:
        """Temporary files a killed task left in OUT (never data: they were never renamed)."""
        if self.is_object_store:
            return
        for name in self.list():
            if name.startswith(".") and ".tmp-" in name:
                self.delete(name)


def _sync_dir(folder: str) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
