"""Confinement of one candidate process, applied after the fork and before the candidate is read.

Layers, strongest first (each one's guarantee is in README.md, "The sandbox"):
1. kernel, always: a new session (the whole process group is SIGKILLed by the server after the
   candidate, or at its wall-clock deadline); RLIMIT_CPU, RLIMIT_AS, RLIMIT_FSIZE, RLIMIT_CORE=0;
   a private temporary directory as cwd, HOME and TMPDIR; every inherited descriptor but the job
   and result pipes closed.
2. kernel, where permitted (root, or unprivileged user namespaces): new network and mount
   namespaces (no interface but a down loopback; the hidden directories covered by an empty
   read-only tmpfs; every mount but the private directory remounted read-only); as root, where
   `nobody` can read the interpreter's files, the candidate then runs as `nobody` (RLIMIT_NPROC
   enforced).
3. interpreter, always: an audit hook (sys.addaudithook, irremovable) refusing process creation,
   signals, sockets, ctypes, reads outside the interpreter's own files and the private directory,
   and writes or deletions outside the private directory.
`Confine` returns the names of the layers that took effect; the server reports them.
"""

import ctypes
import os
import re
import resource
import stat
import sys

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_REMOUNT = 0x20
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
NOBODY = 65534

_libc = ctypes.CDLL(None, use_errno=True)


class Refused(PermissionError):
    """What the audit hook raises: the candidate tried something the sandbox forbids."""


def new_session() -> None:
    """Its own session and process group, so that the server can kill everything it started."""
    os.setsid()


def close_inherited(keep: tuple[int, ...]) -> None:
    """Close every descriptor above stderr except KEEP (the driver's pipes, other children's)."""
    highest = 3
    for fd in sorted(keep):
        os.closerange(highest, fd)
        highest = fd + 1
    os.closerange(highest, 65536)


def set_limits(limits: dict) -> None:
    cpu = int(limits["cpu_s"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits["memory_bytes"], limits["memory_bytes"]))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["file_bytes"], limits["file_bytes"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _unshare(flags: int) -> bool:
    return _libc.unshare(flags) == 0


def _mount(source: bytes, target: bytes, fstype: bytes | None, flags: int, data: bytes | None) -> bool:
    return _libc.mount(source, target, fstype, flags, data) == 0


def _namespaces(hide: list[str]) -> list[str]:
    """New network and mount namespaces where the kernel permits; the HIDE dirs covered by empty tmpfs."""
    layers = []
    flags = CLONE_NEWNET | CLONE_NEWNS
    if os.geteuid() != 0:
        flags |= CLONE_NEWUSER
    if not _unshare(flags):
        return layers
    layers.append("netns")
    if not _mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None):
        return layers
    hidden = 0
    for path in hide:
        if os.path.isdir(path) and _mount(b"tmpfs", os.fsencode(path), b"tmpfs",
                                          MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, b"size=4k"):
            hidden += 1
    if hidden == len(hide):
        layers.append("mountns")
    return layers


_KEPT_FLAGS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC}


def _mount_points() -> list[tuple[str, int]]:
    """(mount point, its nosuid/nodev/noexec flags), which a remount must keep."""
    points = []
    with open("/proc/self/mountinfo", encoding="utf-8") as mountinfo:
        for line in mountinfo:
            fields = line.split()
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[4])
            flags = 0
            for option in fields[5].split(","):
                flags |= _KEPT_FLAGS.get(option, 0)
            points.append((point, flags))
    return points


def _read_only_world(private_dir: str) -> bool:
    """In the new mount namespace: every mount read-only but the private directory (bound onto
    itself first, so that it stays writable). False when any mount outside /proc, /sys and /dev
    could not be made read-only."""
    private = os.fsencode(private_dir)
    if not _mount(private, private, None, MS_BIND, None):
        return False
    complete = True
    for point, kept in _mount_points():
        if point == private_dir:
            continue
        flags = MS_REMOUNT | MS_BIND | MS_RDONLY | kept
        if not _mount(b"none", os.fsencode(point), None, flags, None) and \
                not point.startswith(("/proc", "/sys", "/dev")):
            complete = False
    return complete


def _interpreter_world_readable() -> bool:
    """Whether `nobody` could still import the rest of the standard library and site-packages
    (every directory above them searchable by others): dropping to nobody must not break JAX's
    lazy imports."""
    for root in {os.path.dirname(os.__file__), os.path.dirname(os.path.dirname(np_file()))}:
        path = os.path.realpath(root)
        while path != "/":
            if not os.stat(path).st_mode & stat.S_IXOTH:
                return False
            path = os.path.dirname(path)
    return True


def np_file() -> str:
    import numpy

    return numpy.__file__


def _drop_to_nobody(private_dir: str, limits: dict) -> bool:
    """As root: run as nobody from here on (after the namespaces, which need root), where nobody
    can read the interpreter's files."""
    if os.geteuid() != 0 or not _interpreter_world_readable():
        return False
    os.chown(private_dir, NOBODY, NOBODY)
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)
    nproc = int(limits["processes"])
    resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    return True


def confine(private_dir: str, hide: list[str], limits: dict) -> list[str]:
    """Everything between the fork and the candidate; returns the layers that took effect."""
    layers = ["session", "rlimits"]
    layers += _namespaces(hide)
    if "mountns" in layers and _read_only_world(private_dir):
        layers.append("readonly")
    set_limits(limits)
    if _drop_to_nobody(private_dir, limits):
        layers.append("nobody")
    os.chdir(private_dir)
    for key in list(os.environ):
        if key not in ("PATH", "LANG", "LC_ALL", "XLA_FLAGS"):
            del os.environ[key]
    os.environ.update({"HOME": private_dir, "TMPDIR": private_dir})
    sys.dont_write_bytecode = True
    install_audit_hook(private_dir)
    layers.append("audit")
    return layers


# Events that create processes, signal others, open sockets or reach native code: always refused.
_REFUSED_PREFIXES = ("socket.", "ctypes.", "subprocess.", "os.exec", "os.spawn", "os.posix_spawn",
                     "_posixsubprocess", "pty.", "webbrowser.", "urllib.", "http.", "ftplib.",
                     "smtplib.", "telnetlib.", "imaplib.", "poplib.", "nntplib.", "sqlite3.", "mmap.")
_REFUSED = {"os.system", "os.fork", "os.forkpty", "os.kill", "os.killpg", "signal.pthread_kill",
            "sys.addaudithook", "sys.setprofile", "sys.settrace", "os.setuid", "os.setgid",
            "resource.setrlimit", "resource.prlimit", "os.chroot", "os.putenv", "os.unsetenv",
            "shutil.chown", "os.chflags", "os.lchflags", "fcntl.ioctl", "gc.get_referrers",
            "gc.get_objects", "gc.get_referents", "sys._current_frames", "pickle.find_class"}
# Events whose first argument is a path that must lie inside the private directory.
_WRITE_EVENTS = {"os.remove", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.truncate",
                 "os.utime", "os.link", "os.symlink", "os.rename", "shutil.rmtree", "shutil.move",
                 "shutil.copyfile", "shutil.copytree", "shutil.copymode", "shutil.copystat",
                 "shutil.make_archive", "shutil.unpack_archive", "os.chdir", "os.mkfifo",
                 "os.mknod", "os.setxattr", "os.removexattr", "tempfile.mkstemp", "tempfile.mkdtemp"}
# Events whose first argument is a path that may be read: the interpreter's files or the private dir.
_READ_EVENTS = {"os.listdir", "os.scandir", "glob.glob", "os.walk", "os.getxattr", "os.listxattr"}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _inside(path, root: str) -> bool:
    if isinstance(path, int):
        return False
    try:
        real = os.path.realpath(os.fsdecode(path))
    except (TypeError, ValueError):
        return False
    return real == root or real.startswith(root + os.sep)


def install_audit_hook(private_dir: str) -> None:
    root = os.path.realpath(private_dir)
    readable = sorted({os.path.realpath(p) for p in sys.path + [sys.prefix, sys.base_prefix,
                                                              sys.exec_prefix] if p and os.path.isdir(p)})

    def may_read(path) -> bool:
        if isinstance(path, int):
            return True  # a descriptor already open: only the pipes and the interpreter's own
        return _inside(path, root) or any(_inside(path, r) for r in readable)

    def hook(event: str, args: tuple) -> None:
        if event in _REFUSED or event.startswith(_REFUSED_PREFIXES):
            raise Refused(f"sandbox: {event} is not allowed")
        if event == "open":
            path, mode, flags = (tuple(args) + (None, None))[:3]
            writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or \
                     (isinstance(flags, int) and flags & _WRITE_FLAGS)
            if writes and not _inside(path, root):
                raise Refused(f"sandbox: writing {path!r} is not allowed")
            if not writes and not may_read(path):
                raise Refused(f"sandbox: reading {path!r} is not allowed")
        elif event in _WRITE_EVENTS:
            for path in args[:2]:
                if isinstance(path, (str, bytes, os.PathLike)) and not _inside(path, root):
                    raise Refused(f"sandbox: {event} on {path!r} is not allowed")
        elif event in _READ_EVENTS and args and not may_read(args[0]):
            raise Refused(f"sandbox: {event} on {args[0]!r} is not allowed")

    sys.addaudithook(hook)
