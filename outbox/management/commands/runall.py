"""`manage.py runall`: the development server, task workers and the sweeper; one Ctrl-C stops
them all (what `make run` uses)."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run runserver, db_worker and tasks_sweep together; one Ctrl-C stops them all."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=1, help="db_worker processes")
        parser.add_argument("--sweep-every", type=float, default=60, help="seconds")
        parser.add_argument(
            "--no-server", action="store_true", help="only the workers and the sweeper"
        )

    def handle(self, *, addrport: str, workers: int, sweep_every: float, **options):
        manage = [sys.executable, os.path.abspath(sys.argv[0])]
        commands = [] if options["no_server"] else [[*manage, "runserver", addrport]]
        for number in range(workers):
            worker_id = f"{socket.gethostname()}:dev{number}:{os.getpid()}"[:64]
            commands.append([*manage, "db_worker", "--queue-name", "*", "--worker-id", worker_id])
        commands.append([*manage, "tasks_sweep", "--every", str(sweep_every)])
        # Each child leads its own process group: stopping the group also stops what the child
        # started (the autoreloader's process), even if the child itself is gone.
        children = [
            subprocess.Popen(command, process_group=0, stdin=subprocess.DEVNULL)  # noqa: S603
            for command in commands
        ]
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        # Ctrl-C reaches only this process (the children have their own groups), as does SIGTERM.
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.2)
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)  # a worker finishes its task, then exits
        deadline = time.monotonic() + 30  # then SIGKILL: an e-mail still sending is swept later
        for child in children:
            while _group_alive(child.pid) and time.monotonic() < deadline:
                child.poll()  # reap the direct child; its group may still hold the reloader's
                time.sleep(0.1)
            if _group_alive(child.pid):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        ok = (0, -signal.SIGTERM, -signal.SIGINT)
        crashed = [child.args[2] for child in children if child.returncode not in ok]
        if crashed and not stopping:
            self.stderr.write(f"stopped because {', '.join(crashed)} exited")
            sys.exit(1)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
